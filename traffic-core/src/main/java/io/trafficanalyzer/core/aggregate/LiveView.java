package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.StatsRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The traffic of the last moments, readable by the host application at any time from any thread without
 * blocking the pipeline: rates over the last seconds of packet time, written by the capture agent as packets
 * pass, and top hosts, ports and peers of the recently sealed contributions, published by the flush agent as
 * immutable buckets through a volatile reference, plus the open buckets' current leaders published by each shard.
 * <p>
 * Contributions are kept in the order they were sealed, which is not time order: the late packets of a bucket are
 * sealed after later buckets, and each capture stream (file) starts its clock again. A shard withdraws its leaders
 * of a bucket when it seals the bucket, before the flush agent can publish it, so no packet counts twice in a top
 * list; between the two, the bucket's packets are briefly in neither.
 * <p>
 * Reads allocate; they are meant for dashboards and commands, not for the packet path.
 */
public final class LiveView
{
    private final LiveRates rates;
    private final int windowSeconds;
    private final int maxRecent;
    private final int maxKept;
    private final OpenTop[] openTops;
    private volatile SealedBucket[] recent = new SealedBucket[0];

    LiveView(final LiveRates rates, final int windowSeconds, final int bucketWidthSeconds, final int shards)
    {
        this.rates = rates;
        this.windowSeconds = windowSeconds;
        this.maxRecent = Math.max(1, (windowSeconds + bucketWidthSeconds - 1) / bucketWidthSeconds);
        this.maxKept = 2 * maxRecent;
        this.openTops = new OpenTop[shards];
        for (int i = 0; i < shards; i++)
        {
            openTops[i] = new OpenTop();
        }
    }

    /**
     * The window of the live view.
     *
     * @return seconds.
     */
    public int windowSeconds()
    {
        return windowSeconds;
    }

    /**
     * Totals and rates over the configured window.
     *
     * @return the rates.
     */
    public Rates rates()
    {
        return rates(windowSeconds);
    }

    /**
     * Totals and rates over the last seconds of packet time, the latest second seen included.
     *
     * @param seconds how many seconds, at most the configured window.
     * @return the rates.
     */
    public Rates rates(final int seconds)
    {
        final int window = Math.max(1, Math.min(seconds, rates.maxWindowSeconds()));
        final long[] totals = new long[6];
        final long latest = rates.read(window, totals);
        return new Rates(latest, window, totals);
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
     * Local hosts with the most traffic (bytes in and out) in the recent contributions and the open buckets.
     *
     * @param n how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> topHosts(final int n)
    {
        return top(StatsRow.HOSTS, n);
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
     * Host-peer pairs with the most traffic in the recent contributions and the open buckets.
     *
     * @param n how many.
     * @return at most n entries, largest first.
     */
    public List<Entry> topPeers(final int n)
    {
        return top(StatsRow.PEERS, n);
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
        final Map<Entry, long[]> sums = new HashMap<>();
        final SealedBucket[] buckets = recent;
        for (final SealedBucket bucket : buckets)
        {
            for (int i = 0, rows = bucket.rowCount(); i < rows; i++)
            {
                if (view.equals(bucket.view(i)))
                {
                    final Entry key = new Entry(
                        view, bucket.hostHi(i), bucket.hostLo(i), bucket.peerHi(i), bucket.peerLo(i),
                        bucket.protocol(i), bucket.port(i), bucket.served(i), bucket.key(i), bucket.isFolded(i),
                        0, 0, 0, 0, Long.MIN_VALUE);
                    add(sums, key, bucket.inBytes(i), bucket.inPackets(i), bucket.outBytes(i), bucket.outPackets(i));
                }
            }
        }

        for (final OpenTop openTop : openTops)
        {
            for (final Entry entry : openTop.entries)
            {
                if (view.equals(entry.view))
                {
                    add(sums, entry.withMeasures(0, 0, 0, 0), entry.inBytes, entry.inPackets, entry.outBytes,
                        entry.outPackets);
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

    void onSealed(final SealedBucket bucket)
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

    void publishOpen(final int shard, final List<Entry> leaders)
    {
        openTops[shard].entries = leaders;
    }

    // a shard sealed a bucket: its leaders of that bucket go before the flush agent can publish the bucket's rows
    void removeOpen(final int shard, final long bucketStartSecond)
    {
        final OpenTop openTop = openTops[shard];
        final List<Entry> leaders = openTop.entries;
        List<Entry> kept = null;
        for (int i = 0, n = leaders.size(); i < n; i++)
        {
            final Entry entry = leaders.get(i);
            if (entry.bucketStartSecond == bucketStartSecond)
            {
                if (null == kept)
                {
                    kept = new ArrayList<>(leaders.subList(0, i));
                }
            }
            else if (null != kept)
            {
                kept.add(entry);
            }
        }

        if (null != kept)
        {
            openTop.entries = Collections.unmodifiableList(kept);
        }
    }

    private static void add(
        final Map<Entry, long[]> sums,
        final Entry key,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        final long[] m = sums.computeIfAbsent(key, k -> new long[4]);
        m[0] += inBytes;
        m[1] += inPackets;
        m[2] += outBytes;
        m[3] += outPackets;
    }

    private static final Comparator<Entry> BY_BYTES = Comparator
        .comparingLong((Entry e) -> -(e.inBytes + e.outBytes))
        .thenComparing((a, b) -> Long.compareUnsigned(a.hostHi, b.hostHi))
        .thenComparing((a, b) -> Long.compareUnsigned(a.hostLo, b.hostLo))
        .thenComparingInt(e -> e.protocol)
        .thenComparingInt(e -> e.port)
        .thenComparing((a, b) -> Long.compareUnsigned(a.peerHi, b.peerHi))
        .thenComparing((a, b) -> Long.compareUnsigned(a.peerLo, b.peerLo))
        .thenComparingLong(e -> e.key);

    private static final class OpenTop
    {
        volatile List<Entry> entries = Collections.emptyList();
    }

    /**
     * Totals over a window of the last seconds of packet time.
     */
    public static final class Rates
    {
        private final long latestSecond;
        private final int seconds;
        private final long[] totals;

        Rates(final long latestSecond, final int seconds, final long[] totals)
        {
            this.latestSecond = latestSecond;
            this.seconds = seconds;
            this.totals = totals;
        }

        /**
         * The latest second of packet time seen, the end of the window.
         *
         * @return seconds since the epoch, or {@link Long#MIN_VALUE} before the first packet.
         */
        public long latestSecond()
        {
            return latestSecond;
        }

        /**
         * Length of the window.
         *
         * @return seconds.
         */
        public int seconds()
        {
            return seconds;
        }

        /**
         * IP packets in the window, transit included.
         *
         * @return the count.
         */
        public long packets()
        {
            return totals[0];
        }

        /**
         * IP bytes in the window, transit included.
         *
         * @return the count.
         */
        public long bytes()
        {
            return totals[1];
        }

        /**
         * Packets received by local hosts in the window.
         *
         * @return the count.
         */
        public long inPackets()
        {
            return totals[2];
        }

        /**
         * Bytes received by local hosts in the window.
         *
         * @return the count.
         */
        public long inBytes()
        {
            return totals[3];
        }

        /**
         * Packets sent by local hosts in the window.
         *
         * @return the count.
         */
        public long outPackets()
        {
            return totals[4];
        }

        /**
         * Bytes sent by local hosts in the window.
         *
         * @return the count.
         */
        public long outBytes()
        {
            return totals[5];
        }

        /**
         * Mean packet rate over the window.
         *
         * @return packets per second.
         */
        public double packetsPerSecond()
        {
            return (double)totals[0] / seconds;
        }

        /**
         * Mean bit rate over the window.
         *
         * @return bits per second.
         */
        public double bitsPerSecond()
        {
            return totals[1] * 8.0 / seconds;
        }

        /**
         * The totals, for logs.
         *
         * @return the text.
         */
        public String toString()
        {
            return "Rates{latestSecond=" + latestSecond + ", seconds=" + seconds + ", packets=" + packets() +
                ", bytes=" + bytes() + ", in=" + inBytes() + '/' + inPackets() + ", out=" + outBytes() + '/' +
                outPackets() + '}';
        }
    }

    /**
     * One row of a top list: a view's key and its summed measures.
     */
    public static final class Entry
    {
        private final String view;
        private final long hostHi;
        private final long hostLo;
        private final long peerHi;
        private final long peerLo;
        private final int protocol;
        private final int port;
        private final boolean served;
        private final long key;
        private final boolean folded;
        private final long inBytes;
        private final long inPackets;
        private final long outBytes;
        private final long outPackets;
        private final long bucketStartSecond;

        Entry(
            final String view,
            final long hostHi,
            final long hostLo,
            final long peerHi,
            final long peerLo,
            final int protocol,
            final int port,
            final boolean served,
            final long key,
            final boolean folded,
            final long inBytes,
            final long inPackets,
            final long outBytes,
            final long outPackets,
            final long bucketStartSecond)
        {
            this.view = view;
            this.hostHi = hostHi;
            this.hostLo = hostLo;
            this.peerHi = peerHi;
            this.peerLo = peerLo;
            this.protocol = protocol;
            this.port = port;
            this.served = served;
            this.key = key;
            this.folded = folded;
            this.inBytes = inBytes;
            this.inPackets = inPackets;
            this.outBytes = outBytes;
            this.outPackets = outPackets;
            this.bucketStartSecond = bucketStartSecond;
        }

        Entry withMeasures(final long inBytes, final long inPackets, final long outBytes, final long outPackets)
        {
            return new Entry(
                view, hostHi, hostLo, peerHi, peerLo, protocol, port, served, key, folded,
                inBytes, inPackets, outBytes, outPackets, Long.MIN_VALUE);
        }

        long bucketStartSecond()
        {
            return bucketStartSecond;
        }

        /**
         * The view of the row.
         *
         * @return the view name.
         */
        public String view()
        {
            return view;
        }

        /**
         * Local host, upper bits.
         *
         * @return the bits.
         */
        public long hostHi()
        {
            return hostHi;
        }

        /**
         * Local host, lower bits.
         *
         * @return the bits.
         */
        public long hostLo()
        {
            return hostLo;
        }

        /**
         * Peer, upper bits.
         *
         * @return the bits.
         */
        public long peerHi()
        {
            return peerHi;
        }

        /**
         * Peer, lower bits.
         *
         * @return the bits.
         */
        public long peerLo()
        {
            return peerLo;
        }

        /**
         * IP protocol.
         *
         * @return 0-255.
         */
        public int protocol()
        {
            return protocol;
        }

        /**
         * Service port.
         *
         * @return 0-65535.
         */
        public int port()
        {
            return port;
        }

        /**
         * Whether the local host serves the port.
         *
         * @return true for the server side.
         */
        public boolean served()
        {
            return served;
        }

        /**
         * Custom key.
         *
         * @return the key.
         */
        public long key()
        {
            return key;
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
         * Bytes received.
         *
         * @return the count.
         */
        public long inBytes()
        {
            return inBytes;
        }

        /**
         * Packets received.
         *
         * @return the count.
         */
        public long inPackets()
        {
            return inPackets;
        }

        /**
         * Bytes sent.
         *
         * @return the count.
         */
        public long outBytes()
        {
            return outBytes;
        }

        /**
         * Packets sent.
         *
         * @return the count.
         */
        public long outPackets()
        {
            return outPackets;
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
         * Equal view and key; measures are not compared.
         *
         * @param o the other object.
         * @return true for the same key.
         */
        public boolean equals(final Object o)
        {
            if (!(o instanceof Entry))
            {
                return false;
            }

            final Entry that = (Entry)o;
            return view.equals(that.view) && hostHi == that.hostHi && hostLo == that.hostLo &&
                peerHi == that.peerHi && peerLo == that.peerLo && protocol == that.protocol && port == that.port &&
                served == that.served && key == that.key && folded == that.folded;
        }

        /**
         * Hash of the view and key.
         *
         * @return the hash.
         */
        public int hashCode()
        {
            return Objects.hash(view, hostHi, hostLo, peerHi, peerLo, protocol, port, served, key, folded);
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
                (StatsRow.PORTS.equals(view) ? ", port=" + port + (served ? " served" : " client") : "") +
                (key != 0 ? ", key=" + key : "") + (folded ? ", other" : "") +
                ", in=" + inBytes + "B/" + inPackets + ", out=" + outBytes + "B/" + outPackets + '}';
        }
    }
}
