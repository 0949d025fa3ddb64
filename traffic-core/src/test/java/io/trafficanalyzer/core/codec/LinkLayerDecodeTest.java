package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.BitUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static io.trafficanalyzer.core.codec.DecodedPacket.NO_VLAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@ParameterizedClass
@EnumSource(BufferKind.class)
class LinkLayerDecodeTest
{
    private static final long LO_192_0_2_1 = 0x0000_FFFF_C000_0201L;
    private static final long LO_198_51_100_2 = 0x0000_FFFF_C633_6402L;
    private static final long HI_2001_DB8 = 0x2001_0DB8_0000_0000L;

    private final DecodeHarness harness;
    private final DecodedPacket packet;

    LinkLayerDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldDecodeEveryFieldWhenHandAssembledEthernetIpv4UdpFrame()
    {
        final byte[] frame = BitUtil.fromHex(
            "ffffffffffff" + "001122334455" + "0800" +
            "45b80024" + "00014000" + "40110000" + "0a010203" + "0a010204" +
            "d4310035" + "00100000" +
            "deadbeefdeadbeef");

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, LinkType.ETHERNET));
        assertEquals(DecodeHarness.TIMESTAMP_NS, packet.timestampNs);
        assertEquals(4, packet.ipVersion);
        assertEquals(0L, packet.srcHi);
        assertEquals(0x0000_FFFF_0A01_0203L, packet.srcLo);
        assertEquals(0L, packet.dstHi);
        assertEquals(0x0000_FFFF_0A01_0204L, packet.dstLo);
        assertEquals(17, packet.protocol);
        assertEquals(54321, packet.srcPort);
        assertEquals(53, packet.dstPort);
        assertEquals(36, packet.ipBytes);
        assertEquals(NO_VLAN, packet.vlanId);
        assertEquals(46, packet.dscp);
        assertFalse(packet.fragment);
    }

    @Test
    void shouldDecodeEthernetIpv4TcpWhenUntagged()
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().ipv4("192.0.2.1", "198.51.100.2")
            .tcp(40000, 443).payload(100);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(6, 40000, 443, 20 + 20 + 100);
        assertEquals(NO_VLAN, packet.vlanId);
    }

    @Test
    void shouldDecodeEthernetIpv6UdpWhenUntagged()
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().ipv6("2001:db8::1", "2001:db8::2")
            .udp(5353, 53).payload(30);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv6(17, 5353, 53, 40 + 8 + 30);
        assertEquals(NO_VLAN, packet.vlanId);
    }

    @Test
    void shouldDecodeAfterLinuxCookedV1Header()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll().ipv4("192.0.2.1", "198.51.100.2").udp(1000, 2000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(17, 1000, 2000, 28);
        assertEquals(16 + 28, frame.capturedLength());
    }

    @Test
    void shouldDecodeAfterLinuxCookedV2Header()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll2().ipv6("2001:db8::1", "2001:db8::2").tcp(22, 50000);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv6(6, 22, 50000, 60);
        assertEquals(20 + 60, frame.capturedLength());
    }

    @Test
    void shouldDecodeVlanTagWhenLinuxCookedV1CarriesIt()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll().vlan(42).ipv4("192.0.2.1", "198.51.100.2").icmp();

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(1, NO_PORT, NO_PORT, 28);
        assertEquals(42, packet.vlanId);
    }

    @Test
    void shouldDecodeStackedTagsWhenLinuxCookedV2CarriesThem()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll2().tag(0x88A8, 300).vlan(7)
            .ipv6("2001:db8::1", "2001:db8::2").udp(123, 123);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv6(17, 123, 123, 48);
        assertEquals(300, packet.vlanId);
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.RAW, LinkType.RAW_BSD_12, LinkType.RAW_BSD_14, LinkType.IPV4 })
    void shouldDecodeIpv4WhenRawLinkType(final int linkType)
    {
        final FrameBuilder frame = new FrameBuilder().linkType(linkType).ipv4("192.0.2.1", "198.51.100.2")
            .tcp(1, 2).payload(10);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(6, 1, 2, 50);
        assertEquals(50, frame.capturedLength());
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.RAW, LinkType.RAW_BSD_12, LinkType.RAW_BSD_14, LinkType.IPV6 })
    void shouldDecodeIpv6WhenRawLinkType(final int linkType)
    {
        final FrameBuilder frame = new FrameBuilder().linkType(linkType).ipv6("2001:db8::1", "2001:db8::2")
            .udp(3, 4);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv6(17, 3, 4, 48);
    }

    @Test
    void shouldRejectIpv6WhenLinkTypeIsRawIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().linkType(LinkType.IPV4).ipv6("2001:db8::1", "2001:db8::2")
            .udp(3, 4);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldRejectIpv4WhenLinkTypeIsRawIpv6()
    {
        final FrameBuilder frame = new FrameBuilder().linkType(LinkType.IPV6).ipv4("192.0.2.1", "198.51.100.2")
            .udp(3, 4);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 5, 7, 15 })
    void shouldRejectVersionNibbleWhenRawIpIsNeitherFourNorSix(final int version)
    {
        final FrameBuilder frame = new FrameBuilder().rawIp().ipv4("192.0.2.1", "198.51.100.2").versionNibble(version)
            .udp(3, 4);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldRejectIpv6WhenEtherTypeSaysIpv4()
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().etherType(0x0800)
            .ipv6("2001:db8::1", "2001:db8::2").udp(3, 4);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldRejectIpv4WhenEtherTypeSaysIpv6()
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().etherType(0x86DD)
            .ipv4("192.0.2.1", "198.51.100.2").udp(3, 4);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldDecodeIpv4WhenBsdNullWrittenLittleEndian()
    {
        final FrameBuilder frame = new FrameBuilder().bsdNull(2, ByteOrder.LITTLE_ENDIAN)
            .ipv4("192.0.2.1", "198.51.100.2").udp(67, 68);

        final byte[] bytes = frame.build();
        assertEquals(2, bytes[0]);
        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(17, 67, 68, 28);
    }

    @Test
    void shouldDecodeIpv4WhenBsdNullWrittenBigEndian()
    {
        final FrameBuilder frame = new FrameBuilder().bsdNull(2, ByteOrder.BIG_ENDIAN)
            .ipv4("192.0.2.1", "198.51.100.2").udp(67, 68);

        final byte[] bytes = frame.build();
        assertEquals(2, bytes[3]);
        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(17, 67, 68, 28);
    }

    @ParameterizedTest
    @ValueSource(ints = { 10, 24, 28, 30 })
    void shouldDecodeIpv6WhenBsdNullFamilyOfAnyOperatingSystem(final int family)
    {
        for (final ByteOrder byteOrder : new ByteOrder[]{ ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
        {
            final FrameBuilder frame = new FrameBuilder().bsdNull(family, byteOrder)
                .ipv6("2001:db8::1", "2001:db8::2").tcp(8080, 9090);

            assertEquals(FrameOutcome.DECODED, harness.decode(frame), byteOrder.toString());
            assertIpv6(6, 8080, 9090, 60);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7, 23, 31, 0xFFFF })
    void shouldReportNonIpWhenBsdNullFamilyIsNotInet(final int family)
    {
        final FrameBuilder frame = new FrameBuilder().bsdNull(family, ByteOrder.LITTLE_ENDIAN)
            .ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldDecodeIpv4AndIpv6WhenLoopInNetworkOrder()
    {
        final FrameBuilder ipv4 = new FrameBuilder().loop(2).ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv4));
        assertIpv4(17, 1, 2, 28);

        final FrameBuilder ipv6 = new FrameBuilder().loop(24).ipv6("2001:db8::1", "2001:db8::2").udp(1, 2);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(17, 1, 2, 48);
    }

    @Test
    void shouldReportNonIpWhenLoopFamilyIsInHostOrder()
    {
        final FrameBuilder frame = new FrameBuilder().bsdNull(2, ByteOrder.LITTLE_ENDIAN).linkType(LinkType.LOOP)
            .ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(ints = { 2, 8, 105, 127, 147, 228 + 1000, -1 })
    void shouldReportUnsupportedLinkTypeWhenUnknown(final int linkType)
    {
        final FrameBuilder frame = new FrameBuilder().linkType(linkType).ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);

        assertEquals(FrameOutcome.UNSUPPORTED_LINK_TYPE, harness.decode(frame));
        assertEquals(FrameOutcome.UNSUPPORTED_LINK_TYPE, harness.decode(new byte[0], 0, 0, linkType));
    }

    @Test
    void shouldKeepVlanIdWhenSingle8021QTag()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(100).ipv4("192.0.2.1", "198.51.100.2").tcp(1234, 80);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(100, packet.vlanId);
        assertIpv4(6, 1234, 80, 40);
    }

    @Test
    void shouldMaskPriorityAndDeiWhenTagCarriesThem()
    {
        final FrameBuilder frame = new FrameBuilder().tag(0x8100, 0xF000 | 4094).ipv4("192.0.2.1", "198.51.100.2")
            .udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(4094, packet.vlanId);
    }

    @Test
    void shouldKeepZeroWhenPriorityTagOnly()
    {
        final FrameBuilder frame = new FrameBuilder().tag(0x8100, 0xA000).ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(0, packet.vlanId);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x88A8, 0x9100, 0x8100 })
    void shouldKeepOuterVlanIdWhenQinQ(final int outerTpid)
    {
        final FrameBuilder frame = new FrameBuilder().tag(outerTpid, 200).vlan(100)
            .ipv6("2001:db8::1", "2001:db8::2").tcp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(200, packet.vlanId);
        assertIpv6(6, 1, 2, 60);
    }

    @Test
    void shouldWalkEveryTagWhenStackedDeep()
    {
        final FrameBuilder frame = new FrameBuilder().tag(0x88A8, 11).tag(0x9100, 22).vlan(33).vlan(44).vlan(55)
            .ipv4("192.0.2.1", "198.51.100.2").udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(11, packet.vlanId);
        assertEquals(14 + 5 * 4, frame.linkHeaderLength());
        assertIpv4(17, 1, 2, 28);
    }

    @Test
    void shouldDecodeIpv4WhenSingleMplsLabel()
    {
        final FrameBuilder frame = new FrameBuilder().mpls(1000).ipv4("192.0.2.1", "198.51.100.2").tcp(5, 6);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(6, 5, 6, 40);
        assertEquals(NO_VLAN, packet.vlanId);
    }

    @Test
    void shouldDecodeIpv6WhenMplsLabelStack()
    {
        final FrameBuilder frame = new FrameBuilder().mpls(16, 17, 18).ipv6("2001:db8::1", "2001:db8::2").udp(7, 8);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv6(17, 7, 8, 48);
        assertEquals(14 + 12, frame.linkHeaderLength());
    }

    @Test
    void shouldDecodeWhenMplsMulticast()
    {
        final FrameBuilder frame = new FrameBuilder().mpls(20).etherType(0x8848).ipv4("192.0.2.1", "198.51.100.2")
            .udp(7, 8);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(17, 7, 8, 28);
    }

    @Test
    void shouldDecodeWhenVlanThenMpls()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(10).mpls(30, 31).ipv4("192.0.2.1", "198.51.100.2")
            .udp(7, 8);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(10, packet.vlanId);
        assertIpv4(17, 7, 8, 28);
    }

    @Test
    void shouldReportNonIpWhenMplsPseudowireControlWord()
    {
        final FrameBuilder frame = new FrameBuilder().mpls(100).mplsControlWord().ipv4("192.0.2.1", "198.51.100.2")
            .udp(7, 8);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldReportNonIpWhenMplsCarriesEthernetPseudowire()
    {
        // the inner Ethernet frame starts with a destination MAC whose first nibble is 0
        final FrameBuilder frame = new FrameBuilder().mpls(100)
            .payload(BitUtil.fromHex("00aabbccddee0011223344550800"));

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldDecodeIpv4WhenPppoeSession()
    {
        final FrameBuilder frame = new FrameBuilder().pppoeSession().ipv4("192.0.2.1", "198.51.100.2").tcp(9, 10);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(6, 9, 10, 40);
        assertEquals(14 + 8, frame.linkHeaderLength());
    }

    @Test
    void shouldDecodeIpv6WhenVlanThenPppoeSession()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(835).pppoeSession().ipv6("2001:db8::1", "2001:db8::2")
            .tcp(9, 10);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertEquals(835, packet.vlanId);
        assertIpv6(6, 9, 10, 60);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0xC021, 0x8021, 0xC223, 0x8281 })
    void shouldReportNonIpWhenPppoeSessionCarriesControlProtocol(final int pppProtocol)
    {
        final FrameBuilder frame = new FrameBuilder().pppProtocol(pppProtocol).payload(20);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x0806, 0x88CC, 0x8863, 0x8035, 0x88B5, 0x0600, 0xFFFF })
    void shouldReportNonIpWhenEtherTypeIsNotIp(final int etherType)
    {
        final FrameBuilder frame = new FrameBuilder().etherType(etherType).payload(46);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x0026, 0x0000, 0x05DC, 0x05FF })
    void shouldReportNonIpWhenIeee8023LengthField(final int length)
    {
        // spanning tree BPDU: LLC DSAP 0x42, SSAP 0x42, control 0x03
        final FrameBuilder frame = new FrameBuilder().etherType(length).payload(BitUtil.fromHex("424203000000"));

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldReportNonIpWhenVlanTaggedArp()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(5).etherType(0x0806).payload(28);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldReportNonIpWhenLinuxCookedCarriesArp()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll2().etherType(0x0806).payload(28);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    private void assertIpv4(final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(DecodeHarness.TIMESTAMP_NS, packet.timestampNs);
        assertEquals(4, packet.ipVersion);
        assertEquals(0L, packet.srcHi);
        assertEquals(LO_192_0_2_1, packet.srcLo);
        assertEquals(0L, packet.dstHi);
        assertEquals(LO_198_51_100_2, packet.dstLo);
        assertTransport(protocol, srcPort, dstPort, ipBytes);
    }

    private void assertIpv6(final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(DecodeHarness.TIMESTAMP_NS, packet.timestampNs);
        assertEquals(6, packet.ipVersion);
        assertEquals(HI_2001_DB8, packet.srcHi);
        assertEquals(1L, packet.srcLo);
        assertEquals(HI_2001_DB8, packet.dstHi);
        assertEquals(2L, packet.dstLo);
        assertTransport(protocol, srcPort, dstPort, ipBytes);
    }

    private void assertTransport(final int protocol, final int srcPort, final int dstPort, final int ipBytes)
    {
        assertEquals(protocol, packet.protocol);
        assertEquals(srcPort, packet.srcPort);
        assertEquals(dstPort, packet.dstPort);
        assertEquals(ipBytes, packet.ipBytes);
        assertEquals(0, packet.dscp);
        assertFalse(packet.fragment);
    }
}
