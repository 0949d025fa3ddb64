package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.testing.PcapFileWriter;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.BitSet;

/**
 * Writes the synthetic captures of the benchmarks and of the end-to-end harness, and beside each the totals it
 * wrote, counted by the generator itself frame by frame (not by the library): see {@link SyntheticTraffic} for the
 * traffic, {@link CaptureTotals} for the figures.
 * <p>
 * Two profiles of frame sizes: {@code 64}, every frame 64 bytes, and {@code imix}, the simple IMIX of 64, 576 and
 * 1500-byte frames in the proportions 7:4:1 (Ethernet frame lengths, without FCS). A 64-byte frame whose headers
 * alone are longer (IPv6 with TCP, VLAN-tagged IPv6) is written as a capture snapped at 64 bytes: its original
 * length and its IP header's length field are those of the headers. Timestamps (microseconds) advance at a steady
 * rate from 2023-11-14T22:13:20Z over the given duration.
 * <p>
 * Run as a program: {@code CaptureFileGenerator <file> <64|imix> <frames> [seconds]}; writes {@code <file>} and
 * {@code <file>.totals}.
 */
public final class CaptureFileGenerator
{
    /** Start of the capture: 2023-11-14T22:13:20Z, a multiple of 10 s, so on a bucket boundary. */
    static final long START_NS = 1_700_000_000_000_000_000L;

    /** Default duration of a capture, in seconds. */
    static final int DEFAULT_SECONDS = 300;

    private static final int[] IMIX = { 64, 576, 64, 64, 1500, 64, 576, 64, 576, 64, 64, 576 };
    private static final long SEED = 0x7AFF_1C00L;
    private static final int ETHERNET_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int HOSTS = SyntheticTraffic.LOCAL_HOSTS;
    private static final String[] PROTOCOLS = { "tcp", "udp", "icmp", "icmpv6" };

    private final SyntheticTraffic traffic;
    private final boolean imix;
    private final byte[] frame = new byte[1536];

    // what was written, from the local hosts' side: [address][protocol][measure], address i < HOSTS is IPv4
    private final long[] hostStats = new long[2 * HOSTS * PROTOCOLS.length * 4];
    private final long[] servedStats = new long[4];
    private final BitSet remoteIpv4Peers = new BitSet();
    private final BitSet remoteIpv6Peers = new BitSet();
    private final BitSet localPeers = new BitSet();
    private long ipBytes;
    private long ipv6Packets;
    private long vlanFrames;
    private long snappedFrames;
    private long localToLocalPackets;
    private int ipv4Id;
    private int wireLength;
    private int ipLength;

    private CaptureFileGenerator(final long frames, final boolean imix)
    {
        this.traffic = new SyntheticTraffic(frames, SEED);
        this.imix = imix;
    }

    /**
     * Write a capture and its totals.
     *
     * @param args the file, the profile ({@code 64} or {@code imix}), the number of frames and optionally the
     *             duration in seconds (default 300).
     */
    public static void main(final String[] args)
    {
        if (args.length < 3 || args.length > 4)
        {
            System.err.println("usage: CaptureFileGenerator <file> <64|imix> <frames> [seconds]");
            System.exit(2);
        }
        final Path file = Paths.get(args[0]);
        final int seconds = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_SECONDS;
        final CaptureTotals totals = write(file, args[1], Long.parseLong(args[2]), seconds);
        System.out.println(file + ": " + totals.get("frames") + " frames, " + totals.get("info.file_bytes") +
            " bytes; totals in " + CaptureTotals.besideCapture(file));
    }

    /**
     * Write a capture of the default duration without its totals file, for the file reading benchmark.
     *
     * @param file   the file to write, replaced if it exists.
     * @param mix    {@code 64} or {@code imix}.
     * @param frames the number of frames.
     * @return the length of the file.
     */
    public static long write(final Path file, final String mix, final int frames)
    {
        return generate(file, mix, frames, DEFAULT_SECONDS).get("info.file_bytes");
    }

    /*
     * Write a capture and, beside it, its totals ({@link CaptureTotals#besideCapture(Path)}).
     */
    static CaptureTotals write(final Path file, final String mix, final long frames, final int seconds)
    {
        final CaptureTotals totals = generate(file, mix, frames, seconds);
        totals.store(CaptureTotals.besideCapture(file),
            "written by CaptureFileGenerator " + mix + " " + frames + " " + seconds + ": the totals of " +
            file.getFileName() + " counted frame by frame as they were written");
        return totals;
    }

    static CaptureTotals generate(final Path file, final String mix, final long frames, final int seconds)
    {
        final boolean imix = "imix".equalsIgnoreCase(mix);
        if (!imix && !"64".equals(mix))
        {
            throw new IllegalArgumentException("mix must be 64 or imix: " + mix);
        }
        if (frames < 1 || seconds < 1)
        {
            throw new IllegalArgumentException("frames and seconds must be positive: " + frames + ", " + seconds);
        }

        final CaptureFileGenerator generator = new CaptureFileGenerator(frames, imix);
        final long stepUs = Math.max(1, seconds * 1_000_000L / frames);
        final long fileBytes;
        try (PcapFileWriter writer = PcapFileWriter.create(file).snapLength(65535))
        {
            for (long i = 0; i < frames; i++)
            {
                final int capturedLength = generator.nextFrame(i);
                writer.record(START_NS + i * stepUs * 1000, generator.frame, capturedLength, generator.wireLength);
            }
            fileBytes = writer.position();
        }

        final CaptureTotals totals = generator.totals(frames);
        totals.put("info.file_bytes", fileBytes);
        totals.put("info.first_timestamp_ns", START_NS);
        totals.put("info.last_timestamp_ns", START_NS + (frames - 1) * stepUs * 1000);
        totals.put("info.imix", imix ? 1 : 0);
        return totals;
    }

    /*
     * Encode the next packet into {@link #frame}.
     *
     * @return the captured length.
     */
    private int nextFrame(final long index)
    {
        final SyntheticTraffic t = traffic;
        t.next();
        final int frameLength = imix ? IMIX[(int)(index % IMIX.length)] : 64;
        final boolean ipv6 = 6 == t.ipVersion();
        final boolean out = t.outbound();
        final int protocol = t.protocol();

        // Ethernet: the local host's MAC and the router's (or the other local host's)
        final int localMac = t.localHost();
        final int peerMac = t.peerLocal() ? t.peer() : 0xFFFF;
        putMac(out ? 0 : 6, peerMac);
        putMac(out ? 6 : 0, localMac);
        int offset = 12;
        if (0 != t.vlanId())
        {
            putShort(offset, 0x8100);
            putShort(offset + 2, t.vlanId());
            offset += VLAN_TAG;
            vlanFrames++;
        }
        putShort(offset, ipv6 ? 0x86DD : 0x0800);
        offset += 2;

        final int ipHeader = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        final int transportHeader = SyntheticTraffic.TCP == protocol ? 20 : 8;
        final int headers = offset + ipHeader + transportHeader;
        final int capturedLength;
        if (headers <= frameLength)
        {
            capturedLength = frameLength;
            wireLength = frameLength;
        }
        else
        {
            capturedLength = frameLength;
            wireLength = headers;
            snappedFrames++;
        }
        ipLength = wireLength - offset;

        if (ipv6)
        {
            putIpv6(offset, protocol, out);
        }
        else
        {
            putIpv4(offset, protocol, out);
        }
        putTransport(offset + ipHeader, protocol, ipHeader, out);
        account(protocol, out);

        return capturedLength;
    }

    private void putIpv4(final int offset, final int protocol, final boolean out)
    {
        final SyntheticTraffic t = traffic;
        final int local = SyntheticTraffic.localIpv4(t.localHost());
        final int peer = t.peerLocal() ? SyntheticTraffic.localIpv4(t.peer()) : SyntheticTraffic.remoteIpv4(t.peer());
        frame[offset] = 0x45;
        frame[offset + 1] = 0;
        putShort(offset + 2, ipLength);
        putShort(offset + 4, ipv4Id++);
        putShort(offset + 6, 0x4000);
        frame[offset + 8] = 64;
        frame[offset + 9] = (byte)protocol;
        putShort(offset + 10, 0);
        putInt(offset + 12, out ? local : peer);
        putInt(offset + 16, out ? peer : local);

        int sum = 0;
        for (int i = 0; i < IPV4_HEADER; i += 2)
        {
            sum += ((frame[offset + i] & 0xFF) << 8) | (frame[offset + i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        putShort(offset + 10, ~sum & 0xFFFF);
    }

    private void putIpv6(final int offset, final int protocol, final boolean out)
    {
        final SyntheticTraffic t = traffic;
        final long localHi = SyntheticTraffic.LOCAL_IPV6_HI;
        final long localLo = SyntheticTraffic.localIpv6Lo(t.localHost());
        final long peerHi = t.peerLocal() ? SyntheticTraffic.LOCAL_IPV6_HI : SyntheticTraffic.remoteIpv6Hi(t.peer());
        final long peerLo = t.peerLocal() ?
            SyntheticTraffic.localIpv6Lo(t.peer()) : SyntheticTraffic.remoteIpv6Lo(t.peer());
        putInt(offset, 0x6000_0000);
        putShort(offset + 4, ipLength - IPV6_HEADER);
        frame[offset + 6] = (byte)protocol;
        frame[offset + 7] = 64;
        putLong(offset + 8, out ? localHi : peerHi);
        putLong(offset + 16, out ? localLo : peerLo);
        putLong(offset + 24, out ? peerHi : localHi);
        putLong(offset + 32, out ? peerLo : localLo);
    }

    private void putTransport(final int offset, final int protocol, final int ipHeader, final boolean out)
    {
        final SyntheticTraffic t = traffic;
        if (SyntheticTraffic.TCP == protocol || SyntheticTraffic.UDP == protocol)
        {
            putShort(offset, out ? t.localPort() : t.peerPort());
            putShort(offset + 2, out ? t.peerPort() : t.localPort());
            if (SyntheticTraffic.TCP == protocol)
            {
                putInt(offset + 4, ipv4Id * 1460);
                putInt(offset + 8, ipv4Id * 977);
                frame[offset + 12] = 0x50;
                frame[offset + 13] = 0x10;
                putShort(offset + 14, 0xFFFF);
                putInt(offset + 16, 0);
            }
            else
            {
                putShort(offset + 4, ipLength - ipHeader);
                putShort(offset + 6, 0);
            }
        }
        else
        {
            // echo request from the local host, reply to it
            final boolean ipv6 = SyntheticTraffic.ICMPV6 == protocol;
            frame[offset] = (byte)(out ? (ipv6 ? 128 : 8) : (ipv6 ? 129 : 0));
            frame[offset + 1] = 0;
            putShort(offset + 2, 0);
            putShort(offset + 4, t.localPort());
            putShort(offset + 6, t.peerPort() + ipv4Id);
        }
    }

    private void account(final int protocol, final boolean out)
    {
        final SyntheticTraffic t = traffic;
        final boolean ipv6 = 6 == t.ipVersion();
        final int base = ipv6 ? HOSTS : 0;
        final int p = protocolIndex(protocol);
        ipBytes += ipLength;
        if (ipv6)
        {
            ipv6Packets++;
        }

        addHost(base + t.localHost(), p, out);
        if (t.peerLocal())
        {
            localToLocalPackets++;
            addHost(base + t.peer(), p, !out);
            localPeers.set(base + t.peer());
            localPeers.set(base + t.localHost());
        }
        else if (ipv6)
        {
            remoteIpv6Peers.set(t.peer());
        }
        else
        {
            remoteIpv4Peers.set(t.peer());
        }

        if (SyntheticTraffic.TCP == protocol || SyntheticTraffic.UDP == protocol)
        {
            // the local host serves the flow when its port is the lower one, the service port
            if (t.localPort() < t.peerPort())
            {
                servedStats[out ? 2 : 0] += ipLength;
                servedStats[out ? 3 : 1]++;
            }
            if (t.peerLocal() && t.peerPort() < t.localPort())
            {
                servedStats[out ? 0 : 2] += ipLength;
                servedStats[out ? 1 : 3]++;
            }
        }
    }

    private void addHost(final int address, final int protocol, final boolean out)
    {
        final int index = (address * PROTOCOLS.length + protocol) * 4 + (out ? 2 : 0);
        hostStats[index] += ipLength;
        hostStats[index + 1]++;
    }

    private CaptureTotals totals(final long frames)
    {
        final CaptureTotals totals = new CaptureTotals()
            .put("frames", frames)
            .put("packets", frames)
            .put("bytes", ipBytes)
            .put("non_ip", 0)
            .put("malformed", 0)
            .put("transit_packets", 0)
            .put("late_packets", 0)
            .put("folded_keys", 0)
            .put("peers", remoteIpv4Peers.cardinality() + remoteIpv6Peers.cardinality() + localPeers.cardinality())
            .put("info.ipv6_packets", ipv6Packets)
            .put("info.vlan_frames", vlanFrames)
            .put("info.snapped_frames", snappedFrames)
            .put("info.local_to_local_packets", localToLocalPackets)
            .put("info.remote_population", traffic.remotes());

        int hosts = 0;
        for (int address = 0; address < 2 * HOSTS; address++)
        {
            final String host = address < HOSTS ?
                "10.77.0." + (address + 1) : "fd77::" + Integer.toHexString(address - HOSTS + 1);
            boolean seen = false;
            for (int p = 0; p < PROTOCOLS.length; p++)
            {
                final int index = (address * PROTOCOLS.length + p) * 4;
                if (0 != hostStats[index + 1] || 0 != hostStats[index + 3])
                {
                    seen = true;
                    final long inBytes = hostStats[index];
                    final long inPackets = hostStats[index + 1];
                    final long outBytes = hostStats[index + 2];
                    final long outPackets = hostStats[index + 3];
                    totals.addMeasures("host." + host, inBytes, inPackets, outBytes, outPackets);
                    for (final String view : new String[]{ "hosts", "peers", "ports" })
                    {
                        if (!"ports".equals(view) || p < 2)
                        {
                            totals.addMeasures(view + "." + PROTOCOLS[p], inBytes, inPackets, outBytes, outPackets);
                        }
                    }
                }
            }
            hosts += seen ? 1 : 0;
        }
        totals.put("hosts", hosts);
        totals.addMeasures("ports.served", servedStats[0], servedStats[1], servedStats[2], servedStats[3]);

        return totals;
    }

    private static int protocolIndex(final int protocol)
    {
        switch (protocol)
        {
            case SyntheticTraffic.TCP:
                return 0;
            case SyntheticTraffic.UDP:
                return 1;
            case SyntheticTraffic.ICMP:
                return 2;
            default:
                return 3;
        }
    }

    private void putMac(final int offset, final int host)
    {
        frame[offset] = 0x02;
        frame[offset + 1] = 0x77;
        frame[offset + 2] = 0;
        frame[offset + 3] = 0;
        frame[offset + 4] = (byte)(host >>> 8);
        frame[offset + 5] = (byte)host;
    }

    private void putShort(final int offset, final int value)
    {
        frame[offset] = (byte)(value >>> 8);
        frame[offset + 1] = (byte)value;
    }

    private void putInt(final int offset, final int value)
    {
        putShort(offset, value >>> 16);
        putShort(offset + 2, value);
    }

    private void putLong(final int offset, final long value)
    {
        putInt(offset, (int)(value >>> 32));
        putInt(offset + 4, (int)value);
    }
}
