package io.trafficanalyzer.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The fields a decoded packet must hold for the addresses the link-layer tests build their frames with: 192.0.2.1 to
 * 198.51.100.2, and 2001:db8::1 to 2001:db8::2, no DSCP, not a fragment.
 */
final class ExpectedPackets
{
    static final String IPV4_SOURCE = "192.0.2.1";
    static final String IPV4_DESTINATION = "198.51.100.2";
    static final String IPV6_SOURCE = "2001:db8::1";
    static final String IPV6_DESTINATION = "2001:db8::2";

    private static final long LO_192_0_2_1 = 0x0000_FFFF_C000_0201L;
    private static final long LO_198_51_100_2 = 0x0000_FFFF_C633_6402L;
    private static final long HI_2001_DB8 = 0x2001_0DB8_0000_0000L;

    private ExpectedPackets()
    {
    }

    static void assertIpv4(
        final DecodedPacket packet, final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(DecodeHarness.TIMESTAMP_NS, packet.timestampNs);
        assertEquals(4, packet.ipVersion);
        assertEquals(0L, packet.srcHi);
        assertEquals(LO_192_0_2_1, packet.srcLo);
        assertEquals(0L, packet.dstHi);
        assertEquals(LO_198_51_100_2, packet.dstLo);
        assertTransport(packet, protocol, srcPort, dstPort, ipBytes);
    }

    static void assertIpv6(
        final DecodedPacket packet, final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(DecodeHarness.TIMESTAMP_NS, packet.timestampNs);
        assertEquals(6, packet.ipVersion);
        assertEquals(HI_2001_DB8, packet.srcHi);
        assertEquals(1L, packet.srcLo);
        assertEquals(HI_2001_DB8, packet.dstHi);
        assertEquals(2L, packet.dstLo);
        assertTransport(packet, protocol, srcPort, dstPort, ipBytes);
    }

    private static void assertTransport(
        final DecodedPacket packet, final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(protocol, packet.protocol);
        assertEquals(srcPort, packet.srcPort);
        assertEquals(dstPort, packet.dstPort);
        assertEquals(ipBytes, packet.ipBytes);
        assertEquals(0, packet.dscp);
        assertFalse(packet.fragment);
    }
}
