package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ParameterizedClass
@EnumSource(BufferKind.class)
class TcpFlagsDecodeTest
{
    private final DecodeHarness harness;
    private final DecodedPacket packet;

    TcpFlagsDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldReadFlagsAndSequenceWhenTcpOverIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(54321, 36050)
            .tcpFlags(DecodedPacket.TCP_SYN).tcpSequence(0xDEAD_BEEF);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0x02, packet.tcpFlags);
        assertEquals(0xDEAD_BEEF, packet.tcpSequence);
    }

    @Test
    void shouldReadFlagsWhenTcpBehindIpv6ExtensionHeaders()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("fd00::1", "2001:db8::2").hopByHop(8)
            .destinationOptions(8).tcp(36050, 54321).tcpFlags(DecodedPacket.TCP_RST | DecodedPacket.TCP_ACK)
            .tcpSequence(0);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0x14, packet.tcpFlags);
        assertEquals(0, packet.tcpSequence);
    }

    @Test
    void shouldKeepPortsWithoutFlagsWhenTheHeaderIsCutBeforeThem()
    {
        // 14 + 20 bytes of headers, then the ports and 9 more bytes of TCP: the flags are the 14th byte
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(50000, 40000)
            .tcpFlags(DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK).tcpSequence(7).snapLength(14 + 20 + 13);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(50000, packet.srcPort);
        assertEquals(40000, packet.dstPort);
        assertEquals(0, packet.tcpFlags);
        assertEquals(0, packet.tcpSequence);
    }

    @Test
    void shouldClearFlagsWhenUdpFollowsTcp()
    {
        harness.decode(new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).tcpFlags(0x12).tcpSequence(9));
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(53, 40000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0, packet.tcpFlags);
        assertEquals(0, packet.tcpSequence);
    }
}
