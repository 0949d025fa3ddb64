package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.BitUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static io.trafficanalyzer.core.codec.DecodedPacket.NO_VLAN;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV4_DESTINATION;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV4_SOURCE;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV6_DESTINATION;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV6_SOURCE;
import static io.trafficanalyzer.core.codec.ExpectedPackets.assertIpv4;
import static io.trafficanalyzer.core.codec.ExpectedPackets.assertIpv6;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PPP (LINKTYPE_PPP), PPP in HDLC-like framing (LINKTYPE_PPP_HDLC) and Cisco HDLC (LINKTYPE_C_HDLC) frames.
 */
@ParameterizedClass
@EnumSource(BufferKind.class)
class PppDecodeTest
{
    // IPv4, DSCP 46, UDP 10.1.2.3:54321 to 10.1.2.4:53, 8 bytes of payload: 36 bytes
    private static final String IPV4_UDP = "45b80024" + "00014000" + "40110000" + "0a010203" + "0a010204" +
        "d4310035" + "00100000" + "deadbeefdeadbeef";

    private final DecodeHarness harness;
    private final DecodedPacket packet;

    PppDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @ParameterizedTest
    @CsvSource({
        "9, ff030021", "9, 0021", "9, 21", "9, ff0321", "9, 00030021", "9, 01030021",
        "50, ff030021", "50, ff0321", "50, 0f000800", "50, 8f000800", "9, 0f000800",
        "104, 0f000800", "104, 8f000800" })
    void shouldDecodeEveryFieldWhenHandAssembledHeaderThenIpv4Udp(final int linkType, final String header)
    {
        final byte[] frame = BitUtil.fromHex(header + IPV4_UDP);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, linkType));
        assertEquals(4, packet.ipVersion);
        assertEquals(0x0000_FFFF_0A01_0203L, packet.srcLo);
        assertEquals(0x0000_FFFF_0A01_0204L, packet.dstLo);
        assertEquals(17, packet.protocol);
        assertEquals(54321, packet.srcPort);
        assertEquals(53, packet.dstPort);
        assertEquals(36, packet.ipBytes);
        assertEquals(46, packet.dscp);
        assertEquals(NO_VLAN, packet.vlanId);
    }

    @ParameterizedTest
    @CsvSource({ "9, true, false", "9, false, false", "9, true, true", "9, false, true", "50, true, false" })
    void shouldDecodeIpv4AndIpv6WhenEveryPppFraming(
        final int linkType, final boolean addressAndControl, final boolean protocolCompression)
    {
        final FrameBuilder ipv4 = new FrameBuilder().linkType(linkType)
            .pppFraming(addressAndControl, protocolCompression).ipv4(IPV4_SOURCE, IPV4_DESTINATION).tcp(40000, 443)
            .payload(100);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv4));
        assertIpv4(packet, 6, 40000, 443, 140);
        assertEquals((addressAndControl ? 2 : 0) + (protocolCompression ? 1 : 2), ipv4.linkHeaderLength());

        final FrameBuilder ipv6 = new FrameBuilder().linkType(linkType)
            .pppFraming(addressAndControl, protocolCompression).ipv6(IPV6_SOURCE, IPV6_DESTINATION).udp(5353, 53);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(packet, 17, 5353, 53, 48);
    }

    @Test
    void shouldDecodeIpAfterLabelsWhenPppCarriesMpls()
    {
        final FrameBuilder unicast = new FrameBuilder().ppp().mpls(16, 17).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(33434, 33435);
        assertEquals(FrameOutcome.DECODED, harness.decode(unicast));
        assertIpv4(packet, 17, 33434, 33435, 28);
        assertEquals(4 + 8, unicast.linkHeaderLength());

        final FrameBuilder multicast = new FrameBuilder().ppp().pppProtocol(0x0283).mpls(20)
            .ipv6(IPV6_SOURCE, IPV6_DESTINATION).icmpv6();
        assertEquals(FrameOutcome.DECODED, harness.decode(multicast));
        assertIpv6(packet, 58, NO_PORT, NO_PORT, 48);
    }

    @Test
    void shouldDecodeIpAfterLabelsWhenPppoeSessionCarriesMpls()
    {
        final byte[] frame = BitUtil.fromHex(
            "020000000002" + "020000000001" + "8864" + "1100" + "1234" + "002a" + "0281" + "00010140" + IPV4_UDP);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, LinkType.ETHERNET));
        assertEquals(0x0000_FFFF_0A01_0203L, packet.srcLo);
        assertEquals(54321, packet.srcPort);
        assertEquals(36, packet.ipBytes);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0xC021, 0x8021, 0xC223, 0xC023, 0x8057, 0x80FD, 0x003D, 0x002D, 0x002F, 0x0023, 0x00FD })
    void shouldReportNonIpWhenPppCarriesAnotherProtocol(final int protocol)
    {
        final FrameBuilder frame = new FrameBuilder().ppp().pppProtocol(protocol).payload(20);
        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));

        if (protocol < 0x100)
        {
            final FrameBuilder compressed = new FrameBuilder().ppp().pppFraming(false, true).pppProtocol(protocol)
                .payload(20);
            assertEquals(FrameOutcome.NON_IP, harness.decode(compressed));
            assertEquals(1, compressed.linkHeaderLength());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "0f008035", "8f002000", "0f00fefe", "0f000806", "8f0088cc" })
    void shouldReportNonIpWhenCiscoHdlcCarriesSlarpCdpOrOsi(final String header)
    {
        final byte[] frame = BitUtil.fromHex(header + "0000000200000000000000000000ffff");

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.C_HDLC));
        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.PPP_HDLC));
    }

    @Test
    void shouldDecodeIpv6AndMplsWhenCiscoHdlc()
    {
        final FrameBuilder ipv6 = new FrameBuilder().ciscoHdlc().ipv6(IPV6_SOURCE, IPV6_DESTINATION).tcp(179, 50000);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(packet, 6, 179, 50000, 60);

        final FrameBuilder mpls = new FrameBuilder().ciscoHdlc().mpls(300).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(646, 646);
        assertEquals(FrameOutcome.DECODED, harness.decode(mpls));
        assertIpv4(packet, 17, 646, 646, 28);
    }

    @Test
    void shouldRejectIpv6WhenPppProtocolSaysIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().ppp().pppProtocol(0x0021).ipv6(IPV6_SOURCE, IPV6_DESTINATION)
            .udp(1, 2);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldReportEveryRegionWhenPppIpv4TcpTruncatedAtEveryLength()
    {
        final byte[] bytes = new FrameBuilder().ppp().ipv4(IPV4_SOURCE, IPV4_DESTINATION).tcp(1234, 80).build();
        assertEquals(4 + 20 + 20, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 4 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 24 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < 28 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.PPP), "length " + length);
        }
        assertIpv4(packet, 6, 1234, 80, 40);
    }

    @Test
    void shouldReportTruncatedLinkHeaderWhenCompressedPppFrameHasOneByte()
    {
        final byte[] bytes = new FrameBuilder().ppp().pppFraming(false, true).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(1, 2).build();

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, 0, LinkType.PPP));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, 1, LinkType.PPP));
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, 2, LinkType.PPP));
        assertEquals(FrameOutcome.DECODED, decodePrefix(bytes, bytes.length, LinkType.PPP));
    }

    @Test
    void shouldReportEveryRegionWhenCiscoHdlcIpv6UdpTruncatedAtEveryLength()
    {
        final byte[] bytes = new FrameBuilder().ciscoHdlc().ipv6(IPV6_SOURCE, IPV6_DESTINATION).udp(53, 5353).build();
        assertEquals(4 + 40 + 8, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 4 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 44 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < 48 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.C_HDLC), "length " + length);
            assertEquals(expected, decodePrefix(bytes, length, LinkType.PPP_HDLC), "PPP_HDLC length " + length);
        }
    }

    private FrameOutcome decodePrefix(final byte[] bytes, final int length, final int linkType)
    {
        return harness.decode(Arrays.copyOf(bytes, length), length, bytes.length, linkType);
    }
}
