package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV4_DESTINATION;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV4_SOURCE;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV6_DESTINATION;
import static io.trafficanalyzer.core.codec.ExpectedPackets.IPV6_SOURCE;
import static io.trafficanalyzer.core.codec.ExpectedPackets.assertIpv4;
import static io.trafficanalyzer.core.codec.ExpectedPackets.assertIpv6;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Apple PKTAP frames (LINKTYPE_PKTAP, and LINKTYPE_USER2 as macOS writes it): the inner frame is decoded with the
 * link type the header names, and a header that is too short, too long or names PKTAP again is counted.
 */
@ParameterizedClass
@EnumSource(BufferKind.class)
class PktapDecodeTest
{
    private static final int HEADER_LENGTH = FrameBuilder.PKTAP_HEADER_LENGTH;

    private final DecodeHarness harness;
    private final DecodedPacket packet;

    PktapDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.PKTAP, LinkType.PKTAP_DARWIN })
    void shouldDecodeInnerEthernetFrame(final int pktapLinkType)
    {
        final FrameBuilder ipv4 = new FrameBuilder().ethernet().vlan(7).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .tcp(51000, 443).payload(60).pktap(pktapLinkType);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv4));
        assertIpv4(packet, 6, 51000, 443, 100);
        assertEquals(7, packet.vlanId);
        assertEquals(HEADER_LENGTH + 18, ipv4.linkHeaderLength());

        final FrameBuilder ipv6 = new FrameBuilder().ipv6(IPV6_SOURCE, IPV6_DESTINATION).udp(5353, 5353)
            .pktap(pktapLinkType);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(packet, 17, 5353, 5353, 48);
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.PKTAP, LinkType.PKTAP_DARWIN })
    void shouldDecodeInnerLoopbackRawIpAndPppFrames(final int pktapLinkType)
    {
        // lo0 (DLT_NULL, AF_INET6 of macOS), utun (DLT_RAW is 12 on macOS), ppp0 (DLT_PPP)
        final FrameBuilder loopback = new FrameBuilder().bsdNull(30, ByteOrder.LITTLE_ENDIAN)
            .ipv6(IPV6_SOURCE, IPV6_DESTINATION).tcp(8080, 50000).pktap(pktapLinkType);
        assertEquals(FrameOutcome.DECODED, harness.decode(loopback));
        assertIpv6(packet, 6, 8080, 50000, 60);

        final FrameBuilder raw = new FrameBuilder().linkType(LinkType.RAW_BSD_12).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .icmp().pktap(pktapLinkType);
        assertEquals(FrameOutcome.DECODED, harness.decode(raw));
        assertIpv4(packet, 1, NO_PORT, NO_PORT, 28);
        assertEquals(HEADER_LENGTH, raw.linkHeaderLength());

        final FrameBuilder ppp = new FrameBuilder().ppp().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(500, 4500)
            .pktap(pktapLinkType);
        assertEquals(FrameOutcome.DECODED, harness.decode(ppp));
        assertIpv4(packet, 17, 500, 4500, 28);
    }

    @ParameterizedTest
    @ValueSource(ints = { 112, 128, 1024 })
    void shouldFindInnerFrameAfterHeaderLongerThanItsKnownFields(final int headerLength)
    {
        final byte[] built = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2)
            .pktap(LinkType.PKTAP).build();
        final byte[] frame = new byte[built.length - HEADER_LENGTH + headerLength];
        System.arraycopy(built, 0, frame, 0, HEADER_LENGTH);
        System.arraycopy(built, HEADER_LENGTH, frame, headerLength, built.length - HEADER_LENGTH);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, headerLength);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, LinkType.PKTAP));
        assertIpv4(packet, 17, 1, 2, 28);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 12, 107, -1, Integer.MIN_VALUE, 108 + 14 + 28 + 1, Integer.MAX_VALUE })
    void shouldReportTruncatedLinkHeaderWhenHeaderLengthIsBelowTheHeaderOrBeyondTheFrame(final int headerLength)
    {
        final byte[] frame = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(LinkType.PKTAP)
            .build();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, headerLength);

        assertEquals(
            FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length, LinkType.PKTAP));
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.PKTAP, LinkType.PKTAP_DARWIN })
    void shouldReportTruncatedLinkHeaderWhenPktapNamesPktapAsInnerLinkType(final int innerLinkType)
    {
        // a header that points to itself, and a PKTAP header that really holds another one
        final byte[] self = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(LinkType.PKTAP)
            .build();
        ByteBuffer.wrap(self).order(ByteOrder.LITTLE_ENDIAN).putInt(8, innerLinkType);
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(self, self.length, self.length,
            LinkType.PKTAP_DARWIN));

        final byte[] inner = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(innerLinkType)
            .build();
        final byte[] nested = new byte[HEADER_LENGTH + inner.length];
        System.arraycopy(inner, 0, nested, 0, HEADER_LENGTH);
        System.arraycopy(inner, 0, nested, HEADER_LENGTH, inner.length);
        ByteBuffer.wrap(nested).order(ByteOrder.LITTLE_ENDIAN).putInt(8, innerLinkType);
        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(nested, nested.length, nested.length,
            LinkType.PKTAP));
    }

    @ParameterizedTest
    @ValueSource(ints = { 105, 127, 147, 0x30303030, -1 })
    void shouldReportUnsupportedLinkTypeWhenInnerLinkTypeIsUnknown(final int innerLinkType)
    {
        final byte[] frame = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(LinkType.PKTAP)
            .build();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(8, innerLinkType);

        assertEquals(
            FrameOutcome.UNSUPPORTED_LINK_TYPE, harness.decode(frame, frame.length, frame.length, LinkType.PKTAP));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 2, 0x01000000, -1 })
    void shouldReportNonIpWhenRecordTypeIsNotAPacket(final int recordType)
    {
        final byte[] frame = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(LinkType.PKTAP)
            .build();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(4, recordType);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.PKTAP));
    }

    @ParameterizedTest
    @ValueSource(ints = { LinkType.PKTAP, LinkType.PKTAP_DARWIN })
    void shouldReportEveryRegionWhenTruncatedAtEveryLength(final int pktapLinkType)
    {
        final byte[] bytes = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).tcp(1234, 80)
            .pktap(pktapLinkType).build();
        final int ipOffset = HEADER_LENGTH + 14;
        assertEquals(ipOffset + 40, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < ipOffset ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < ipOffset + 20 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < ipOffset + 24 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, harness.decode(Arrays.copyOf(bytes, length), length, bytes.length,
                pktapLinkType), "length " + length);
        }
        assertIpv4(packet, 6, 1234, 80, 40);
    }

    @Test
    void shouldReadTheRecordTypeWhenTheFrameIsExactlyTheMinimumHeader()
    {
        final byte[] frame = new FrameBuilder().ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).pktap(LinkType.PKTAP)
            .build();
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, HEADER_LENGTH, frame.length, LinkType.PKTAP));
    }

    @Test
    void shouldReportTruncatedLinkHeaderWhenHeaderLengthPassesTheEndOfARawIpFrame()
    {
        // the inner raw IP frame would start one byte after the end: the header is cut, not the IP packet
        final byte[] frame = new FrameBuilder().linkType(LinkType.RAW_BSD_12).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .icmp().pktap(LinkType.PKTAP).build();
        assertEquals(HEADER_LENGTH + 28, frame.length);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, frame.length + 1);

        assertEquals(
            FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length, LinkType.PKTAP));
    }
}
