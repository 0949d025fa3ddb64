package io.trafficanalyzer.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's totals are those of the file it wrote: the test parses the pcap file itself, with its own few
 * lines of header parsing (not the library's reader or decoder, not the generator's bookkeeping), and recounts.
 */
class CaptureFileGeneratorTest
{
    private static final int FRAMES = 6000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "64", "imix" })
    void shouldWriteTheTotalsOfTheFileWhenTheFileIsParsedIndependently(final String profile) throws IOException
    {
        final Path capture = dir.resolve(profile + ".pcap");
        final CaptureTotals written = CaptureFileGenerator.write(capture, profile, FRAMES, 60);
        final Parsed parsed = parse(capture);

        assertEquals(List.of(), written.differences(parsed.totals));
        assertEquals(written.figures(), CaptureTotals.load(CaptureTotals.besideCapture(capture)).figures());
        assertEquals(Files.size(capture), written.get("info.file_bytes"));
        assertEquals(parsed.vlanFrames, written.get("info.vlan_frames"));
        assertEquals(parsed.snappedFrames, written.get("info.snapped_frames"));
        assertEquals(parsed.ipv6Packets, written.get("info.ipv6_packets"));
        assertEquals(parsed.localToLocal, written.get("info.local_to_local_packets"));
    }

    @Test
    void shouldHaveEveryKindOfTrafficWhenWritingAFewThousandFrames() throws IOException
    {
        final Path capture = dir.resolve("64.pcap");
        final CaptureTotals written = CaptureFileGenerator.write(capture, "64", FRAMES, 60);
        final Parsed parsed = parse(capture);

        for (final String protocol : new String[]{ "tcp", "udp", "icmp", "icmpv6" })
        {
            assertTrue(parsed.totals.get("hosts." + protocol + ".in_packets") > 0, protocol);
            assertTrue(parsed.totals.get("hosts." + protocol + ".out_packets") > 0, protocol);
        }
        assertTrue(parsed.vlanFrames > FRAMES / 20, "VLAN-tagged frames: " + parsed.vlanFrames);
        assertTrue(parsed.ipv6Packets > FRAMES / 5, "IPv6 packets: " + parsed.ipv6Packets);
        assertTrue(parsed.localToLocal > 0, "local to local packets: " + parsed.localToLocal);
        assertTrue(parsed.totals.get("ports.served.out_packets") > 0);
        assertTrue(written.get("hosts") > 100, "local hosts: " + written.get("hosts"));
    }

    @Test
    void shouldReachTensOfThousandsOfRemotesWhenTheCaptureHasMillionsOfPackets()
    {
        final int packets = 5_000_000;
        final SyntheticTraffic traffic = new SyntheticTraffic(packets, 1);
        final BitSet remotes = new BitSet();
        final BitSet hosts = new BitSet();
        for (int i = 0; i < packets; i++)
        {
            traffic.next();
            hosts.set(traffic.localHost());
            if (!traffic.peerLocal())
            {
                remotes.set(traffic.peer() * 2 + (6 == traffic.ipVersion() ? 1 : 0));
            }
        }

        assertTrue(remotes.cardinality() > 20_000, "remote addresses: " + remotes.cardinality());
        assertEquals(SyntheticTraffic.LOCAL_HOSTS, hosts.cardinality());
    }

    @Test
    void shouldWriteOnlySixtyFourByteFramesWhenTheProfileIs64() throws IOException
    {
        final Path capture = dir.resolve("64.pcap");
        CaptureFileGenerator.write(capture, "64", FRAMES, 60);
        final Parsed parsed = parse(capture);

        assertEquals(FRAMES, parsed.capturedLengths[64]);
        assertTrue(parsed.snappedFrames > 0);
    }

    @Test
    void shouldMixSevenFourOneWhenTheProfileIsImix() throws IOException
    {
        final Path capture = dir.resolve("imix.pcap");
        CaptureFileGenerator.write(capture, "imix", 1200, 60);
        final Parsed parsed = parse(capture);

        assertEquals(700, parsed.capturedLengths[64]);
        assertEquals(400, parsed.capturedLengths[576]);
        assertEquals(100, parsed.capturedLengths[1500]);
    }

    @Test
    void shouldAdvanceTimestampsAtASteadyRateWhenWritingTheDuration() throws IOException
    {
        final Path capture = dir.resolve("64.pcap");
        final CaptureTotals written = CaptureFileGenerator.write(capture, "64", 3000, 30);
        final Parsed parsed = parse(capture);

        // 3000 frames over 30 s: one every 10 ms from 2023-11-14T22:13:20Z
        assertEquals(1_700_000_000_000_000_000L, parsed.firstNs);
        assertEquals(1_700_000_000_000_000_000L + 2999 * 10_000_000L, parsed.lastNs);
        assertEquals(10_000_000L, parsed.minStepNs);
        assertEquals(10_000_000L, parsed.maxStepNs);
        assertEquals(parsed.lastNs, written.get("info.last_timestamp_ns"));
    }

    static final class Parsed
    {
        final CaptureTotals totals = new CaptureTotals();
        final int[] capturedLengths = new int[65536];
        long vlanFrames;
        long snappedFrames;
        long ipv6Packets;
        long localToLocal;
        long firstNs = -1;
        long lastNs;
        long minStepNs = Long.MAX_VALUE;
        long maxStepNs;
    }

    /*
     * Classic pcap, little endian, microseconds, Ethernet; 802.1Q; IPv4 and IPv6 without options or extension
     * headers: all the generator writes.
     */
    static Parsed parse(final Path capture) throws IOException
    {
        final ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(capture)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, file.getInt(0));
        assertEquals(1, file.getInt(20));

        final Parsed parsed = new Parsed();
        final Set<String> hosts = new HashSet<>();
        final Set<String> peers = new HashSet<>();
        long frames = 0;
        long bytes = 0;
        int offset = 24;
        while (offset < file.limit())
        {
            final long timestampNs = file.getInt(offset) * 1_000_000_000L + file.getInt(offset + 4) * 1000L;
            final int captured = file.getInt(offset + 8);
            final int original = file.getInt(offset + 12);
            final ByteBuffer frame = file.slice(offset + 16, captured).order(ByteOrder.BIG_ENDIAN);
            offset += 16 + captured;
            frames++;
            parsed.capturedLengths[captured]++;
            if (parsed.firstNs < 0)
            {
                parsed.firstNs = timestampNs;
            }
            else
            {
                parsed.minStepNs = Math.min(parsed.minStepNs, timestampNs - parsed.lastNs);
                parsed.maxStepNs = Math.max(parsed.maxStepNs, timestampNs - parsed.lastNs);
            }
            parsed.lastNs = timestampNs;
            parsed.snappedFrames += captured < original ? 1 : 0;

            int ip = 14;
            int etherType = frame.getShort(12) & 0xFFFF;
            if (0x8100 == etherType)
            {
                parsed.vlanFrames++;
                etherType = frame.getShort(16) & 0xFFFF;
                ip = 18;
            }
            final boolean ipv6 = 0x86DD == etherType;
            assertEquals(ipv6 ? 0x86DD : 0x0800, etherType);
            parsed.ipv6Packets += ipv6 ? 1 : 0;

            final int ipLength = ipv6 ? 40 + (frame.getShort(ip + 4) & 0xFFFF) : frame.getShort(ip + 2) & 0xFFFF;
            final int protocol = ipv6 ? frame.get(ip + 6) : frame.get(ip + 9);
            final String src = address(frame, ipv6 ? ip + 8 : ip + 12, ipv6);
            final String dst = address(frame, ipv6 ? ip + 24 : ip + 16, ipv6);
            assertEquals(original - ip, ipLength);
            bytes += ipLength;

            final int transport = ip + (ipv6 ? 40 : 20);
            final boolean ports = 6 == protocol || 17 == protocol;
            final int srcPort = ports ? frame.getShort(transport) & 0xFFFF : -1;
            final int dstPort = ports ? frame.getShort(transport + 2) & 0xFFFF : -1;
            final boolean srcLocal = isLocal(src);
            final boolean dstLocal = isLocal(dst);
            assertTrue(srcLocal || dstLocal, src + " > " + dst);
            parsed.localToLocal += srcLocal && dstLocal ? 1 : 0;

            if (srcLocal)
            {
                count(parsed.totals, src, protocol, true, ipLength, ports && srcPort < dstPort);
                hosts.add(src);
                peers.add(dst);
            }
            if (dstLocal)
            {
                count(parsed.totals, dst, protocol, false, ipLength, ports && dstPort < srcPort);
                hosts.add(dst);
                peers.add(src);
            }
        }

        parsed.totals.put("frames", frames).put("packets", frames).put("bytes", bytes)
            .put("non_ip", 0).put("malformed", 0).put("transit_packets", 0).put("late_packets", 0)
            .put("folded_keys", 0).put("hosts", hosts.size()).put("peers", peers.size());
        return parsed;
    }

    private static void count(
        final CaptureTotals totals,
        final String host,
        final int protocol,
        final boolean out,
        final int ipLength,
        final boolean served)
    {
        final String name = CaptureTotals.protocolName(protocol);
        final long inBytes = out ? 0 : ipLength;
        final long inPackets = out ? 0 : 1;
        final long outBytes = out ? ipLength : 0;
        final long outPackets = out ? 1 : 0;
        totals.addMeasures("host." + host, inBytes, inPackets, outBytes, outPackets);
        totals.addMeasures("hosts." + name, inBytes, inPackets, outBytes, outPackets);
        totals.addMeasures("peers." + name, inBytes, inPackets, outBytes, outPackets);
        if (6 == protocol || 17 == protocol)
        {
            totals.addMeasures("ports." + name, inBytes, inPackets, outBytes, outPackets);
        }
        totals.addMeasures("ports.served", served ? inBytes : 0, served ? inPackets : 0,
            served ? outBytes : 0, served ? outPackets : 0);
    }

    private static boolean isLocal(final String address)
    {
        return address.startsWith("10.77.0.") || address.startsWith("fd77:");
    }

    private static String address(final ByteBuffer frame, final int offset, final boolean ipv6)
    {
        if (!ipv6)
        {
            return (frame.get(offset) & 0xFF) + "." + (frame.get(offset + 1) & 0xFF) + "." +
                (frame.get(offset + 2) & 0xFF) + "." + (frame.get(offset + 3) & 0xFF);
        }

        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 16; i += 2)
        {
            text.append(i > 0 ? ":" : "").append(Integer.toHexString(frame.getShort(offset + i) & 0xFFFF));
        }
        // the generator's names of its local IPv6 hosts are the short form fd77::N
        final String full = text.toString();
        return full.startsWith("fd77:0:0:0:0:0:0:") ? "fd77::" + full.substring("fd77:0:0:0:0:0:0:".length()) : full;
    }
}
