package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.BitUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * Linux NFLOG records (LINKTYPE_NFLOG): the IP packet is found in the payload TLV whatever TLVs come before it, in
 * either byte order, and bad TLV lengths are counted, not followed.
 */
@ParameterizedClass
@EnumSource(BufferKind.class)
class NflogDecodeTest
{
    // header TLVs of the frames built: packet header (8), prefix (9, padded to 12), output device (8)
    private static final int PAYLOAD_TLV_OFFSET = 4 + 8 + 12 + 8;
    private static final int IP_OFFSET = PAYLOAD_TLV_OFFSET + 4;

    private final DecodeHarness harness;
    private final DecodedPacket packet;

    NflogDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @Test
    void shouldDecodeEveryFieldWhenRecordWrittenByTheLinuxKernel()
    {
        // nftables "log group 5" on output, captured with dumpcap -i nflog:5: packet header, prefix "" (length 5),
        // output device, UID, GID, then the payload: UDP 127.0.0.1:37567 to 127.0.0.1:5353 with one byte
        final byte[] frame = BitUtil.fromHex(
            "02000005" + "0800010008000300" + "05000a0000000000" + "0800050000000001" + "08000b0000000000" +
            "08000e0000000000" + "21000900" +
            "4500001d3bc8400040110106" + "7f000001" + "7f000001" + "92bf14e9" + "0009fe1c" + "78" + "000000");

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, LinkType.NFLOG));
        assertEquals(4, packet.ipVersion);
        assertEquals(0x0000_FFFF_7F00_0001L, packet.srcLo);
        assertEquals(0x0000_FFFF_7F00_0001L, packet.dstLo);
        assertEquals(17, packet.protocol);
        assertEquals(37567, packet.srcPort);
        assertEquals(5353, packet.dstPort);
        assertEquals(29, packet.ipBytes);
        assertEquals(NO_VLAN, packet.vlanId);
    }

    @ParameterizedTest
    @ValueSource(strings = { "LITTLE_ENDIAN", "BIG_ENDIAN" })
    void shouldDecodeIpv4AndIpv6WhenTlvsInEitherByteOrder(final String byteOrderName)
    {
        final ByteOrder byteOrder = byteOrderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

        final FrameBuilder ipv4 = new FrameBuilder().nflog(byteOrder).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .tcp(40000, 443).payload(3);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv4));
        assertIpv4(packet, 6, 40000, 443, 43);
        assertEquals(IP_OFFSET, ipv4.linkHeaderLength());

        final FrameBuilder ipv6 = new FrameBuilder().nflog(byteOrder).ipv6(IPV6_SOURCE, IPV6_DESTINATION).icmpv6();
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(packet, 58, NO_PORT, NO_PORT, 48);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 3, 5, 7, 12, 0xFF })
    void shouldReportNonIpWhenFamilyIsNotInetOrInet6(final int family)
    {
        final FrameBuilder frame = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).nflogFamily(family)
            .ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @Test
    void shouldRejectIpv6WhenFamilyIsInet()
    {
        final FrameBuilder frame = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).nflogFamily(2)
            .ipv6(IPV6_SOURCE, IPV6_DESTINATION).udp(1, 2);

        assertEquals(FrameOutcome.BAD_IP_VERSION, harness.decode(frame));
    }

    @Test
    void shouldReportNonIpWhenRecordHasNoPayloadTlv()
    {
        // a log rule that copies no bytes of the packet: header TLVs only
        final byte[] frame = BitUtil.fromHex("02000005" + "0800010008000300" + "0800050000000002");

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.NFLOG));
        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, 4, 4, LinkType.NFLOG));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 0x80, 0xFF })
    void shouldReportTruncatedLinkHeaderWhenVersionIsUnknown(final int version)
    {
        final byte[] frame = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(1, 2).build();
        frame[1] = (byte)version;

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length,
            LinkType.NFLOG));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3 })
    void shouldReportTruncatedLinkHeaderWhenTlvLengthBelowItsHeader(final int tlvLength)
    {
        for (final int tlvOffset : new int[]{ 4, 12, 24, PAYLOAD_TLV_OFFSET })
        {
            final byte[] frame = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN)
                .ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2).build();
            ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(tlvOffset, (short)tlvLength);

            assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length,
                LinkType.NFLOG), "TLV at " + tlvOffset);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 65535, 65533, 200, 41 })
    void shouldReportTruncatedLinkHeaderWhenTlvBeforePayloadRunsPastTheFrame(final int tlvLength)
    {
        final byte[] frame = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(1, 2).build();
        assertEquals(64, frame.length);
        // the output device TLV claims more than the 40 bytes left from it
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putShort(24, (short)tlvLength);

        assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length,
            LinkType.NFLOG));
    }

    @Test
    void shouldSkipTlvsOfAnyLengthWhenTheyFitTheFrame()
    {
        final byte[] built = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(1, 2).build();
        // the output device TLV grows to swallow the payload TLV: no payload left to find
        ByteBuffer.wrap(built).order(ByteOrder.LITTLE_ENDIAN).putShort(24, (short)(built.length - 24));
        assertEquals(FrameOutcome.NON_IP, harness.decode(built, built.length, built.length, LinkType.NFLOG));

        // a thousand empty TLVs before the payload
        final byte[] original = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(7, 8).build();
        final ByteBuffer many = ByteBuffer.allocate(original.length + 4000).order(ByteOrder.LITTLE_ENDIAN);
        many.put(original, 0, 4);
        for (int i = 0; i < 1000; i++)
        {
            many.putShort((short)4).putShort((short)2);
        }
        many.put(original, 4, original.length - 4);
        assertEquals(FrameOutcome.DECODED, harness.decode(many.array(), many.capacity(), many.capacity(),
            LinkType.NFLOG));
        assertIpv4(packet, 17, 7, 8, 28);
    }

    @Test
    void shouldNotReadPastThePayloadTlvWhenMoreTlvsFollow()
    {
        final byte[] built = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .udp(1, 2).build();
        // the payload TLV keeps only the IP header (a log rule copying 20 bytes): the UDP header is outside it
        ByteBuffer.wrap(built).order(ByteOrder.LITTLE_ENDIAN).putShort(PAYLOAD_TLV_OFFSET, (short)(4 + 20));
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, harness.decode(built, built.length, built.length,
            LinkType.NFLOG));

        // with a 0 total length (segmentation offload) the packet still ends with its TLV
        final byte[] offloaded = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .ipLengthField(0).udp(1, 2).build();
        ByteBuffer.wrap(offloaded).order(ByteOrder.LITTLE_ENDIAN).putShort(PAYLOAD_TLV_OFFSET, (short)(4 + 22));
        assertEquals(FrameOutcome.TRUNCATED_TRANSPORT_HEADER, harness.decode(offloaded, offloaded.length,
            offloaded.length, LinkType.NFLOG));
    }

    @Test
    void shouldReportEveryRegionWhenIpv4TcpRecordTruncatedAtEveryLength()
    {
        final byte[] bytes = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .tcp(1234, 80).build();
        assertEquals(IP_OFFSET + 20 + 20, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected;
            if (length == 4 || length == 12 || length == 24 || length == PAYLOAD_TLV_OFFSET)
            {
                // a record that ends between two TLVs before the payload looks whole: it logged no packet
                expected = FrameOutcome.NON_IP;
            }
            else
            {
                expected = length < IP_OFFSET ? FrameOutcome.TRUNCATED_LINK_HEADER :
                    length < IP_OFFSET + 20 ? FrameOutcome.TRUNCATED_IP_HEADER :
                    length < IP_OFFSET + 24 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;
            }

            assertEquals(expected, harness.decode(Arrays.copyOf(bytes, length), length, bytes.length,
                LinkType.NFLOG), "length " + length);
        }
        assertIpv4(packet, 6, 1234, 80, 40);
    }

    @Test
    void shouldReadTheByteOrderOfALastTlvHeaderWhenNothingFollowsIt()
    {
        // one 4-byte TLV of type 1 in network order ends the record: whole, without payload. Read in the other
        // order it would claim 1024 bytes
        final byte[] frame = BitUtil.fromHex("02000005" + "00040001");

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.NFLOG));
    }
}
