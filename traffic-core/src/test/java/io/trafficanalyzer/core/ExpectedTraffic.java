package io.trafficanalyzer.core;

import io.trafficanalyzer.core.classify.ServicePorts;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tests' oracle: what the pipeline must produce for the packets of one capture stream a test wrote, computed
 * straight from the specification with maps, independently of the pipeline's code: every frame in the bucket of its
 * own timestamp, an IP packet late when its bucket ended more than the lateness before the latest timestamp seen
 * before it. Local networks: 10.0.0.0/8 and fd00::/8.
 * <p>
 * The pipeline seals a stream's contribution to a bucket in parts (0, then one per group of late packets), so
 * {@link #snapshots} sums the parts of each bucket before comparing.
 */
public final class ExpectedTraffic
{
    public static final String[] LOCAL_NETWORKS = { "10.0.0.0/8", "fd00::/8" };
    public static final String DSCP_VIEW = "dscp";

    private static final int[] WELL_KNOWN = ServicePorts.wellKnownPorts();

    private final long widthNs;
    private final long latenessNs;
    private final boolean dscpView;
    private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
    private long maxTimestampNs = Long.MIN_VALUE;

    public ExpectedTraffic(final int widthSeconds, final long latenessNs, final boolean dscpView)
    {
        this.widthNs = widthSeconds * 1_000_000_000L;
        this.latenessNs = latenessNs;
        this.dscpView = dscpView;
    }

    public ExpectedTraffic addAll(final List<TestPacket> packets)
    {
        for (final TestPacket packet : packets)
        {
            add(packet);
        }
        return this;
    }

    public ExpectedTraffic add(final TestPacket packet)
    {
        maxTimestampNs = Math.max(maxTimestampNs, packet.timestampNs());
        final long own = Math.floorDiv(packet.timestampNs(), widthNs);
        final long oldestOpen = Math.floorDiv(maxTimestampNs - latenessNs, widthNs);
        final Bucket bucket = bucket(own);
        bucket.quality[QualityFigures.FRAMES]++;
        bucket.quality[QualityFigures.OUTCOME_BASE + packet.outcome().ordinal()]++;
        if (packet.outcome() != FrameOutcome.DECODED)
        {
            return this;
        }

        if (own < oldestOpen)
        {
            bucket.quality[QualityFigures.LATE_PACKETS]++;
        }
        bucket.quality[QualityFigures.PACKETS]++;
        bucket.quality[QualityFigures.BYTES] += packet.ipBytes();

        final boolean srcLocal = isLocal(packet.srcHi(), packet.srcLo());
        final boolean dstLocal = isLocal(packet.dstHi(), packet.dstLo());
        if (!srcLocal && !dstLocal)
        {
            bucket.quality[QualityFigures.TRANSIT_PACKETS]++;
            bucket.quality[QualityFigures.TRANSIT_BYTES] += packet.ipBytes();
            return this;
        }

        final int servicePort = servicePort(packet.srcPort(), packet.dstPort());
        if (srcLocal)
        {
            side(bucket, packet, packet.srcHi(), packet.srcLo(), packet.dstHi(), packet.dstLo(), true,
                packet.srcPort() == servicePort);
        }
        if (dstLocal)
        {
            side(bucket, packet, packet.dstHi(), packet.dstLo(), packet.srcHi(), packet.srcLo(), false,
                packet.dstPort() == servicePort);
        }

        return this;
    }

    // Add a figure to the bucket a test knows it was counted in.
    public ExpectedTraffic addQuality(final long bucketStartSecond, final int index, final long delta)
    {
        bucket(bucketStartSecond * 1_000_000_000L / widthNs).quality[index] += delta;
        return this;
    }

    public Map<Long, Snapshot> buckets()
    {
        final TreeMap<Long, Snapshot> result = new TreeMap<>();
        for (final Map.Entry<Long, Bucket> entry : buckets.entrySet())
        {
            final Bucket bucket = entry.getValue();
            final long start = entry.getKey() * widthNs / 1_000_000_000L;
            result.put(start, new Snapshot(start, (int)(widthNs / 1_000_000_000L), new TreeMap<>(bucket.rows),
                toList(bucket.quality)));
        }
        return result;
    }

    // the contributions of one stream summed per bucket start; each (start, part) at most once
    public static Map<Long, Snapshot> snapshots(final List<SealedBucket> sealed)
    {
        final Map<String, Map<Long, Snapshot>> byStream = snapshotsByStream(sealed);
        if (byStream.size() > 1)
        {
            throw new AssertionError("contributions of several streams: " + byStream.keySet());
        }
        return byStream.isEmpty() ? new TreeMap<>() : byStream.values().iterator().next();
    }

    // per stream id, the contributions summed per bucket start; each (agent, stream, start, part) at most once
    public static Map<String, Map<Long, Snapshot>> snapshotsByStream(final List<SealedBucket> sealed)
    {
        final Map<String, Map<Long, Snapshot>> result = new TreeMap<>();
        final java.util.Set<List<Object>> identities = new java.util.HashSet<>();
        for (final SealedBucket bucket : sealed)
        {
            final List<Object> identity =
                List.of(bucket.agent(), bucket.stream().id(), bucket.startEpochSecond(), bucket.part());
            if (!identities.add(identity))
            {
                throw new AssertionError("contribution sealed twice: " + bucket);
            }
            result.computeIfAbsent(bucket.stream().id(), (id) -> new TreeMap<>())
                .merge(bucket.startEpochSecond(), snapshot(bucket), Snapshot::plus);
        }
        return result;
    }

    // a part-0 contribution holds no late packet, a later part nothing but late IP packets (and late other frames)
    public static void assertLatePacketsInLaterParts(final List<SealedBucket> sealed)
    {
        for (final SealedBucket bucket : sealed)
        {
            final long expectedLate = 0 == bucket.part() ? 0 : bucket.quality().packets();
            if (expectedLate != bucket.quality().latePackets())
            {
                throw new AssertionError("late packets " + bucket.quality().latePackets() + " in " + bucket);
            }
        }
    }

    public static Snapshot snapshot(final SealedBucket bucket)
    {
        final TreeMap<RowKey, Measures> rows = new TreeMap<>();
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            final RowKey key = new RowKey(
                bucket.view(i), bucket.hostHi(i), bucket.hostLo(i), bucket.peerHi(i), bucket.peerLo(i),
                bucket.protocol(i), bucket.port(i), bucket.served(i), bucket.refused(i), bucket.key(i),
                bucket.isFolded(i));
            final Measures measures = new Measures(
                bucket.inBytes(i), bucket.inPackets(i), bucket.outBytes(i), bucket.outPackets(i));
            if (null != rows.put(key, measures))
            {
                throw new AssertionError("duplicate row " + key);
            }
        }

        final long[] quality = new long[QualityFigures.LENGTH];
        for (int i = 0; i < QualityFigures.LENGTH; i++)
        {
            quality[i] = bucket.quality().value(i);
        }

        return new Snapshot(bucket.startEpochSecond(), bucket.widthSeconds(), rows, toList(quality));
    }

    public static boolean isLocal(final long hi, final long lo)
    {
        final boolean v4Local = hi == 0 && (lo >>> 32) == 0xFFFFL && ((lo >>> 24) & 0xFF) == 10;
        final boolean v6Local = (hi >>> 56) == 0xFD;
        return v4Local || v6Local;
    }

    private void side(
        final Bucket bucket,
        final TestPacket packet,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final boolean out,
        final boolean served)
    {
        final int protocol = packet.protocol();
        bucket.count(
            new RowKey("hosts", hostHi, hostLo, 0, 0, protocol, 0, false, false, 0, false), out, packet.ipBytes());
        if (packet.hasPorts())
        {
            final int port = servicePort(packet.srcPort(), packet.dstPort());
            bucket.count(
                new RowKey("ports", hostHi, hostLo, 0, 0, protocol, port, served, false, 0, false), out,
                packet.ipBytes());
        }
        bucket.count(
            new RowKey("peers", hostHi, hostLo, peerHi, peerLo, protocol, 0, false, false, 0, false), out,
            packet.ipBytes());
        if (dscpView)
        {
            bucket.count(
                new RowKey(DSCP_VIEW, 0, 0, 0, 0, 0, 0, false, false, packet.dscp(), false), out, packet.ipBytes());
        }
    }

    private Bucket bucket(final long index)
    {
        return buckets.computeIfAbsent(index, (i) -> new Bucket());
    }

    private static List<Long> toList(final long[] values)
    {
        final List<Long> list = new ArrayList<>();
        for (final long value : values)
        {
            list.add(value);
        }
        return list;
    }

    private static final class Bucket
    {
        final TreeMap<RowKey, Measures> rows = new TreeMap<>();
        final long[] quality = new long[QualityFigures.LENGTH];

        void count(final RowKey key, final boolean out, final int bytes)
        {
            final Measures old = rows.getOrDefault(key, new Measures(0, 0, 0, 0));
            rows.put(key, out ?
                new Measures(old.inBytes(), old.inPackets(), old.outBytes() + bytes, old.outPackets() + 1) :
                new Measures(old.inBytes() + bytes, old.inPackets() + 1, old.outBytes(), old.outPackets()));
        }
    }

    public record RowKey(
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
        boolean folded) implements Comparable<RowKey>
    {
        private static final java.util.Comparator<RowKey> ORDER = java.util.Comparator
            .comparing(RowKey::view)
            .thenComparingLong(RowKey::hostHi)
            .thenComparingLong(RowKey::hostLo)
            .thenComparingLong(RowKey::peerHi)
            .thenComparingLong(RowKey::peerLo)
            .thenComparingInt(RowKey::protocol)
            .thenComparingInt(RowKey::port)
            .thenComparing(RowKey::served)
            .thenComparing(RowKey::refused)
            .thenComparingLong(RowKey::key)
            .thenComparing(RowKey::folded);

        public int compareTo(final RowKey o)
        {
            return ORDER.compare(this, o);
        }
    }

    public record Measures(long inBytes, long inPackets, long outBytes, long outPackets)
    {
        public Measures plus(final Measures other)
        {
            return new Measures(inBytes + other.inBytes, inPackets + other.inPackets, outBytes + other.outBytes,
                outPackets + other.outPackets);
        }
    }

    public record Snapshot(long start, int width, Map<RowKey, Measures> rows, List<Long> quality)
    {
        // two contributions to one bucket: rows of equal keys and figures summed
        public Snapshot plus(final Snapshot other)
        {
            if (start != other.start || width != other.width)
            {
                throw new AssertionError("different buckets: " + this + " and " + other);
            }
            final TreeMap<RowKey, Measures> sum = new TreeMap<>(rows);
            other.rows.forEach((key, measures) -> sum.merge(key, measures, Measures::plus));
            final List<Long> figures = new ArrayList<>();
            for (int i = 0; i < quality.size(); i++)
            {
                figures.add(quality.get(i) + other.quality.get(i));
            }
            return new Snapshot(start, width, sum, figures);
        }
    }

    /**
     * The documented port rule, for packets without TCP flags: a port of the well-known list before the other, else
     * the smaller; the list is the documented data, the rule is spelled out here again.
     *
     * @param sourcePort      0-65535.
     * @param destinationPort 0-65535.
     * @return the service port.
     */
    static int servicePort(final int sourcePort, final int destinationPort)
    {
        final boolean sourceKnown = Arrays.binarySearch(WELL_KNOWN, sourcePort) >= 0;
        final boolean destinationKnown = Arrays.binarySearch(WELL_KNOWN, destinationPort) >= 0;
        if (sourceKnown && !destinationKnown)
        {
            return sourcePort;
        }
        if (destinationKnown && !sourceKnown)
        {
            return destinationPort;
        }

        return Math.min(sourcePort, destinationPort);
    }
}
