package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(BufferKind.class)
class Ipv4DecodeTest
{
    private final DecodeHarness harness;
    private final DecodedPacket packet;

    Ipv4DecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldMapAddressesToIpv6WhenIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("255.254.253.252", "0.0.0.1").udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0L, packet.srcHi);
        assertEquals(0x0000_FFFF_FFFE_FDFCL, packet.srcLo);
        assertEquals(0L, packet.dstHi);
        assertEquals(0x0000_FFFF_0000_0001L, packet.dstLo);
    }

    @Test
    void shouldWidenPortsWhenAbove32767()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(65535, 32768);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(65535, packet.srcPort);
        assertEquals(32768, packet.dstPort);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x00, 0x03, 0x28, 0xB8, 0xFC, 0xFF })
    void shouldTakeUpperSixBitsWhenTypeOfServiceSet(final int tos)
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").trafficClass(tos).udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(tos >> 2, packet.dscp);
    }

    @ParameterizedTest
    @ValueSource(ints = { 4, 8, 20, 40 })
    void shouldSkipOptionsWhenHeaderLongerThan20(final int optionsLength)
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Options(optionsLength)
            .tcp(4321, 22).payload(3);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(6, packet.protocol);
        assertEquals(4321, packet.srcPort);
        assertEquals(22, packet.dstPort);
        assertEquals(20 + optionsLength + 20 + 3, packet.ipBytes);
    }

    @Test
    void shouldDecodePortsAndFlagFragmentWhenFirstFragment()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Fragment(0, true)
            .udp(5000, 6000).payload(1472);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(17, packet.protocol);
        assertEquals(5000, packet.srcPort);
        assertEquals(6000, packet.dstPort);
        assertEquals(1500, packet.ipBytes);
    }

    @Test
    void shouldOmitPortsWhenMiddleFragment()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Fragment(185, true)
            .protocolField(17).payload(1480);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(17, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertEquals(NO_PORT, packet.dstPort);
        assertEquals(1500, packet.ipBytes);
    }

    @Test
    void shouldOmitPortsWhenLastFragmentEvenIfFewBytesFollow()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Fragment(370, false)
            .protocolField(6).payload(2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(6, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertEquals(NO_PORT, packet.dstPort);
        assertEquals(22, packet.ipBytes);
    }

    @Test
    void shouldNotFlagFragmentWhenDontFragmentOnly()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").dontFragment().tcp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertFalse(packet.fragment);
        assertEquals(1, packet.srcPort);
    }

    @Test
    void shouldSkipAuthenticationHeaderWhenTransportBehindIt()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").authenticationHeader()
            .tcp(179, 50179).payload(19);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(6, packet.protocol);
        assertEquals(179, packet.srcPort);
        assertEquals(50179, packet.dstPort);
        assertEquals(20 + 24 + 20 + 19, packet.ipBytes);
    }

    @Test
    void shouldSkipAuthenticationHeadersWhenTwoInARow()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").authenticationHeader(12)
            .authenticationHeader(32).udp(500, 4500);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(17, packet.protocol);
        assertEquals(500, packet.srcPort);
        assertEquals(4500, packet.dstPort);
        assertEquals(20 + 12 + 32 + 8, packet.ipBytes);
    }

    @Test
    void shouldKeepAuthenticationHeaderProtocolWhenLaterFragment()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Fragment(10, false)
            .protocolField(51).payload(40);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(51, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertTrue(packet.fragment);
    }

    @Test
    void shouldNotReadPortsWhenIcmp()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp().payload(56);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(1, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertEquals(NO_PORT, packet.dstPort);
        assertFalse(packet.hasPorts());
        assertEquals(84, packet.ipBytes);
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 47, 50, 89, 132, 253, 255 })
    void shouldReportProtocolWithoutPortsWhenOther(final int protocol)
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").protocol(protocol).payload(30);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(protocol, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertEquals(NO_PORT, packet.dstPort);
        assertEquals(50, packet.ipBytes);
    }

    @Test
    void shouldReportProtocolWhenEspAfterAuthenticationHeader()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").authenticationHeader()
            .protocol(50).payload(64);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(50, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
    }

    @Test
    void shouldTreatIpv6HeaderNumbersAsOtherProtocolsWhenIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").protocol(0).payload(8);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
    }
}
