package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The harness's "no-op" sink: it stores nothing, but adds up the rows of every bucket into the figures of
 * {@link CaptureTotals}, so that the pipeline's output is checked without a store. Its cost is per row, on the
 * sink's own thread, never per packet.
 */
final class CountingSink implements StatsSink
{
    private static final String[] VIEWS = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };
    private static final int[] PROTOCOLS = {
        SyntheticTraffic.TCP, SyntheticTraffic.UDP, SyntheticTraffic.ICMP, SyntheticTraffic.ICMPV6, -1 };

    // [view][protocol][measure], protocol index 4 is every other protocol
    private final long[] viewStats = new long[VIEWS.length * PROTOCOLS.length * 4];
    private final long[] servedStats = new long[4];
    private final Map<Address, long[]> hosts = new HashMap<>();
    private final Set<Address> peers = new HashSet<>();
    private final long[] quality = new long[8];
    private long rows;
    private long otherViewRows;
    private long batches;

    public void onBatchStart(final StatsBatch batch)
    {
    }

    public void onRow(final StatsRow row)
    {
        rows++;
        final int view = viewIndex(row.view());
        if (view < 0)
        {
            otherViewRows++;
            return;
        }

        final int index = (view * PROTOCOLS.length + protocolIndex(row.protocol())) * 4;
        add(viewStats, index, row);
        if (0 == view)
        {
            final long[] host = hosts.computeIfAbsent(new Address(row.hostHi(), row.hostLo()), (k) -> new long[4]);
            add(host, 0, row);
        }
        else if (1 == view && row.served())
        {
            add(servedStats, 0, row);
        }
        else if (2 == view && !row.isFolded())
        {
            peers.add(new Address(row.peerHi(), row.peerLo()));
        }
    }

    public void onBatchEnd(final StatsBatch batch)
    {
        final BucketQuality q = batch.quality();
        batches++;
        quality[0] += q.frames();
        quality[1] += q.packets();
        quality[2] += q.bytes();
        quality[3] += q.frames(FrameOutcome.NON_IP);
        for (final FrameOutcome outcome : FrameOutcome.values())
        {
            if (outcome.isMalformed())
            {
                quality[4] += q.frames(outcome);
            }
        }
        quality[5] += q.transitPackets();
        quality[6] += q.latePackets();
        quality[7] += q.foldedKeys();
    }

    /*
     * The figures of every batch received so far; call once the analyzer is closed.
     */
    CaptureTotals totals()
    {
        final CaptureTotals totals = new CaptureTotals()
            .put("frames", quality[0])
            .put("packets", quality[1])
            .put("bytes", quality[2])
            .put("non_ip", quality[3])
            .put("malformed", quality[4])
            .put("transit_packets", quality[5])
            .put("late_packets", quality[6])
            .put("folded_keys", quality[7])
            .put("hosts", hosts.size())
            .put("peers", peers.size())
            .put("info.rows", rows)
            .put("info.other_view_rows", otherViewRows)
            .put("info.batches", batches);

        for (int view = 0; view < VIEWS.length; view++)
        {
            for (int p = 0; p < PROTOCOLS.length; p++)
            {
                final int index = (view * PROTOCOLS.length + p) * 4;
                if (0 != viewStats[index + 1] || 0 != viewStats[index + 3])
                {
                    totals.addMeasures(VIEWS[view] + "." + CaptureTotals.protocolName(PROTOCOLS[p]),
                        viewStats[index], viewStats[index + 1], viewStats[index + 2], viewStats[index + 3]);
                }
            }
        }
        totals.addMeasures("ports.served", servedStats[0], servedStats[1], servedStats[2], servedStats[3]);
        for (final Map.Entry<Address, long[]> host : hosts.entrySet())
        {
            final long[] m = host.getValue();
            final String address = IpAddresses.format(host.getKey().hi, host.getKey().lo);
            totals.addMeasures("host." + address, m[0], m[1], m[2], m[3]);
        }

        return totals;
    }

    private static void add(final long[] stats, final int index, final StatsRow row)
    {
        stats[index] += row.inBytes();
        stats[index + 1] += row.inPackets();
        stats[index + 2] += row.outBytes();
        stats[index + 3] += row.outPackets();
    }

    private static int viewIndex(final String view)
    {
        for (int i = 0; i < VIEWS.length; i++)
        {
            if (VIEWS[i].equals(view))
            {
                return i;
            }
        }

        return -1;
    }

    private static int protocolIndex(final int protocol)
    {
        for (int i = 0; i < PROTOCOLS.length - 1; i++)
        {
            if (PROTOCOLS[i] == protocol)
            {
                return i;
            }
        }

        return PROTOCOLS.length - 1;
    }

    private record Address(long hi, long lo)
    {
    }
}
