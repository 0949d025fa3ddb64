package io.trafficanalyzer.core.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic, endless stream of Ethernet/IPv4 TCP and UDP packets between local hosts in {@code 10.1.0.0/16}
 * and remote hosts in {@code 198.18.0.0/15}, for the reliability tests and the soak run: packet {@code i} is a pure
 * function of {@code i}, stamped {@code baseNs + i * intervalNs}, so a test can write the first {@code n} packets to
 * a capture file or deliver them live, and compute on its own what the hosts view must hold afterwards.
 * <p>
 * The oracle ({@link #expectedHosts}) is independent of the library: per bucket start (epoch seconds), per
 * {@code "host|protocol"} as the SQLite {@code host_traffic} view shows them (e.g. {@code "10.1.0.7|tcp"}), the IP
 * bytes and packets in and out. Every packet has one local and one remote end, so each counts once, for its local
 * host: out when the local host sent it, in when it received it.
 */
public final class GeneratedTraffic
{
    /** The local networks to configure so that directions match the oracle. */
    public static final String[] LOCAL_NETWORKS = { "10.0.0.0/8" };

    private static final int[] SERVICE_PORTS = { 22, 53, 80, 443, 8080 };
    private static final int IPV4_HEADER = 20;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int DEFAULT_MAX_PAYLOAD = 1200;

    private final long baseNs;
    private final long intervalNs;
    private final int localHosts;
    private final int remoteHosts;
    private final long seed;
    private final int maxPayload;

    /**
     * A stream of packets with payloads of up to 1199 bytes.
     *
     * @param baseNs      timestamp of packet 0.
     * @param intervalNs  time between two packets.
     * @param localHosts  distinct local hosts, 1 to 65024.
     * @param remoteHosts distinct remote hosts, 1 to 130048.
     * @param seed        varies which packet goes where.
     */
    public GeneratedTraffic(
        final long baseNs, final long intervalNs, final int localHosts, final int remoteHosts, final long seed)
    {
        this(baseNs, intervalNs, localHosts, remoteHosts, seed, DEFAULT_MAX_PAYLOAD);
    }

    /**
     * A stream of packets.
     *
     * @param baseNs      timestamp of packet 0.
     * @param intervalNs  time between two packets.
     * @param localHosts  distinct local hosts, 1 to 65024.
     * @param remoteHosts distinct remote hosts, 1 to 130048.
     * @param seed        varies which packet goes where.
     * @param maxPayload  payloads are 0 to {@code maxPayload - 1} bytes long, 1 to 1400.
     */
    public GeneratedTraffic(
        final long baseNs,
        final long intervalNs,
        final int localHosts,
        final int remoteHosts,
        final long seed,
        final int maxPayload)
    {
        if (maxPayload < 1 || maxPayload > 1400)
        {
            throw new IllegalArgumentException("maxPayload out of range: " + maxPayload);
        }
        this.maxPayload = maxPayload;
        if (localHosts < 1 || localHosts > 254 * 256 || remoteHosts < 1 || remoteHosts > 2 * 254 * 256)
        {
            throw new IllegalArgumentException("hosts out of range: " + localHosts + ", " + remoteHosts);
        }
        this.baseNs = baseNs;
        this.intervalNs = intervalNs;
        this.localHosts = localHosts;
        this.remoteHosts = remoteHosts;
        this.seed = seed;
    }

    /**
     * Time of packet {@code i}.
     *
     * @param i the packet's index.
     * @return nanoseconds since the epoch.
     */
    public long timestampNs(final long i)
    {
        return baseNs + i * intervalNs;
    }

    /**
     * The local host of packet {@code i}.
     *
     * @param i the packet's index.
     * @return the dotted quad.
     */
    public String localHost(final long i)
    {
        final int host = (int)((mix(i) & 0xFFFF) % localHosts);
        return "10.1." + (host / 254) + "." + (1 + host % 254);
    }

    /**
     * The remote host of packet {@code i}.
     *
     * @param i the packet's index.
     * @return the dotted quad.
     */
    public String remoteHost(final long i)
    {
        final int host = (int)(((mix(i) >>> 16) & 0xFF_FFFF) % remoteHosts);
        return "198." + (18 + host / (254 * 256)) + "." + (host / 254 % 256) + "." + (1 + host % 254);
    }

    /**
     * Whether the local host sent packet {@code i}.
     *
     * @param i the packet's index.
     * @return true when outbound.
     */
    public boolean isOutbound(final long i)
    {
        return 0 != (mix(i) & (1L << 40));
    }

    /**
     * Whether packet {@code i} is TCP (else UDP).
     *
     * @param i the packet's index.
     * @return true for TCP.
     */
    public boolean isTcp(final long i)
    {
        return 0 != (mix(i) & (1L << 41));
    }

    /**
     * The service port of packet {@code i}: the remote end serves it, the local host is always the client, on a port
     * from 40000 up.
     *
     * @param i the packet's index.
     * @return 22, 53, 80, 443 or 8080.
     */
    public int servicePort(final long i)
    {
        return SERVICE_PORTS[(int)((mix(i) >>> 42) % SERVICE_PORTS.length)];
    }

    /**
     * The IP length of packet {@code i}: what the analyzer counts as its bytes.
     *
     * @param i the packet's index.
     * @return bytes.
     */
    public int ipLength(final long i)
    {
        return IPV4_HEADER + (isTcp(i) ? TCP_HEADER : UDP_HEADER) + payloadLength(i);
    }

    /**
     * The Ethernet frame of packet {@code i}.
     *
     * @param i the packet's index.
     * @return the whole frame.
     */
    public byte[] frame(final long i)
    {
        return frameBuilder(i).build();
    }

    /**
     * The builder of the Ethernet frame of packet {@code i}, for a caller that wants another link layer.
     *
     * @param i the packet's index.
     * @return a builder holding the packet.
     */
    public FrameBuilder frameBuilder(final long i)
    {
        final long h = mix(i);
        final int servicePort = servicePort(i);
        final int clientPort = 40_000 + (int)((h >>> 45) % 20_000);
        final String local = localHost(i);
        final String remote = remoteHost(i);
        final boolean outbound = isOutbound(i);
        final FrameBuilder frame = new FrameBuilder().ethernet();
        if (outbound)
        {
            frame.ipv4(local, remote);
        }
        else
        {
            frame.ipv4(remote, local);
        }
        final int sourcePort = outbound ? clientPort : servicePort;
        final int destinationPort = outbound ? servicePort : clientPort;
        if (isTcp(i))
        {
            frame.tcp(sourcePort, destinationPort);
        }
        else
        {
            frame.udp(sourcePort, destinationPort);
        }

        return frame.payload(payloadLength(i));
    }

    /**
     * Write packets {@code [0, count)} to a classic pcap file with nanosecond timestamps.
     *
     * @param file  the file, replaced.
     * @param count how many packets.
     * @return the file offset of each record, and at index {@code count} the file's length.
     */
    public long[] writePcap(final Path file, final int count)
    {
        final long[] offsets = new long[count + 1];
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS).header())
        {
            for (int i = 0; i < count; i++)
            {
                offsets[i] = writer.position();
                writer.record(timestampNs(i), frame(i));
            }
            offsets[count] = writer.position();
        }
        return offsets;
    }

    /**
     * What the hosts view must hold for packets {@code [from, to)}.
     *
     * @param from          the first packet.
     * @param to            one past the last packet.
     * @param bucketSeconds the bucket width.
     * @return per bucket start, per {@code "host|protocol"}, the totals.
     */
    public TreeMap<Long, TreeMap<String, Totals>> expectedHosts(final long from, final long to, final int bucketSeconds)
    {
        final TreeMap<Long, TreeMap<String, Totals>> buckets = new TreeMap<>();
        for (long i = from; i < to; i++)
        {
            final long second = Math.floorDiv(timestampNs(i), 1_000_000_000L);
            final long bucket = second - Math.floorMod(second, bucketSeconds);
            final String key = localHost(i) + "|" + (isTcp(i) ? "tcp" : "udp");
            final int bytes = ipLength(i);
            final Totals totals = isOutbound(i) ? new Totals(0, 0, bytes, 1) : new Totals(bytes, 1, 0, 0);
            buckets.computeIfAbsent(bucket, (ignore) -> new TreeMap<>()).merge(key, totals, Totals::plus);
        }
        return buckets;
    }

    /**
     * The sum of every bucket's totals per {@code "host|protocol"}.
     *
     * @param buckets per bucket start, per host and protocol.
     * @return per host and protocol.
     */
    public static TreeMap<String, Totals> sumOverBuckets(final Map<Long, ? extends Map<String, Totals>> buckets)
    {
        final TreeMap<String, Totals> sums = new TreeMap<>();
        for (final Map<String, Totals> bucket : buckets.values())
        {
            bucket.forEach((key, totals) -> sums.merge(key, totals, Totals::plus));
        }
        return sums;
    }

    private int payloadLength(final long i)
    {
        return (int)((mix(i) >>> 50) % maxPayload);
    }

    private long mix(final long i)
    {
        // SplitMix64's finaliser: every bit of i spreads over every bit of the result
        long z = i * 0x9E3779B97F4A7C15L + seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Bytes and packets in and out of a host.
     *
     * @param inBytes    bytes received.
     * @param inPackets  packets received.
     * @param outBytes   bytes sent.
     * @param outPackets packets sent.
     */
    public record Totals(long inBytes, long inPackets, long outBytes, long outPackets)
    {
        /**
         * The sum of two totals.
         *
         * @param other the other.
         * @return the sum.
         */
        public Totals plus(final Totals other)
        {
            return new Totals(inBytes + other.inBytes, inPackets + other.inPackets, outBytes + other.outBytes,
                outPackets + other.outPackets);
        }

        /**
         * Packets in and out.
         *
         * @return the count.
         */
        public long packets()
        {
            return inPackets + outPackets;
        }
    }
}
