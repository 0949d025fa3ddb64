package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.PcapFileWriter;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A capture for the counting tests: packet {@code i} of a {@link GeneratedTraffic}, stamped at a time of its own
 * (a steady pace with a jitter that stays inside the analyzer's allowed lateness, and now and then a packet far back
 * in time, which arrives late), written whole or in slices to pcap files; and what the four views must show for
 * slices read as streams of their own, computed from the packets alone.
 */
final class GeneratedCapture
{
    static final long S = 1_000_000_000L;
    static final long LATENESS_NS = 2 * S;

    private static final int JITTER_MS = 1_000;
    private static final int LOCAL_HOSTS = 8;
    private static final int REMOTE_HOSTS = 40;

    private final String name;
    private final GeneratedTraffic traffic;
    private final long[] stamps;

    private GeneratedCapture(final String name, final GeneratedTraffic traffic, final long[] stamps)
    {
        this.name = name;
        this.traffic = traffic;
        this.stamps = stamps;
    }

    /*
     * Packets spread evenly over [startNs, startNs + spanNs), each up to a second later than its place, a few of them
     * moved back by more than the allowed lateness.
     */
    static GeneratedCapture generate(
        final String name, final long seed, final long startNs, final long spanNs, final int packets,
        final int jumpsBack)
    {
        return generate(name, seed, startNs, spanNs, packets, jumpsBack, LOCAL_HOSTS, REMOTE_HOSTS);
    }

    /*
     * The same with more or fewer hosts, so more or fewer rows in a bucket.
     */
    static GeneratedCapture generate(
        final String name, final long seed, final long startNs, final long spanNs, final int packets,
        final int jumpsBack, final int localHosts, final int remoteHosts)
    {
        final Random random = new Random(seed);
        final long intervalNs = spanNs / packets;
        final GeneratedTraffic traffic =
            new GeneratedTraffic(startNs, intervalNs, localHosts, remoteHosts, seed, 600);
        final long[] stamps = new long[packets];
        for (int i = 0; i < packets; i++)
        {
            stamps[i] = traffic.timestampNs(i) + random.nextInt(JITTER_MS) * 1_000_000L;
        }
        for (int j = 0; j < jumpsBack; j++)
        {
            stamps[random.nextInt(packets)] -= LATENESS_NS + (1 + random.nextInt(20)) * S;
        }
        return new GeneratedCapture(name, traffic, stamps);
    }

    int size()
    {
        return stamps.length;
    }

    public String toString()
    {
        return name;
    }

    Slice all()
    {
        return new Slice(this, 0, stamps.length);
    }

    /*
     * Packets [from, to) of a capture, a capture file of their own.
     */
    record Slice(GeneratedCapture capture, int from, int to)
    {
        int size()
        {
            return to - from;
        }

        /*
         * Its first packets only: the file as it was while still being written.
         */
        Slice first(final int count)
        {
            return new Slice(capture, from, from + count);
        }

        void write(final Path file, final boolean gzip)
        {
            try (PcapFileWriter writer = (gzip ? PcapFileWriter.createGzip(file) : PcapFileWriter.create(file))
                .magic(PcapFileWriter.MAGIC_NANOSECONDS))
            {
                for (int i = from; i < to; i++)
                {
                    writer.record(capture.stamps[i], capture.traffic.frame(i));
                }
            }
        }

        public String toString()
        {
            return capture.name + "[" + from + ", " + to + ")";
        }
    }

    /*
     * What the views must show once each slice was read, whole, as a stream of its own with its own packet clock:
     * every packet in the bucket of its own timestamp, counted for its local host (the generator's local host is
     * always the client of the remote end's service port); a packet is late when its bucket ended the allowed
     * lateness before the latest time its stream had seen.
     */
    static ViewSnapshot expected(final List<Slice> streams, final int widthSeconds)
    {
        final ViewSnapshot views = new ViewSnapshot();
        final long widthNs = widthSeconds * S;
        for (final Slice slice : streams)
        {
            final GeneratedTraffic traffic = slice.capture().traffic;
            long latest = Long.MIN_VALUE;
            for (int i = slice.from(); i < slice.to(); i++)
            {
                final long stamp = slice.capture().stamps[i];
                latest = Math.max(latest, stamp);
                final long bucket = Math.floorDiv(stamp, widthNs);
                final boolean late = bucket < Math.floorDiv(latest - LATENESS_NS, widthNs);
                final String start = Long.toString(bucket * widthSeconds);
                final String host = traffic.localHost(i);
                final String protocol = traffic.isTcp(i) ? "tcp" : "udp";
                final long bytes = traffic.ipLength(i);
                final boolean out = traffic.isOutbound(i);
                final Map<String, Long> measures = Map.of(
                    "bucket_seconds", (long)widthSeconds,
                    "in_bytes", out ? 0 : bytes,
                    "in_packets", out ? 0L : 1L,
                    "out_bytes", out ? bytes : 0,
                    "out_packets", out ? 1L : 0L);
                views.add(ViewSnapshot.HOSTS, String.join(" ", start, host, protocol), measures);
                views.add(ViewSnapshot.PORTS,
                    String.join(" ", start, host, protocol, Integer.toString(traffic.servicePort(i)), "0"), measures);
                views.add(ViewSnapshot.PEERS, String.join(" ", start, host, traffic.remoteHost(i), protocol),
                    measures);
                // the malformed-reason columns are left out: 0
                views.add(ViewSnapshot.QUALITY, start, Map.ofEntries(
                    Map.entry("bucket_seconds", (long)widthSeconds),
                    Map.entry("frames", 1L),
                    Map.entry("packets", 1L),
                    Map.entry("bytes", bytes),
                    Map.entry("transit_packets", 0L),
                    Map.entry("transit_bytes", 0L),
                    Map.entry("non_ip", 0L),
                    Map.entry("late_packets", late ? 1L : 0L),
                    Map.entry("ring_drops", 0L),
                    Map.entry("kernel_drops", 0L),
                    Map.entry("folded_keys", 0L),
                    Map.entry("complete", 1L)));
            }
        }
        return views;
    }
}
