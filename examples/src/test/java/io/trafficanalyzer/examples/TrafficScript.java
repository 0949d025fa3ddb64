package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.classify.ServicePorts;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.PcapFileWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Test traffic: frames built with {@link FrameBuilder}, written to a pcap file, and the statistics they must produce
 * computed here, independently of the analyzer, with the rules of the design: 10/8 is local, the service port is that
 * of the port rule (a well-known port before the other, else the smaller; the script opens no TCP connections, so no
 * handshake decides), a bucket holds the packets whose time falls in it.
 */
public final class TrafficScript
{
    // 2024-05-01T10:00:00Z, a multiple of every bucket width used
    public static final long T0_SECONDS = 1_714_557_600L;
    public static final String A = "10.0.0.1";
    public static final String B = "10.0.0.2";
    public static final String R1 = "198.51.100.7";
    public static final String R2 = "203.0.113.9";

    public record Frame(long timestampNs, byte[] bytes, int wireLength, Packet packet)
    {
    }

    public record Packet(String src, String dst, String protocol, int srcPort, int dstPort, int ipLength)
    {
    }

    private final List<Frame> frames = new ArrayList<>();
    private int nonIp;
    private int truncated;

    /*
     * The standard script of the command tests: three 10 s buckets, two local hosts, two remote ones, local-local
     * and transit traffic, ARP and one truncated frame.
     */
    public static TrafficScript standard()
    {
        final TrafficScript script = new TrafficScript();
        final long t0 = T0_SECONDS * 1_000_000_000L;
        for (int i = 0; i < 1024; i++)
        {
            script.tcp(t0 + i * 5_000_000L, R1, A, 443, 50000, 1024);
            if (i < 512)
            {
                script.tcp(t0 + i * 10_000_000L + 1_000_000L, A, R1, 50000, 443, 64);
            }
        }
        for (int i = 0; i < 10; i++)
        {
            script.udp(t0 + 12_000_000_000L + i * 100_000_000L, B, R2, 40000, 53, 100);
            script.udp(t0 + 12_050_000_000L + i * 100_000_000L, R2, B, 53, 40000, 300);
        }
        for (int i = 0; i < 5; i++)
        {
            script.tcp(t0 + 15_000_000_000L + i * 100_000_000L, A, B, 50001, 22, 200);
        }
        for (int i = 0; i < 3; i++)
        {
            script.tcp(t0 + 16_000_000_000L + i * 1_000_000L, R1, R2, 1234, 80, 500);
        }
        script.arp(t0 + 17_000_000_000L);
        script.arp(t0 + 17_500_000_000L);
        script.truncated(t0 + 18_000_000_000L);
        for (int i = 0; i < 512; i++)
        {
            script.tcp(t0 + 25_000_000_000L + i * 5_000_000L, R1, A, 443, 50000, 1024);
        }

        return script;
    }

    public TrafficScript tcp(final long timestampNs, final String src, final String dst, final int srcPort,
        final int dstPort, final int ipLength)
    {
        final FrameBuilder builder = new FrameBuilder().ethernet().ipv4(src, dst).tcp(srcPort, dstPort)
            .payload(ipLength - 40);
        return add(timestampNs, builder, new Packet(src, dst, "tcp", srcPort, dstPort, ipLength));
    }

    public TrafficScript udp(final long timestampNs, final String src, final String dst, final int srcPort,
        final int dstPort, final int ipLength)
    {
        final FrameBuilder builder = new FrameBuilder().ethernet().ipv4(src, dst).udp(srcPort, dstPort)
            .payload(ipLength - 28);
        return add(timestampNs, builder, new Packet(src, dst, "udp", srcPort, dstPort, ipLength));
    }

    public TrafficScript arp(final long timestampNs)
    {
        nonIp++;
        return add(timestampNs, new FrameBuilder().ethernet().etherType(0x0806).payload(28), null);
    }

    public TrafficScript truncated(final long timestampNs)
    {
        truncated++;
        return add(timestampNs, new FrameBuilder().ethernet().ipv4(A, R1).tcp(1, 2).snapLength(24), null);
    }

    private TrafficScript add(final long timestampNs, final FrameBuilder builder, final Packet packet)
    {
        final byte[] bytes = builder.build();
        if (null != packet && builder.ipLength() != packet.ipLength())
        {
            throw new IllegalStateException("built " + builder.ipLength() + " IP bytes, meant " + packet.ipLength());
        }
        frames.add(new Frame(timestampNs, bytes, builder.wireLength(), packet));
        return this;
    }

    public List<Frame> frames()
    {
        return frames;
    }

    /*
     * The same frames, later by the given number of seconds.
     */
    public TrafficScript shifted(final long seconds)
    {
        final TrafficScript shifted = new TrafficScript();
        for (final Frame frame : frames)
        {
            shifted.frames.add(new Frame(frame.timestampNs() + seconds * 1_000_000_000L, frame.bytes(),
                frame.wireLength(), frame.packet()));
        }
        return shifted;
    }

    /*
     * Buckets of the given width that hold at least one frame.
     */
    public long bucketCount(final long bucketSeconds)
    {
        return frames.stream().map(f -> Math.floorDiv(f.timestampNs(), 1_000_000_000L * bucketSeconds)).distinct()
            .count();
    }

    /*
     * The frames [from, to) as a script of their own, e.g. a capture cut in two files.
     */
    public TrafficScript slice(final int from, final int to)
    {
        final TrafficScript slice = new TrafficScript();
        slice.frames.addAll(frames.subList(from, to));
        return slice;
    }

    public void writePcap(final Path file)
    {
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeTo(writer);
        }
    }

    public void writeTo(final PcapFileWriter writer)
    {
        for (final Frame frame : frames)
        {
            writer.record(frame.timestampNs(), frame.bytes(), frame.bytes().length, frame.wireLength());
        }
    }

    public long frameCount()
    {
        return frames.size();
    }

    public long nonIp()
    {
        return nonIp;
    }

    public long truncated()
    {
        return truncated;
    }

    public long ipPackets()
    {
        return frames.stream().filter(f -> null != f.packet()).count();
    }

    public long ipBytes()
    {
        return frames.stream().filter(f -> null != f.packet()).mapToLong(f -> f.packet().ipLength()).sum();
    }

    public long transitPackets()
    {
        return frames.stream().filter(f -> null != f.packet() && !isLocal(f.packet().src()) &&
            !isLocal(f.packet().dst())).count();
    }

    public static boolean isLocal(final String address)
    {
        return address.startsWith("10.");
    }

    /*
     * One measured row of a view: the key and in bytes, in packets, out bytes, out packets.
     */
    public record Row(List<Object> key, long[] measures)
    {
        public long bytes()
        {
            return measures[0] + measures[2];
        }
    }

    /*
     * The rows of a view over the packets whose time lies in [fromSecond, toSecond), summed per key.
     *
     * The view: host (all protocols together), hosts (per protocol), ports or peers.
     */
    public Map<List<Object>, long[]> view(final String view, final long fromSecond, final long toSecond)
    {
        final Map<List<Object>, long[]> rows = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (final Frame frame : frames)
        {
            final Packet p = frame.packet();
            final long second = Math.floorDiv(frame.timestampNs(), 1_000_000_000L);
            if (null == p || second < fromSecond || second >= toSecond)
            {
                continue;
            }
            if (isLocal(p.src()))
            {
                add(rows, key(view, p, p.src(), p.dst(), p.srcPort()), 2, p.ipLength());
            }
            if (isLocal(p.dst()))
            {
                add(rows, key(view, p, p.dst(), p.src(), p.dstPort()), 0, p.ipLength());
            }
        }

        return rows;
    }

    /*
     * Number of distinct keys per bucket of the given width, summed over the three views: the rows a sink receives.
     */
    public long rowCount(final long bucketSeconds)
    {
        final TreeSet<Long> buckets = new TreeSet<>();
        for (final Frame frame : frames)
        {
            buckets.add(Math.floorDiv(frame.timestampNs(), 1_000_000_000L * bucketSeconds) * bucketSeconds);
        }
        long rows = 0;
        for (final long start : buckets)
        {
            for (final String view : List.of("hosts", "ports", "peers"))
            {
                rows += view(view, start, start + bucketSeconds).size();
            }
        }

        return rows;
    }

    private static List<Object> key(
        final String view, final Packet p, final String host, final String other, final int hostPort)
    {
        switch (view)
        {
            case "host":
                return List.of(host);

            case "hosts":
                return List.of(host, p.protocol());

            case "ports":
                final int service = ServicePorts.servicePort(p.srcPort(), p.dstPort());
                return List.of(host, p.protocol(), service, hostPort == service ? "server" : "client");

            case "peers":
                return List.of(host, other);

            default:
                throw new IllegalArgumentException(view);
        }
    }

    private static void add(final Map<List<Object>, long[]> rows, final List<Object> key, final int at,
        final long bytes)
    {
        final long[] measures = rows.computeIfAbsent(key, k -> new long[4]);
        measures[at] += bytes;
        measures[at + 1]++;
    }

    /*
     * Rows ranked as the store ranks them: bytes in + out descending, then the key's text.
     */
    public static List<Row> ranked(final Map<List<Object>, long[]> rows)
    {
        final List<Row> ranked = new ArrayList<>();
        for (final Map.Entry<List<Object>, long[]> entry : rows.entrySet())
        {
            ranked.add(new Row(entry.getKey(), entry.getValue()));
        }
        ranked.sort((a, b) -> a.bytes() != b.bytes() ? Long.compare(b.bytes(), a.bytes()) :
            a.key().toString().compareTo(b.key().toString()));
        return ranked;
    }
}
