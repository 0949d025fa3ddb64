package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The byte count contract: ipBytes is the outermost IP packet's length from its header, else the wire length less
 * everything before the IP header.
 */
@ParameterizedClass
@EnumSource(BufferKind.class)
class ByteCountTest
{
    private final DecodeHarness harness;
    private final DecodedPacket packet;

    ByteCountTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldCountTotalLengthWhenIpv4TruncatedBySnapLength()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).payload(1460)
            .snapLength(96);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(96, frame.capturedLength());
        assertEquals(1514, frame.wireLength());
        assertEquals(1500, packet.ipBytes);
        assertEquals(1, packet.srcPort);
    }

    @Test
    void shouldCountFortyPlusPayloadLengthWhenIpv6TruncatedBySnapLength()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(9).ipv6("2001:db8::1", "2001:db8::2").udp(1, 2)
            .payload(1452).snapLength(68);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(1500, packet.ipBytes);
        assertEquals(2, packet.dstPort);
    }

    @Test
    void shouldExcludeEthernetPaddingWhenPacketShorterThanMinimumFrame()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).padTo(60);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(60, frame.wireLength());
        assertEquals(28, packet.ipBytes);
    }

    @Test
    void shouldExcludePaddingWhenIpv6PacketShorterThanMinimumFrame()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").protocol(59).payload(1)
            .padTo(60);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(41, packet.ipBytes);
    }

    @Test
    void shouldUseWireLengthLessEthernetHeaderWhenIpv4TotalLengthZero()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipLengthField(0).tcp(1, 2)
            .payload(200).wireLength(64_014);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(64_000, packet.ipBytes);
        assertEquals(1, packet.srcPort);
    }

    @Test
    void shouldUseWireLengthLessTagsAndLabelsWhenIpv4TotalLengthZero()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(1).mpls(16, 17).ipv4("10.0.0.1", "10.0.0.2")
            .ipLengthField(0).tcp(1, 2).wireLength(9000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(9000 - 14 - 4 - 8, packet.ipBytes);
    }

    @Test
    void shouldUseCapturedLengthWhenWireLengthBelowIt()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipLengthField(0).tcp(1, 2)
            .payload(100).wireLength(10);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(20 + 20 + 100, packet.ipBytes);
    }

    @Test
    void shouldUseWireLengthLessEthernetHeaderWhenJumbogram()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").hopByHop(8)
            .ipLengthField(0).udp(1, 2).payload(100).snapLength(200).wireLength(70_014);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(70_000, packet.ipBytes);
        assertEquals(1, packet.srcPort);
    }

    @Test
    void shouldUseWireLengthWhenBigTcpWithoutHopByHop()
    {
        final FrameBuilder frame = new FrameBuilder().rawIp().ipv6("2001:db8::1", "2001:db8::2").ipLengthField(0)
            .tcp(1, 2).payload(100).wireLength(185_000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(185_000, packet.ipBytes);
    }

    @Test
    void shouldSubtractEachLinkHeaderWhenLengthFieldZero()
    {
        assertFallback(new FrameBuilder().linuxSll(), 16);
        assertFallback(new FrameBuilder().linuxSll().vlan(3), 20);
        assertFallback(new FrameBuilder().linuxSll2(), 20);
        assertFallback(new FrameBuilder().bsdNull(24, ByteOrder.LITTLE_ENDIAN), 4);
        assertFallback(new FrameBuilder().loop(24), 4);
        assertFallback(new FrameBuilder().linkType(LinkType.IPV6), 0);
        assertFallback(new FrameBuilder().pppoeSession(), 22);
        assertFallback(new FrameBuilder().tag(0x88A8, 1).vlan(2).pppoeSession(), 30);
    }

    private void assertFallback(final FrameBuilder frame, final int linkHeaderLength)
    {
        frame.ipv6("2001:db8::1", "2001:db8::2").ipLengthField(0).udp(1, 2).payload(64).wireLength(100_000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(linkHeaderLength, frame.linkHeaderLength());
        assertEquals(100_000 - linkHeaderLength, packet.ipBytes);
    }
}
