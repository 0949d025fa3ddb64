package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.FrameBuilder.FrameRelayEncapsulation;
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
 * Frame Relay frames (LINKTYPE_FRELAY): Q.922 addresses of 2 to 4 bytes, RFC 2427 NLPID and SNAP encapsulations
 * and Cisco's EtherType encapsulation.
 */
@ParameterizedClass
@EnumSource(BufferKind.class)
class FrameRelayDecodeTest
{
    // IPv4, DSCP 46, UDP 10.1.2.3:54321 to 10.1.2.4:53, 8 bytes of payload: 36 bytes
    private static final String IPV4_UDP = "45b80024" + "00014000" + "40110000" + "0a010203" + "0a010204" +
        "d4310035" + "00100000" + "deadbeefdeadbeef";

    private final DecodeHarness harness;
    private final DecodedPacket packet;

    FrameRelayDecodeTest(final BufferKind bufferKind)
    {
        harness = new DecodeHarness(bufferKind);
        packet = harness.packet;
    }

    @ParameterizedTest
    @CsvSource({
        // 2-byte address of DLCI 100, then NLPID IPv4, with and without a pad byte
        "1841, 03cc", "1841, 0300cc",
        // 3-byte and 4-byte addresses
        "184001, 0300cc", "18400001, 03cc",
        // SNAP with OUI 0 and EtherType IPv4
        "1841, 030080000000" + "0800",
        // Cisco: the EtherType right after the address, whatever its length
        "1841, 0800", "80ea9d, 0800" })
    void shouldDecodeEveryFieldWhenHandAssembledHeaderThenIpv4Udp(final String address, final String encapsulation)
    {
        final byte[] frame = BitUtil.fromHex(address + encapsulation + IPV4_UDP);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame, frame.length, frame.length, LinkType.FRELAY));
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
    @EnumSource(FrameRelayEncapsulation.class)
    void shouldDecodeIpv4AndIpv6WhenEveryEncapsulation(final FrameRelayEncapsulation encapsulation)
    {
        final FrameBuilder ipv4 = new FrameBuilder().frameRelay(301, encapsulation).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .tcp(40000, 179).payload(19);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv4));
        assertIpv4(packet, 6, 40000, 179, 59);

        final FrameBuilder ipv6 = new FrameBuilder().frameRelay(1007, encapsulation)
            .ipv6(IPV6_SOURCE, IPV6_DESTINATION).protocol(89).payload(44);
        assertEquals(FrameOutcome.DECODED, harness.decode(ipv6));
        assertIpv6(packet, 89, NO_PORT, NO_PORT, 84);
    }

    @Test
    void shouldKeepVlanIdAndWalkLabelsWhenCiscoEncapsulationCarriesThem()
    {
        final FrameBuilder frame = new FrameBuilder().frameRelay(16, FrameRelayEncapsulation.CISCO).vlan(12)
            .mpls(400).ipv4(IPV4_SOURCE, IPV4_DESTINATION).udp(1, 2);

        assertEquals(FrameOutcome.DECODED, harness.decode(frame));
        assertIpv4(packet, 17, 1, 2, 28);
        assertEquals(12, packet.vlanId);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x08, 0x81, 0x82, 0x83, 0xCF, 0xB1, 0x00, 0xFF })
    void shouldReportNonIpWhenNlpidIsNotIp(final int nlpid)
    {
        final FrameBuilder frame = new FrameBuilder().frameRelay(100, FrameRelayEncapsulation.NLPID).nlpid(nlpid)
            .payload(30);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // bridged Ethernet (OUI 00-80-C2, PID 7) carrying IPv4: not decoded
        "1841" + "030080" + "0080c2" + "0007" + "0200000000020200000000010800",
        // SNAP with OUI 0 and ARP
        "1841" + "030080" + "000000" + "0806" + "0001080006040001",
        // LMI status enquiry on DLCI 0 (Q.933 Annex A), and a non-UI frame on DLCI 0
        "0001" + "0308" + "0075095101" + "0300",
        "0001" + "0800" + IPV4_UDP,
        // Cisco encapsulation of ARP
        "1841" + "0806" + "0001080006040001" })
    void shouldReportNonIpWhenFrameRelayCarriesBridgedFramesSignallingOrArp(final String hex)
    {
        final byte[] frame = BitUtil.fromHex(hex);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.FRELAY));
    }

    @ParameterizedTest
    @ValueSource(strings = { "19", "1941", "1840000003cc", "184000000001" + "03cc" })
    void shouldReportTruncatedLinkHeaderWhenQ922AddressIsInvalid(final String address)
    {
        // the first byte has the EA bit set, or no byte among the first four has it
        final byte[] frame = BitUtil.fromHex(address + IPV4_UDP);

        assertEquals(
            FrameOutcome.TRUNCATED_LINK_HEADER, harness.decode(frame, frame.length, frame.length, LinkType.FRELAY));
    }

    @ParameterizedTest
    @CsvSource({ "NLPID, 4", "SNAP, 10", "CISCO, 4" })
    void shouldReportEveryRegionWhenTruncatedAtEveryLength(
        final FrameRelayEncapsulation encapsulation, final int headerLength)
    {
        final byte[] bytes = new FrameBuilder().frameRelay(100, encapsulation).ipv4(IPV4_SOURCE, IPV4_DESTINATION)
            .tcp(1234, 80).build();
        assertEquals(headerLength + 20 + 20, bytes.length);

        for (int length = 0; length <= bytes.length; length++)
        {
            final FrameOutcome expected = length < headerLength ? FrameOutcome.TRUNCATED_LINK_HEADER :
                length < headerLength + 20 ? FrameOutcome.TRUNCATED_IP_HEADER :
                length < headerLength + 24 ? FrameOutcome.TRUNCATED_TRANSPORT_HEADER : FrameOutcome.DECODED;

            assertEquals(expected, decodePrefix(bytes, length), "length " + length);
        }
        assertIpv4(packet, 6, 1234, 80, 40);
    }

    @Test
    void shouldReportTruncatedLinkHeaderWhenFrameEndsInsideLongAddressOrPad()
    {
        final byte[] bytes = BitUtil.fromHex("18400001" + "0300cc" + IPV4_UDP);

        for (int length = 0; length < 7; length++)
        {
            assertEquals(FrameOutcome.TRUNCATED_LINK_HEADER, decodePrefix(bytes, length), "length " + length);
        }
        assertEquals(FrameOutcome.TRUNCATED_IP_HEADER, decodePrefix(bytes, 7));
        assertEquals(FrameOutcome.DECODED, decodePrefix(bytes, bytes.length));
    }

    private FrameOutcome decodePrefix(final byte[] bytes, final int length)
    {
        return harness.decode(Arrays.copyOf(bytes, length), length, bytes.length, LinkType.FRELAY);
    }

    @ParameterizedTest
    @CsvSource({
        // 3-byte address: upper DLCI bits 1 (0x00, 0x10), last 6 bits 0: DLCI 64, not the signalling channel
        "001001, DECODED",
        // 3-byte address of DLCI 0: only the EA bit is set in the last byte
        "000001, NON_IP",
        // 4-byte address: upper bits 1, then 7 bits 0 and 6 bits 0: DLCI 8192
        "00100001, DECODED",
        "00000001, NON_IP" })
    void shouldTellDlciZeroFromTheOthersWhenTheAddressIsLong(final String address, final FrameOutcome expected)
    {
        // Cisco encapsulation: a DLCI other than 0 carries an EtherType, DLCI 0 is the signalling channel
        final byte[] frame = BitUtil.fromHex(address + "0800" + IPV4_UDP);

        assertEquals(expected, harness.decode(frame, frame.length, frame.length, LinkType.FRELAY));
        if (expected == FrameOutcome.DECODED)
        {
            assertEquals(0x0000_FFFF_0A01_0203L, packet.srcLo);
            assertEquals(54321, packet.srcPort);
            assertEquals(36, packet.ipBytes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "000001", "000100", "010000" })
    void shouldReportNonIpWhenSnapOuiIsNotZeroInAnyOfItsBytes(final String oui)
    {
        final byte[] frame = BitUtil.fromHex("1841" + "0380" + oui + "0800" + IPV4_UDP);

        assertEquals(FrameOutcome.NON_IP, harness.decode(frame, frame.length, frame.length, LinkType.FRELAY));
    }
}
