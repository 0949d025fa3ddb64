package io.trafficanalyzer.core.live;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.StatsRow;
import org.agrona.concurrent.EpochNanoClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The traffic of the last moments, readable by the host application at any time from any thread without
 * blocking the pipeline: rates over the last seconds ({@link LiveRates}, written by the capture agent as packets
 * pass; of packet time, and of the wall clock too for a live source, so that rates fall when traffic stops),
 * top hosts, ports and peers of the recently sealed contributions (handed over by the flush agent
 * as immutable buckets and published through a volatile reference) and of the open buckets (each shard's
 * {@link OpenBucketLeaders}).
 * <p>
 * Contributions are kept in the order they were sealed, which is not time order: the late packets of a bucket are
 * sealed after later buckets, and each capture stream (file) starts its clock again. A shard withdraws its leaders
 * of a bucket when it seals the bucket, before the flush agent can publish it, so no packet counts twice in a top
 * list; between the two, the bucket's packets are briefly in neither.
 * <p>
 * Reads allocate; they are meant for dashboards and commands, not for the packet path.
 */
public final class LiveView implements BucketListener
{
    private static final Comparator<Entry> BY_BYTES = Comparator
        .comparingLong((Entry e) -> -e.totalBytes())
        .thenComparing(Entry::hostHi, Long::compareUnsigned)
        .thenComparing(Entry::hostLo, Long::compareUnsigned)
        .thenComparingInt(Entry::protocol)
        .thenComparingInt(Entry::port)
        .thenComparing(Entry::peerHi, Long::compareUnsigned)
        .thenComparing(Entry::peerLo, Long::compareUnsigned)
        .thenComparingLong(Entry::key);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LiveRates rates;
    private final List<OpenBucketLeaders> openLeaders;
    private final int windowSeconds;
    private final int rateWindowSeconds;
    private final EpochNanoClock wallClock;
    private final int maxRecent;
    private final int maxKept;
    private volatile SealedBucket[] recent = new SealedBucket[0];

    /**
     * A live view over the rates its capture agent writes and the leaders its shards publish.
     *
     * @param rates              written by the capture agent.
     * @param openLeaders        one per shard, written by it.
     * @param windowSeconds      the window of the recent contributions.
     * @param rateWindowSeconds  the window of {@link #rates()}.
     * @param bucketWidthSeconds width of a bucket.
     * @param wallClock          the wall clock of a live source, which ends its rate windows when traffic stops;
     *                           null for a file source, whose rate windows end at its latest packet.
     */
    public LiveView(
        final LiveRates rates,
        final List<OpenBucketLeaders> openLeaders,
        final int windowSeconds,
        final int rateWindowSeconds,
        final int bucketWidthSeconds,
        final EpochNanoClock wallClock)
    {
        this.rates = rates;
        this.openLeaders = List.copyOf(openLeaders);
        this.windowSeconds = windowSeconds;
        this.rateWindowSeconds = rateWindowSeconds;
        this.wallClock = wallClock;
        this.maxRecent = Math.max(1, (windowSeconds + bucketWidthSeconds - 1) / bucketWidthSeconds);
        this.maxKept = 2 * maxRecent;
    }

    /**
     * The window of the live view's top lists.
     *
     * @return seconds.
     */
    public int windowSeconds()
    {
        return windowSeconds;
    }

    /**
     * The window of {@link #rates()}.
     *
     * @return seconds.
     */
    public int rateWindowSeconds()
    {
        return rateWindowSeconds;
    }

    /**
     * Totals and rates over the configured rate window.
     *
     * @return the rates.
     */
    public Rates rates()
    {
        return rates(rateWindowSeconds);
    }

    /**
     * Totals and rates over the last seconds: the whole seconds of the current stream within the given length
     * before its latest packet, or before now on a live source when that is later.
     *
     * @param seconds how many seconds, at most the larger of the two configured windows.
     * @return the rates.
     */
    public Rates rates(final int seconds)
    {
        final int window = Math.max(1, Math.min(seconds, rates.maxWindowSeconds()));
        final long[] totals = new long[6];
        final long latestSecond = rates.latestSecond();
        final long latestNs = rates.latestNs();
        long coveredNs = 0;
        if (LiveRates.NO_TIME != latestNs)
        {
            final long endNs = null == wallClock ? latestNs : Math.max(latestNs, wallClock.nanoTime());
            coveredNs = rates.read(endNs, window, totals);
        }

        return new Rates(
            latestSecond, window, coveredNs, totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]);
    }

    /**
     * The most recently sealed contributions in the order they were sealed: back to the oldest of the last
     * part-0 contributions of as many buckets as cover the window, late contributions sealed since included, and
     * at most twice as many contributions as buckets cover the window.
     *
     * @return an unmodifiable list.
     */
    public List<SealedBucket> recentBuckets()
    {
        return Collections.unmodifiableList(Arrays.asList(recent));
    }

    /**
     * The contribution sealed last, part 0 or late.
     *
     * @return the bucket, or null before the first seal.
     */
    public SealedBucket lastSealed()
    {
        final SealedBucket[] buckets = recent;
        return buckets.length == 0 ? null : buckets[buckets.length - 1];
    }

    /**
     * Local hosts with the most traffic (bytes in and out) in the recent contributions and the open buckets, each
     * host's protocols summed: its entry's protocol reads 0.
     *
     * @param n how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> topHosts(final int n)
    {
        return top(StatsRow.HOSTS, n, LiveView::host);
    }

    /**
     * Service ports with the most traffic in the recent contributions and the open buckets.
     *
     * @param n how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> topPorts(final int n)
    {
        return top(StatsRow.PORTS, n);
    }

    /**
     * Host-peer pairs with the most traffic in the recent contributions and the open buckets, each pair's protocols
     * summed: its entry's protocol reads 0. A host's folded row stands for its other peers.
     *
     * @param n how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> topPeers(final int n)
    {
        return top(StatsRow.PEERS, n, LiveView::hostAndPeer);
    }

    /**
     * Rows of a view with the most traffic (bytes in and out) in the recent contributions and the open buckets,
     * equal keys summed.
     * The open buckets contribute the leaders each shard published at its last live-view update, so figures of
     * keys outside those leaders lag until their bucket is sealed.
     *
     * @param view the view name.
     * @param n    how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> top(final String view, final int n)
    {
        return top(view, n, UnaryOperator.identity());
    }

    // the rows of a view summed by the key the projection leaves of each
    private List<Entry> top(final String view, final int n, final UnaryOperator<Entry> key)
    {
        final Map<Entry, long[]> sums = new HashMap<>();
        final BucketRow row = new BucketRow();
        for (final SealedBucket bucket : recent)
        {
            for (int i = 0, rows = bucket.rowCount(); i < rows; i++)
            {
                if (view.equals(bucket.view(i)))
                {
                    add(sums, key.apply(Entry.of(row.wrap(bucket, i))));
                }
            }
        }

        for (final OpenBucketLeaders leaders : openLeaders)
        {
            for (final OpenBucketLeaders.Leader leader : leaders.leaders())
            {
                if (view.equals(leader.entry().view()))
                {
                    add(sums, key.apply(leader.entry()));
                }
            }
        }

        final List<Entry> entries = new ArrayList<>(sums.size());
        for (final Map.Entry<Entry, long[]> e : sums.entrySet())
        {
            final long[] m = e.getValue();
            entries.add(e.getKey().withMeasures(m[0], m[1], m[2], m[3]));
        }
        entries.sort(BY_BYTES);

        return Collections.unmodifiableList(new ArrayList<>(entries.subList(0, Math.min(n, entries.size()))));
    }

    /**
     * Keep a sealed contribution among the recent ones; called by the flush agent.
     *
     * @param bucket the contribution.
     */
    public void onBucketSealed(final SealedBucket bucket)
    {
        final SealedBucket[] current = recent;
        // back to the oldest of the last maxRecent part-0 contributions, the new one included
        int zeroParts = 0 == bucket.part() ? 1 : 0;
        int keep = 0;
        for (int i = current.length - 1; i >= 0 && zeroParts < maxRecent && keep + 1 < maxKept; i--)
        {
            keep++;
            if (0 == current[i].part())
            {
                zeroParts++;
            }
        }

        final SealedBucket[] next = new SealedBucket[keep + 1];
        System.arraycopy(current, current.length - keep, next, 0, keep);
        next[keep] = bucket;
        recent = next;
    }

    private static Entry host(final Entry e)
    {
        // a host's folded row is more of its traffic
        return new Entry(e.view, e.hostHi, e.hostLo, 0, 0, 0, 0, false, false, e.key, false,
            e.inBytes, e.inPackets, e.outBytes, e.outPackets);
    }

    private static Entry hostAndPeer(final Entry e)
    {
        return new Entry(e.view, e.hostHi, e.hostLo, e.peerHi, e.peerLo, 0, 0, false, false, e.key, e.folded,
            e.inBytes, e.inPackets, e.outBytes, e.outPackets);
    }

    // entries are equal by key, so the first one of a key stands for it; the sums carry the measures
    private static void add(final Map<Entry, long[]> sums, final Entry entry)
    {
        final long[] m = sums.computeIfAbsent(entry, (k) -> new long[4]);
        m[0] += entry.inBytes();
        m[1] += entry.inPackets();
        m[2] += entry.outBytes();
        m[3] += entry.outPackets();
    }

    /**
     * Totals over a window of the last seconds, and the time they cover, by which the rates divide.
     *
     * @param latestSecond the latest second of packet time seen; {@link Long#MIN_VALUE} before the first packet.
     * @param seconds      length of the window.
     * @param coveredNanos the time the totals cover: the window, less what lay before the first packet and the
     *                     part of its oldest second that falls outside it; rates divide by it, or by one second
     *                     while it is shorter, so that the first packets do not read as a burst.
     * @param packets      IP packets in the window, transit included.
     * @param bytes        IP bytes in the window, transit included.
     * @param inPackets    packets received by local hosts in the window.
     * @param inBytes      bytes received by local hosts in the window.
     * @param outPackets   packets sent by local hosts in the window.
     * @param outBytes     bytes sent by local hosts in the window.
     */
    public record Rates(
        long latestSecond,
        int seconds,
        long coveredNanos,
        long packets,
        long bytes,
        long inPackets,
        long inBytes,
        long outPackets,
        long outBytes)
    {
        /**
         * Mean packet rate over the time covered.
         *
         * @return packets per second.
         */
        public double packetsPerSecond()
        {
            return perSecond(packets);
        }

        /**
         * Mean bit rate over the time covered.
         *
         * @return bits per second.
         */
        public double bitsPerSecond()
        {
            return perSecond(bytes * 8);
        }

        /**
         * Mean rate of packets received by local hosts over the time covered.
         *
         * @return packets per second.
         */
        public double inPacketsPerSecond()
        {
            return perSecond(inPackets);
        }

        /**
         * Mean bit rate received by local hosts over the time covered.
         *
         * @return bits per second.
         */
        public double inBitsPerSecond()
        {
            return perSecond(inBytes * 8);
        }

        /**
         * Mean rate of packets sent by local hosts over the time covered.
         *
         * @return packets per second.
         */
        public double outPacketsPerSecond()
        {
            return perSecond(outPackets);
        }

        /**
         * Mean bit rate sent by local hosts over the time covered.
         *
         * @return bits per second.
         */
        public double outBitsPerSecond()
        {
            return perSecond(outBytes * 8);
        }

        private double perSecond(final long count)
        {
            return count * (double)NANOS_PER_SECOND / Math.max(coveredNanos, NANOS_PER_SECOND);
        }

        /**
         * The totals, for logs.
         *
         * @return the text.
         */
        public String toString()
        {
            return "Rates{latestSecond=" + latestSecond + ", seconds=" + seconds + ", coveredNanos=" + coveredNanos +
                ", packets=" + packets +
                ", bytes=" + bytes + ", in=" + inBytes + '/' + inPackets + ", out=" + outBytes + '/' + outPackets +
                '}';
        }
    }

    /**
     * One row of a top list: a view's key and its summed measures.
     *
     * @param view       the view of the row.
     * @param hostHi     local host, upper bits.
     * @param hostLo     local host, lower bits.
     * @param peerHi     peer, upper bits.
     * @param peerLo     peer, lower bits.
     * @param protocol   IP protocol.
     * @param port       service port.
     * @param served     whether the local host serves the port.
     * @param refused    whether the local host refused connections to the port.
     * @param key        custom key.
     * @param folded     whether this is a host's "other" row.
     * @param inBytes    bytes received.
     * @param inPackets  packets received.
     * @param outBytes   bytes sent.
     * @param outPackets packets sent.
     */
    public record Entry(
        String view,
        long hostHi,
        long hostLo,
        long peerHi,
        long peerLo,
        int protocol,
        int port,
        boolean served,
        boolean refused,
        long key,
        boolean folded,
        long inBytes,
        long inPackets,
        long outBytes,
        long outPackets) implements StatsRow
    {
        static Entry of(final StatsRow row)
        {
            return new Entry(
                row.view(), row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo(), row.protocol(), row.port(),
                row.served(), row.refused(), row.key(), row.isFolded(), row.inBytes(), row.inPackets(), row.outBytes(),
                row.outPackets());
        }

        Entry withMeasures(final long inBytes, final long inPackets, final long outBytes, final long outPackets)
        {
            return new Entry(
                view, hostHi, hostLo, peerHi, peerLo, protocol, port, served, refused, key, folded,
                inBytes, inPackets, outBytes, outPackets);
        }

        /**
         * Whether this is a host's "other" row.
         *
         * @return true for a folded row.
         */
        public boolean isFolded()
        {
            return folded;
        }

        /**
         * Equal view and key; measures are not compared.
         *
         * @param o the other object.
         * @return true for the same key.
         */
        public boolean equals(final Object o)
        {
            return o instanceof Entry that && view.equals(that.view) && hostHi == that.hostHi &&
                hostLo == that.hostLo && peerHi == that.peerHi && peerLo == that.peerLo && protocol == that.protocol &&
                port == that.port && served == that.served && refused == that.refused && key == that.key &&
                folded == that.folded;
        }

        /**
         * Hash of the view and key.
         *
         * @return the hash.
         */
        public int hashCode()
        {
            return Objects.hash(view, hostHi, hostLo, peerHi, peerLo, protocol, port, served, refused, key, folded);
        }

        /**
         * Bytes in and out.
         *
         * @return the sum.
         */
        public long totalBytes()
        {
            return inBytes + outBytes;
        }

        /**
         * The row, addresses in text form, for logs and commands.
         *
         * @return the text.
         */
        public String toString()
        {
            return view + "{host=" + IpAddresses.format(hostHi, hostLo) +
                (StatsRow.PEERS.equals(view) ? ", peer=" + IpAddresses.format(peerHi, peerLo) : "") +
                ", protocol=" + protocol +
                (StatsRow.PORTS.equals(view) ? ", port=" + port + roleText() : "") +
                (key != 0 ? ", key=" + key : "") + (folded ? ", other" : "") +
                ", in=" + inBytes + "B/" + inPackets + ", out=" + outBytes + "B/" + outPackets + '}';
        }

        private String roleText()
        {
            return served ? (refused ? " refused" : " served") : " client";
        }
    }
}
