package io.trafficanalyzer.core.testing;

import io.trafficanalyzer.core.codec.LinkType;
import org.agrona.BitUtil;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The builder writes the bytes the protocols specify: checked against frames assembled by hand from the RFCs, so
 * that the decoder tests do not only prove the decoder agrees with the builder.
 */
class FrameBuilderTest
{
    @Test
    void shouldWriteEthernetVlanIpv4UdpWhenBuilt()
    {
        final byte[] frame = new FrameBuilder().vlan(100).ipv4("10.1.2.3", "10.1.2.4").trafficClass(0xB8)
            .udp(54321, 53).payload(2).build();

        final byte[] expected = BitUtil.fromHex(
            "020000000002" + "020000000001" + "8100" + "0064" + "0800" +
            "45b8001e" + "12340000" + "40110000" + "0a010203" + "0a010204" +
            "d4310035" + "000a0000" +
            "0001");
        // the header checksum is the only field not written by hand here
        expected[14 + 4 + 10] = frame[14 + 4 + 10];
        expected[14 + 4 + 11] = frame[14 + 4 + 11];
        assertArrayEquals(expected, frame);
    }

    @Test
    void shouldWriteValidIpv4HeaderChecksumWhenBuilt()
    {
        final byte[] packet = new FrameBuilder().rawIp().ipv4("192.168.0.1", "192.168.0.199").ipv4Options(8)
            .dontFragment().udp(1, 2).build();

        // RFC 1071: the one's complement sum of a header with a valid checksum is 0xFFFF
        int sum = 0;
        for (int i = 0; i < 28; i += 2)
        {
            sum += ((packet[i] & 0xFF) << 8) | (packet[i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        assertEquals(0xFFFF, sum);
        assertEquals(0x47, packet[0]);
        assertEquals(0x40, packet[6]);
    }

    @Test
    void shouldWriteSll2Ipv6ExtensionHeadersWhenBuilt()
    {
        final FrameBuilder builder = new FrameBuilder().linuxSll2().ipv6("2001:db8::1", "2001:db8::2")
            .trafficClass(0xB8).hopByHop(8).fragmentHeader(185, true).udp(1, 2);
        final byte[] frame = builder.build();

        final byte[] expected = BitUtil.fromHex(
            "86dd" + "0000" + "00000002" + "0001" + "00" + "06" + "0200000000010000" +
            "6b812345" + "0018" + "00" + "40" +
            "20010db8000000000000000000000001" + "20010db8000000000000000000000002" +
            "2c00" + "0104" + "00000000" +
            "11" + "00" + "05c9" + "0000cafe" +
            "0001" + "0002" + "0008" + "0000");
        assertArrayEquals(expected, frame);
        assertEquals(LinkType.LINUX_SLL2, builder.linkType());
        assertEquals(20, builder.linkHeaderLength());
        assertEquals(64, builder.ipLength());
    }

    @Test
    void shouldWriteMplsAndPppoeWhenBuilt()
    {
        final byte[] mpls = new FrameBuilder().mpls(16, 1048575).ipv4("10.0.0.1", "10.0.0.2").build();
        assertArrayEquals(BitUtil.fromHex("8847" + "00010040" + "fffff140"), slice(mpls, 12, 22));

        final byte[] pppoe = new FrameBuilder().pppoeSession().ipv6("::1", "::2").build();
        assertArrayEquals(BitUtil.fromHex("8864" + "1100" + "1234" + "002a" + "0057"), slice(pppoe, 12, 22));
    }

    @Test
    void shouldWritePppHeadersWhenBuilt()
    {
        final byte[] full = new FrameBuilder().ppp().ipv4("10.0.0.1", "10.0.0.2").build();
        assertArrayEquals(BitUtil.fromHex("ff03" + "0021" + "45"), slice(full, 0, 5));

        final byte[] compressed = new FrameBuilder().ppp().pppFraming(false, true).ipv6("::1", "::2").build();
        assertArrayEquals(BitUtil.fromHex("57" + "60"), slice(compressed, 0, 2));

        final byte[] mpls = new FrameBuilder().linkType(LinkType.PPP_HDLC).mpls(16).ipv4("10.0.0.1", "10.0.0.2")
            .build();
        assertArrayEquals(BitUtil.fromHex("ff03" + "0281" + "00010140" + "45"), slice(mpls, 0, 9));
    }

    @Test
    void shouldWriteCiscoHdlcAndFrameRelayHeadersWhenBuilt()
    {
        final byte[] hdlc = new FrameBuilder().ciscoHdlc().ipv4("10.0.0.1", "10.0.0.2").build();
        assertArrayEquals(BitUtil.fromHex("0f00" + "0800" + "45"), slice(hdlc, 0, 5));

        // DLCI 100 = 0b000110_0100: 0x18 (DLCI high, C/R 0, EA 0), 0x41 (DLCI low, FECN, BECN, DE 0, EA 1)
        final byte[] nlpid = new FrameBuilder().frameRelay(100, FrameBuilder.FrameRelayEncapsulation.NLPID)
            .ipv6("::1", "::2").build();
        assertArrayEquals(BitUtil.fromHex("1841" + "03" + "8e" + "60"), slice(nlpid, 0, 5));

        final byte[] snap = new FrameBuilder().frameRelay(1023, FrameBuilder.FrameRelayEncapsulation.SNAP)
            .ipv4("10.0.0.1", "10.0.0.2").build();
        assertArrayEquals(BitUtil.fromHex("fcf1" + "03" + "00" + "80" + "000000" + "0800" + "45"), slice(snap, 0, 11));

        final byte[] cisco = new FrameBuilder().frameRelay(16, FrameBuilder.FrameRelayEncapsulation.CISCO)
            .ipv6("::1", "::2").build();
        assertArrayEquals(BitUtil.fromHex("0401" + "86dd" + "60"), slice(cisco, 0, 5));
    }

    @Test
    void shouldWriteNflogRecordAsTheKernelDoesWhenBuilt()
    {
        final FrameBuilder builder = new FrameBuilder().nflog(ByteOrder.LITTLE_ENDIAN).ipv4("10.0.0.1", "10.0.0.2")
            .udp(1, 2).payload(1);
        final byte[] frame = builder.build();

        // laid out like the records of a Linux 6 kernel's nfnetlink_log: header, then TLVs of length, type, value
        final byte[] expected = BitUtil.fromHex(
            "02" + "00" + "0005" +
            "0800" + "0100" + "0800" + "03" + "00" +
            "0900" + "0a00" + "7465737400" + "000000" +
            "0800" + "0500" + "00000002" +
            "2100" + "0900");
        assertArrayEquals(expected, slice(frame, 0, 36));
        assertEquals(36, builder.linkHeaderLength());
        assertEquals(29, builder.ipLength());
        assertEquals(36 + 32, frame.length);

        final byte[] bigEndian = new FrameBuilder().nflog(ByteOrder.BIG_ENDIAN).ipv6("::1", "::2").build();
        assertArrayEquals(BitUtil.fromHex("0a000005" + "0008" + "0001" + "86dd0300"), slice(bigEndian, 0, 12));
    }

    @Test
    void shouldWritePktapHeaderInFrontOfTheInnerFrameWhenBuilt()
    {
        final FrameBuilder builder = new FrameBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").pktap(LinkType.PKTAP);
        final byte[] frame = builder.build();

        assertEquals(LinkType.PKTAP, builder.linkType());
        assertArrayEquals(BitUtil.fromHex("6c000000" + "01000000" + "01000000" + "656e3000"), slice(frame, 0, 16));
        assertArrayEquals(FrameBuilder.DESTINATION_MAC, slice(frame, 108, 114));
        assertArrayEquals(BitUtil.fromHex("0800" + "45"), slice(frame, 120, 123));
        assertEquals(108 + 14, builder.linkHeaderLength());

        final byte[] loopback = new FrameBuilder().bsdNull(30, ByteOrder.LITTLE_ENDIAN).ipv6("::1", "::2")
            .pktap(LinkType.PKTAP_DARWIN).build();
        // the DLT of the inner frame (NULL), then at offset 40 the protocol family (AF_INET6 on macOS)
        assertArrayEquals(BitUtil.fromHex("00000000"), slice(loopback, 8, 12));
        assertArrayEquals(BitUtil.fromHex("1e000000"), slice(loopback, 40, 44));
        assertArrayEquals(BitUtil.fromHex("1e000000" + "60"), slice(loopback, 108, 113));
    }

    @Test
    void shouldKeepFullWireLengthWhenSnapLengthCuts()
    {
        final FrameBuilder builder = new FrameBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).payload(1000)
            .snapLength(64);

        assertEquals(64, builder.build().length);
        assertEquals(64, builder.capturedLength());
        assertEquals(14 + 20 + 20 + 1000, builder.wireLength());
    }

    private static byte[] slice(final byte[] bytes, final int from, final int to)
    {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
