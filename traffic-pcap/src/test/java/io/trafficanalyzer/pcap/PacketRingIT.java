package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.testing.FrameBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@link PcapReadMode#RING} capture must do that libpcap did for it: give back VLAN tags the kernel took out
 * of the frames, filter on them in the kernel, see each loopback frame once, and set promiscuous mode for as long as
 * it captures. The ring and libpcap's {@link PcapReadMode#DISPATCH} are held to the same bytes.
 */
final class PacketRingIT
{
    private static final int COPIES = 3;

    @BeforeEach
    void requireLab()
    {
        VethLab.assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"RING", "DISPATCH"})
    void shouldDeliverTaggedFramesByteForByteWhenKernelTookTheirTagsOut(final PcapReadMode mode) throws Exception
    {
        final byte[] dot1q = new FrameBuilder().ethernet().vlan(100).ipv4("10.203.0.2", "198.51.100.7")
            .udp(40000, 53).payload(30).build();
        final byte[] withPriority = new FrameBuilder().ethernet().tag(0x8100, 0xA0C8)
            .ipv4("198.51.100.7", "10.203.0.2").tcp(443, 40001).payload(10).build();
        final byte[] qinq = new FrameBuilder().ethernet().tag(0x88A8, 0x2064).vlan(200)
            .ipv6("fd42:203::2", "2001:db8::7").udp(50000, 123).payload(20).build();
        final byte[] untagged = new FrameBuilder().ethernet().ipv4("10.203.0.2", "198.51.100.7")
            .udp(40000, 53).payload(30).build();
        final List<byte[]> frames = List.of(dot1q, withPriority, qinq, untagged);

        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).readMode(mode).build());
            final RecordingHandler captured = new RecordingHandler();
            try
            {
                assertEquals(mode, source.readMode());
                send(sender, lab.senderInterface, frames);
                receive(source, captured, frames.size() * COPIES);
            }
            finally
            {
                source.close();
            }

            assertEquals(frames.size() * COPIES, captured.bytes().size());
            for (int i = 0; i < captured.bytes().size(); i++)
            {
                final byte[] sent = frames.get(i / COPIES);
                assertArrayEquals(sent, captured.bytes().get(i), "frame " + i);
                assertEquals(sent.length, captured.frames.get(i).wireLength(), "wire length of frame " + i);
            }
        }
    }

    @Test
    void shouldFilterOnVlanIdInTheKernelWhenReadingTheRing() throws Exception
    {
        final byte[] vlan100 = new FrameBuilder().ethernet().vlan(100).ipv4("10.203.0.2", "198.51.100.7")
            .udp(40000, 53).payload(30).build();
        final byte[] vlan200 = new FrameBuilder().ethernet().vlan(200).ipv4("10.203.0.2", "198.51.100.7")
            .udp(40000, 53).payload(30).build();
        final byte[] untagged = new FrameBuilder().ethernet().ipv4("10.203.0.2", "198.51.100.7")
            .udp(40000, 53).payload(30).build();

        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).filter("vlan 100").build());
            final RecordingHandler captured = new RecordingHandler();
            try
            {
                assertEquals(PcapReadMode.RING, source.readMode());
                send(sender, lab.senderInterface, List.of(untagged, vlan200, vlan100, untagged));
                receive(source, captured, COPIES);
            }
            finally
            {
                source.close();
            }

            assertEquals(COPIES, captured.bytes().size());
            for (final byte[] frame : captured.bytes())
            {
                assertArrayEquals(vlan100, frame);
            }
            assertEquals(COPIES, source.received());
        }
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"RING", "DISPATCH"})
    void shouldSeeEachLoopbackFrameOnceWhenCapturingLoopback(final PcapReadMode mode) throws Exception
    {
        final int datagrams = 5;
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace))
        {
            lab.inCapture("ip", "link", "set", "lo", "up");
            final DatagramSocket receiver = capture.call(() -> new DatagramSocket(0, InetAddress.getLoopbackAddress()));
            final int port = receiver.getLocalPort();
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces("lo").readMode(mode).build());
            final RecordingHandler captured = new RecordingHandler();
            try
            {
                assertEquals(mode, source.readMode());
                capture.call(() ->
                {
                    try (DatagramSocket socket = new DatagramSocket())
                    {
                        final byte[] payload = new byte[12];
                        for (int i = 0; i < datagrams; i++)
                        {
                            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(),
                                port));
                        }
                    }
                    return null;
                });
                receive(source, captured, datagrams);
            }
            finally
            {
                source.close();
                receiver.close();
            }

            // Ethernet (zero addresses) + IPv4 + UDP to the receiver's port, counted by hand: 14 + 20 + 8 + 12 bytes
            final long toPort = captured.bytes().stream()
                .filter((frame) -> frame.length == 54 && frame[23] == 17 && destinationPort(frame) == port)
                .count();
            assertEquals(datagrams, toPort, captured.frames.size() + " frames");
            assertEquals(datagrams, captured.bytes().size());
        }
    }

    @Test
    void shouldGiveAnyCaptureLibpcapsFramesBehindACookedV2Header() throws Exception
    {
        final byte[] plain = new FrameBuilder().ethernet().ipv4("10.203.0.2", "198.51.100.7").udp(40000, 53)
            .payload(30).build();
        final byte[] tagged = new FrameBuilder().ethernet().vlan(100).ipv6("fd42:203::2", "2001:db8::7")
            .tcp(40001, 443).payload(10).build();
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource ring = capture.call(() -> PcapLiveSource.builder().interfaces("any").build());
            final PcapLiveSource libpcap = capture.call(() -> PcapLiveSource.builder().interfaces("any")
                .readMode(PcapReadMode.DISPATCH).build());
            final int ifindex = capture.call(() -> LinuxSockets.ifNametoindex(lab.captureInterface));
            final RecordingHandler fromRing = new RecordingHandler();
            final RecordingHandler fromLibpcap = new RecordingHandler();
            try
            {
                assertEquals(PcapReadMode.RING, ring.readMode());
                assertEquals(PcapReadMode.DISPATCH, libpcap.readMode());
                send(sender, lab.senderInterface, List.of(plain, tagged));
                receive(ring, fromRing, 2 * COPIES);
                receive(libpcap, fromLibpcap, 2 * COPIES);
            }
            finally
            {
                ring.close();
                libpcap.close();
            }

            assertEquals(2 * COPIES, fromRing.bytes().size());
            assertEquals(2 * COPIES, fromLibpcap.bytes().size());
            for (int i = 0; i < 2 * COPIES; i++)
            {
                final byte[] sent = i < COPIES ? plain : tagged;
                final byte[] cooked = fromRing.bytes().get(i);
                // cooked v2 (20 bytes, ours) and v1 (16 bytes, libpcap's): the same frame after the header
                assertArrayEquals(
                    Arrays.copyOfRange(fromLibpcap.bytes().get(i), 16, fromLibpcap.bytes().get(i).length),
                    Arrays.copyOfRange(cooked, 20, cooked.length), "frame " + i);
                assertArrayEquals(Arrays.copyOfRange(sent, 14, sent.length), Arrays.copyOfRange(cooked, 20,
                    cooked.length), "frame " + i + " after its Ethernet header");
                assertArrayEquals(Arrays.copyOfRange(sent, 12, 14), Arrays.copyOfRange(cooked, 0, 2), "EtherType");
                assertEquals(sent.length - 14 + 20, fromRing.frames.get(i).wireLength());

                final ByteBuffer header = ByteBuffer.wrap(cooked);
                assertEquals(ifindex, header.getInt(4));
                assertEquals(1, header.getShort(8));
                assertEquals(3, cooked[10], "packet type: to another host");
                assertEquals(6, cooked[11]);
                assertArrayEquals(
                    Arrays.copyOfRange(sent, 6, 12), Arrays.copyOfRange(cooked, 12, 18), "the frame's source address");
            }
        }
    }

    @Test
    void shouldRunFilterOfAnyCaptureInTheKernelOnTheRing() throws Exception
    {
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder().interfaces("any")
                .filter("tcp or ip6").build());
            final Map<Flow, Integer> matching = new LinkedHashMap<>();
            LiveCaptureIT.PLAN.forEach((flow, count) ->
            {
                if (flow.protocol() == Flow.TCP || flow.isIpv6())
                {
                    matching.put(flow, count);
                }
            });
            try
            {
                assertEquals(PcapReadMode.RING, source.readMode());
                LiveCaptureIT.send(sender, lab.senderInterface, LiveCaptureIT.PLAN, LiveCaptureIT.NON_IP_FRAMES);
                final LiveCaptureIT.Captured captured = LiveCaptureIT.capture(
                    source, LiveCaptureIT.total(matching), LocalNetworks.of(capture.call(source::localPrefixes)));

                assertEquals(LiveCaptureIT.expectedTally(matching, 0).toString(), captured.tally.toString());
                assertEquals(22, LiveCaptureIT.total(matching));
            }
            finally
            {
                source.close();
            }
            assertEquals(22, source.received());
        }
    }

    @Test
    void shouldPutInterfaceInPromiscuousModeOnlyWhileCapturing() throws Exception
    {
        final byte[] frame = new FrameBuilder().ethernet().ipv4("10.203.0.2", "198.51.100.7").udp(40000, 53)
            .payload(30).build();
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            assertEquals(0, promiscuity(lab));
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).promiscuous(true).build());
            final RecordingHandler captured = new RecordingHandler();
            try
            {
                assertEquals(PcapReadMode.RING, source.readMode());
                assertEquals(1, promiscuity(lab));
                send(sender, lab.senderInterface, List.of(frame));
                receive(source, captured, COPIES);
            }
            finally
            {
                source.close();
            }

            assertEquals(COPIES, captured.bytes().size());
            assertEquals(0, promiscuity(lab));
        }
    }

    // the UDP destination port of an Ethernet/IPv4 frame without options
    private static int destinationPort(final byte[] frame)
    {
        return (frame[36] & 0xFF) << 8 | (frame[37] & 0xFF);
    }

    // how many holders keep the capture interface promiscuous (packet socket memberships count, not shown in flags)
    private static int promiscuity(final VethLab lab) throws Exception
    {
        final Process process = new ProcessBuilder("ip", "-d", "-n", lab.captureNamespace, "link", "show", "dev",
            lab.captureInterface).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        final Matcher matcher = Pattern.compile("promiscuity (\\d+)").matcher(output);
        assertTrue(matcher.find(), output);
        return Integer.parseInt(matcher.group(1));
    }

    private static void send(final NamespaceThread sender, final String interfaceName, final List<byte[]> frames)
        throws Exception
    {
        sender.call(() ->
        {
            try (FrameInjector injector = new FrameInjector(interfaceName))
            {
                for (final byte[] frame : frames)
                {
                    injector.send(frame, COPIES);
                }
            }
            return null;
        });
    }

    private static void receive(final PcapLiveSource source, final RecordingHandler captured, final int expected)
        throws InterruptedException
    {
        LiveCaptureIT.receive(source, captured, () -> captured.frames.size() >= expected);
    }
}
