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
class Ipv6DecodeTest
{
    private final DecodeHarness harness;
    private final DecodedPacket packet;

    Ipv6DecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    private static FrameBuilder ipv6()
    {
        return new FrameBuilder().ipv6("2001:db8:85a3::8a2e:370:7334", "fe80::1");
    }

    @Test
    void shouldSplitAddressesIntoHalvesWhenIpv6()
    {
        final FrameBuilder frame = ipv6().udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(6, packet.ipVersion);
        assertEquals(0x2001_0DB8_85A3_0000L, packet.srcHi);
        assertEquals(0x0000_8A2E_0370_7334L, packet.srcLo);
        assertEquals(0xFE80_0000_0000_0000L, packet.dstHi);
        assertEquals(0x0000_0000_0000_0001L, packet.dstLo);
        assertFalse(packet.fragment);
    }

    @Test
    void shouldKeepIpv4MappedAddressesAsWrittenWhenIpv6()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("::ffff:192.0.2.1", "::1").udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(6, packet.ipVersion);
        assertEquals(0L, packet.srcHi);
        assertEquals(0x0000_FFFF_C000_0201L, packet.srcLo);
        assertEquals(0L, packet.dstHi);
        assertEquals(1L, packet.dstLo);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x00, 0x03, 0x28, 0xB8, 0xFC, 0xFF })
    void shouldTakeUpperSixBitsWhenTrafficClassSet(final int trafficClass)
    {
        final FrameBuilder frame = ipv6().trafficClass(trafficClass).udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(trafficClass >> 2, packet.dscp);
    }

    @Test
    void shouldSkipHopByHopWhenFirst()
    {
        final FrameBuilder frame = ipv6().hopByHop(8).udp(547, 546).payload(8);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(17, 547, 546, 40 + 8 + 8 + 8);
    }

    @Test
    void shouldSkipRoutingHeader()
    {
        final FrameBuilder frame = ipv6().routing(24).tcp(443, 50001);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(6, 443, 50001, 40 + 24 + 20);
    }

    @Test
    void shouldSkipDestinationOptions()
    {
        final FrameBuilder frame = ipv6().destinationOptions(16).tcp(80, 50002);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(6, 80, 50002, 40 + 16 + 20);
    }

    @Test
    void shouldSkipLargestOptionsHeader()
    {
        final FrameBuilder frame = ipv6().destinationOptions(2048).udp(9, 10);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(17, 9, 10, 40 + 2048 + 8);
    }

    @Test
    void shouldSkipAuthenticationHeader()
    {
        final FrameBuilder frame = ipv6().authenticationHeader().udp(500, 500);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(17, 500, 500, 40 + 24 + 8);
    }

    @Test
    void shouldDecodePortsAndFlagFragmentWhenFirstFragment()
    {
        final FrameBuilder frame = ipv6().fragmentHeader(0, true).udp(4000, 4001).payload(1000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(17, packet.protocol);
        assertEquals(4000, packet.srcPort);
        assertEquals(4001, packet.dstPort);
        assertEquals(40 + 8 + 8 + 1000, packet.ipBytes);
    }

    @Test
    void shouldOmitPortsWhenLaterFragment()
    {
        final FrameBuilder frame = ipv6().fragmentHeader(129, false).tcp(1111, 2222).payload(100);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(6, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
        assertEquals(NO_PORT, packet.dstPort);
        assertEquals(40 + 8 + 20 + 100, packet.ipBytes);
    }

    @Test
    void shouldOmitPortsWhenLaterFragmentHasMoreFragments()
    {
        final FrameBuilder frame = ipv6().hopByHop(8).fragmentHeader(1, true).udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(17, packet.protocol);
        assertEquals(NO_PORT, packet.srcPort);
    }

    @Test
    void shouldNotFlagFragmentWhenAtomicFragment()
    {
        final FrameBuilder frame = ipv6().fragmentHeader(0, false).tcp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertFalse(packet.fragment);
        assertEquals(1, packet.srcPort);
        assertEquals(2, packet.dstPort);
    }

    @Test
    void shouldWalkWholeChainWhenEveryExtensionHeader()
    {
        final FrameBuilder frame = ipv6().hopByHop(16).destinationOptions(8).routing(24).fragmentHeader(0, true)
            .authenticationHeader().destinationOptions(8).tcp(25, 50025).payload(5);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTrue(packet.fragment);
        assertEquals(6, packet.protocol);
        assertEquals(25, packet.srcPort);
        assertEquals(50025, packet.dstPort);
        assertEquals(40 + 16 + 8 + 24 + 8 + 24 + 8 + 20 + 5, packet.ipBytes);
    }

    @Test
    void shouldEndChainWhenEsp()
    {
        final FrameBuilder frame = ipv6().hopByHop(8).protocol(50).payload(64);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(50, NO_PORT, NO_PORT, 40 + 8 + 64);
    }

    @Test
    void shouldEndChainWhenNoNextHeader()
    {
        final FrameBuilder frame = ipv6().destinationOptions(8).protocol(59);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(59, NO_PORT, NO_PORT, 48);
    }

    @ParameterizedTest
    @ValueSource(ints = { 4, 41, 47, 103, 132, 135, 139, 140, 253 })
    void shouldEndChainWhenOtherProtocol(final int protocol)
    {
        final FrameBuilder frame = ipv6().routing(8).protocol(protocol).payload(12);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(protocol, NO_PORT, NO_PORT, 40 + 8 + 12);
    }

    @Test
    void shouldNotReadPortsWhenIcmpv6()
    {
        final FrameBuilder frame = ipv6().icmpv6().payload(56);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(58, NO_PORT, NO_PORT, 40 + 8 + 56);
    }

    @Test
    void shouldDecodeWhenChainHoldsSixteenHeaders()
    {
        final FrameBuilder frame = ipv6();
        for (int i = 0; i < 16; i++)
        {
            frame.destinationOptions(8);
        }
        frame.udp(7, 7);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertTransport(17, 7, 7, 40 + 16 * 8 + 8);
    }

    @Test
    void shouldRejectChainWhenSeventeenHeaders()
    {
        final FrameBuilder frame = ipv6();
        for (int i = 0; i < 17; i++)
        {
            frame.destinationOptions(8);
        }
        frame.udp(7, 7);

        assertEquals(FrameOutcome.TRUNCATED_EXTENSION_HEADER, harness.decode(frame));
    }

    private void assertTransport(final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(6, packet.ipVersion);
        assertEquals(protocol, packet.protocol);
        assertEquals(srcPort, packet.srcPort);
        assertEquals(dstPort, packet.dstPort);
        assertEquals(ipBytes, packet.ipBytes);
        assertFalse(packet.fragment);
    }
}
