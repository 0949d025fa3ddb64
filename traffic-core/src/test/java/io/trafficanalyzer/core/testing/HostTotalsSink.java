package io.trafficanalyzer.core.testing;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.TreeMap;

/**
 * A sink that keeps the hosts view of every committed batch in the shape of {@link GeneratedTraffic#expectedHosts}:
 * per bucket start, per {@code "host|protocol"}. A repeated batch replaces the earlier one, as the sink contract
 * asks; a batch seen twice is counted in {@link #repeats()}.
 */
public final class HostTotalsSink implements StatsSink
{
    private final TreeMap<Long, TreeMap<String, GeneratedTraffic.Totals>> committed = new TreeMap<>();
    private TreeMap<String, GeneratedTraffic.Totals> rows;
    private int repeats;
    private volatile boolean closed;

    /**
     * {@inheritDoc}
     */
    public void onBatchStart(final StatsBatch batch)
    {
        rows = new TreeMap<>();
    }

    /**
     * {@inheritDoc}
     */
    public void onRow(final StatsRow row)
    {
        if (StatsRow.HOSTS.equals(row.view()))
        {
            final String key = IpAddresses.format(row.hostHi(), row.hostLo()) + "|" + protocolName(row.protocol());
            rows.merge(key, new GeneratedTraffic.Totals(row.inBytes(), row.inPackets(), row.outBytes(),
                row.outPackets()), GeneratedTraffic.Totals::plus);
        }
    }

    /**
     * {@inheritDoc}
     */
    public synchronized void onBatchEnd(final StatsBatch batch)
    {
        if (null != committed.put(batch.startEpochSecond(), rows))
        {
            repeats++;
        }
        rows = null;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        closed = true;
    }

    /**
     * What was committed so far.
     *
     * @return a copy, per bucket start, per {@code "host|protocol"}.
     */
    public synchronized TreeMap<Long, TreeMap<String, GeneratedTraffic.Totals>> hosts()
    {
        return new TreeMap<>(committed);
    }

    /**
     * Batches committed again for a bucket start already committed.
     *
     * @return the count.
     */
    public synchronized int repeats()
    {
        return repeats;
    }

    /**
     * Whether the analyzer closed the sink.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * The protocol's name as the SQLite views show it.
     *
     * @param protocol the IP protocol number.
     * @return tcp, udp, icmp, icmpv6 or other.
     */
    public static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 1:
                return "icmp";
            case 58:
                return "icmpv6";
            default:
                return "other";
        }
    }
}
