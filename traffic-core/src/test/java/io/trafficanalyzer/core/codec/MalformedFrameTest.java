package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ParameterizedClass
@EnumSource(BufferKind.class)
class MalformedFrameTest
{
    private final BufferKind bufferKind;
    private final DecodeHarness harness;
    private final DecodedPacket packet;

    MalformedFrameTest(final BufferKind bufferKind)
    {
        this.bufferKind = bufferKind;
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldReportEveryRegionWhenEthernetVlanIpv4OptionsAuthenticationTcpTruncatedAtEveryLength()
    {
        final FrameBuilder frame = new FrameBuilder().vlan(100).ipv4("10.0.0.1", "10.0.0.2").ipv4Options(8)
            .authenticationHeader().tcp(1234, 80).payload(10);
        final byte[] bytes = frame.build();
        assertEquals(14 + 4 + 28 + 24 + 20 + 10, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 18 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 46 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < 70 ? FrameOutcome.TRUNCATED_EXTENSION_HEADER :
                length < 74 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.ETHERNET), "length " + length);
            if (expected == FrameOutcome.DECODED)
            {
                assertEquals(82, packet.ipBytes);
                assertEquals(1234, packet.srcPort);
                assertEquals(80, packet.dstPort);
                assertEquals(100, packet.vlanId);
            }
        }
    }

    @Test
    void shouldReportEveryRegionWhenSll2Ipv6ExtensionHeadersUdpTruncatedAtEveryLength()
    {
        final FrameBuilder frame = new FrameBuilder().linuxSll2().ipv6("2001:db8::1", "2001:db8::2").hopByHop(8)
            .fragmentHeader(0, true).udp(53, 5353).payload(4);
        final byte[] bytes = frame.build();
        assertEquals(20 + 40 + 8 + 8 + 8 + 4, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 20 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 60 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < 76 ? FrameOutcome.TRUNCATED_EXTENSION_HEADER :
                length < 80 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.LINUX_SLL2), "length " + length);
            if (expected == FrameOutcome.DECODED)
            {
                assertEquals(68, packet.ipBytes);
                assertEquals(53, packet.srcPort);
                assertEquals(5353, packet.dstPort);
            }
        }
    }

    @Test
    void shouldReportEveryRegionWhenQinQMplsIpv6TruncatedAtEveryLength()
    {
        final FrameBuilder frame = new FrameBuilder().tag(0x88A8, 10).vlan(20).mpls(100, 200)
            .ipv6("2001:db8::1", "2001:db8::2").icmpv6();
        final byte[] bytes = frame.build();
        assertEquals(14 + 8 + 8 + 40 + 8, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 30 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 70 ? FrameOutcome.TRUNCATED_IP_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.ETHERNET), "length " + length);
            if (expected == FrameOutcome.DECODED)
            {
                assertEquals(48, packet.ipBytes);
                assertEquals(10, packet.vlanId);
            }
        }
    }

    @Test
    void shouldReportEveryRegionWhenPppoeIpv4UdpTruncatedAtEveryLength()
    {
        final FrameBuilder frame = new FrameBuilder().pppoeSession().ipv4("10.0.0.1", "10.0.0.2").udp(1701, 1701);
        final byte[] bytes = frame.build();
        assertEquals(14 + 8 + 20 + 8, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < 22 ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < 42 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < 46 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length, LinkType.ETHERNET), "length " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP })
    void shouldReportTruncatedLinkHeaderWhenFrameEndsInsideIt(final int linkType)
    {
        final FrameBuilder frame = new FrameBuilder().linkType(linkType).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2);
        if (linkType == LinkType.NULL)
        {
            frame.bsdNull(2, ByteOrder.LITTLE_ENDIAN);
        }
        else if (linkType == LinkType.LOOP)
        {
            frame.loop(2);
        }
        final byte[] bytes = frame.build();
        final int linkHeaderLength = bytes.length - 28;

        for (int length = 0; length < linkHeaderLength; length++)
        {
            assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, length, linkType), "length " + length);
        }
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, linkHeaderLength, linkType));
        assertEquals(FrameOutcome.DECODED, decodePrefix(bytes, bytes.length, linkType));
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.RAW, LinkType.RAW_BSD_12, LinkType.RAW_BSD_14, LinkType.IPV4, LinkType.IPV6 })
    void shouldReportTruncatedIpHeaderWhenRawFrameEmpty(final int linkType)
    {
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, harness.decode(new byte[0], 0, 0, linkType));
    }

    @Test
    void shouldReportTruncatedLinkHeaderWhenFrameEndsInsideSecondTag()
    {
        final byte[] bytes = new FrameBuilder().tag(0x88A8, 1).vlan(2).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)
            .build();

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, 21, LinkType.ETHERNET));
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, 22, LinkType.ETHERNET));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void shouldRejectIhlWhenBelowFive(final int ihl)
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ihl(ihl).tcp(1, 2);

        assertEquals(FrameOutcome.BAD_IP_HEADER_LENGTH, harness.decode(frame));
    }

    @Test
    void shouldRejectIhlBeforeTruncationWhenOnlyFirstByteCaptured()
    {
        final byte[] bytes = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ihl(4).tcp(1, 2).build();

        assertEquals(FrameOutcome.BAD_IP_HEADER_LENGTH, decodePrefix(bytes, 15, LinkType.ETHERNET));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 19 })
    void shouldRejectTotalLengthWhenBelowTwentyBytes(final int totalLength)
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipLengthField(totalLength)
            .tcp(1, 2);

        assertEquals(FrameOutcome.BAD_IP_HEADER_LENGTH, harness.decode(frame));
    }

    @Test
    void shouldRejectTotalLengthWhenBelowHeaderWithOptions()
    {
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Options(12)
            .ipLengthField(31).udp(1, 2);

        assertEquals(FrameOutcome.BAD_IP_HEADER_LENGTH, harness.decode(frame));
    }

    @Test
    void shouldReportTruncatedIpHeaderWhenOptionsCut()
    {
        final byte[] bytes = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").ipv4Options(40).udp(1, 2).build();

        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, 14 + 59, LinkType.ETHERNET));
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, decodePrefix(bytes, 14 + 60, LinkType.ETHERNET));
    }

    @Test
    void shouldReportTruncatedTransportWhenTotalLengthEndsBeforePortsAndPaddingFollows()
    {
        // a 20-byte IPv4 packet that claims to carry TCP, padded by Ethernet: the padding is not a TCP header
        final FrameBuilder frame = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").protocolField(6).padTo(60);

        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, harness.decode(frame));
    }

    @Test
    void shouldReportTruncatedTransportWhenIpv6PayloadLengthEndsBeforePorts()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").ipLengthField(3)
            .udp(1, 2).payload(20);

        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, harness.decode(frame));
    }

    @Test
    void shouldReportTruncatedExtensionHeaderWhenPayloadLengthEndsInsideIt()
    {
        final FrameBuilder frame = new FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").ipLengthField(8)
            .hopByHop(16).udp(1, 2);

        assertEquals(FrameOutcome.TRUNCATED_EXTENSION_HEADER, harness.decode(frame));
    }

    @Test
    void shouldReportTruncatedExtensionHeaderWhenIpv4AuthenticationHeaderCut()
    {
        final byte[] bytes = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").authenticationHeader(16).udp(1, 2)
            .build();

        for (int length = 34; length < 34 + 16; length++)
        {
            assertEquals(
                FrameOutcome.TRUNCATED_EXTENSION_HEADER, decodePrefix(bytes, length, LinkType.ETHERNET), "" + length);
        }
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, decodePrefix(bytes, 50, LinkType.ETHERNET));
    }

    @Test
    void shouldNotNeedTransportBytesWhenIcmpOrLaterFragment()
    {
        final byte[] icmp = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp().build();
        assertEquals(FrameOutcome.DECODED, decodePrefix(icmp, 34, LinkType.ETHERNET));
        assertEquals(28, packet.ipBytes);

        final byte[] fragment = new FrameBuilder().ipv6("2001:db8::1", "2001:db8::2").fragmentHeader(3, false)
            .tcp(1, 2).build();
        assertEquals(FrameOutcome.DECODED, decodePrefix(fragment, 14 + 48, LinkType.ETHERNET));
        assertEquals(6, packet.protocol);
        assertEquals(DecodedPacket.NO_PORT, packet.srcPort);
    }

    @Test
    void shouldReportTruncatedIpHeaderWhenMplsStackEndsTheFrame()
    {
        final byte[] bytes = new FrameBuilder().mpls(5).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, 17, LinkType.ETHERNET));
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, 18, LinkType.ETHERNET));
    }

    @Test
    void shouldReadOnlyWhatBufferHoldsWhenCapturedLengthExceedsCapacity()
    {
        final byte[] bytes = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
        final UnsafeBuffer exact = bufferKind.allocate(bytes.length);
        exact.putBytes(0, bytes);

        assertEquals(FrameOutcome.DECODED, decode(exact, 0, bytes.length + 1000));
        assertEquals(1, packet.srcPort);

        // Ethernet, IPv4 and 2 bytes of the TCP header
        final UnsafeBuffer cut = bufferKind.allocate(36);
        cut.putBytes(0, bytes, 0, 36);
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, decode(cut, 0, bytes.length));
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, decode(cut, 0, Integer.MAX_VALUE));
    }

    @Test
    void shouldReportTruncatedLinkHeaderWhenOffsetOrLengthOutOfRange()
    {
        final UnsafeBuffer buffer = bufferKind.allocate(64);

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, -1, 60));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, Integer.MIN_VALUE, 60));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, 65, 60));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, 0, -1));
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decode(buffer, 0, Integer.MIN_VALUE));
    }

    private FrameOutcome decodePrefix(final byte[] bytes, final int length, final int linkType)
    {
        return harness.decode(Arrays.copyOf(bytes, length), length, bytes.length, linkType);
    }

    private FrameOutcome decode(final UnsafeBuffer buffer, final int offset, final int capturedLength)
    {
        DecodeHarness.poison(packet);
        return harness.decoder.decode(buffer, offset, capturedLength, 1514, LinkType.ETHERNET, 0, packet);
    }
}
