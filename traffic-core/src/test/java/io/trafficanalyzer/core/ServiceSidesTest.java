package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.IpProtocol;
import org.junit.jupiter.api.Test;

import static io.trafficanalyzer.core.ServiceSides.AT_DESTINATION;
import static io.trafficanalyzer.core.ServiceSides.AT_SOURCE;
import static io.trafficanalyzer.core.ServiceSides.REFUSED;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_ACK;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_FIN;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_RST;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceSidesTest
{
    private static final int PSH = 0x08;
    private static final long CLIENT = DecodedPacket.ipv4MappedLo(0x0A00_0006);
    private static final long SERVER = DecodedPacket.ipv4MappedLo(0xCB00_7108);

    private final ServiceSides sides = new ServiceSides();

    @Test
    void shouldMakeTheScannedPortRefusedAndNeverTheScannersPort()
    {
        // 54321 scans 36050 (below it) and 60000 (above it): each SYN answered by a reset with sequence number 0
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 54321, SERVER, 36050, TCP_SYN, 0x1234_5678)));
        assertEquals(AT_SOURCE | REFUSED, sides.of(tcp(SERVER, 36050, CLIENT, 54321, TCP_RST | TCP_ACK, 0)));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 54321, SERVER, 60000, TCP_SYN, 0x1234_5678)));
        assertEquals(AT_SOURCE | REFUSED, sides.of(tcp(SERVER, 60000, CLIENT, 54321, TCP_RST | TCP_ACK, 0)));
    }

    @Test
    void shouldServeFromTheSynAckSideForTheWholeConversationWhenTheHandshakeIsSeen()
    {
        // the client's port 40000 is smaller than the server's 50000, and neither is well known
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_SYN, 100)));
        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 50000, CLIENT, 40000, TCP_SYN | TCP_ACK, 900)));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_ACK, 101)));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_ACK | PSH, 101)));
        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 50000, CLIENT, 40000, TCP_ACK | PSH, 901)));
        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 50000, CLIENT, 40000, TCP_FIN | TCP_ACK, 2000)));
        // a reset in the middle of the conversation carries its sequence number: not a refusal
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_RST | TCP_ACK, 5000)));
        // another client of the same server, whose handshake was not seen
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT + 1, 41000, SERVER, 50000, TCP_ACK, 7)));
    }

    @Test
    void shouldTakeTheWellKnownPortThenTheSmallerWhenNoHandshakeIsSeen()
    {
        assertEquals(AT_SOURCE, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_ACK | PSH, 1)));
        assertEquals(AT_DESTINATION, sides.of(tcp(SERVER, 50000, CLIENT, 40000, TCP_ACK | PSH, 1)));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 3000, SERVER, 8080, TCP_ACK, 1)));
        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 8080, CLIENT, 3000, TCP_ACK, 1)));
        assertEquals(AT_SOURCE | AT_DESTINATION, sides.of(tcp(CLIENT, 7000, SERVER, 7000, TCP_ACK, 1)));
        assertEquals(AT_DESTINATION, sides.of(udp(CLIENT, 40000, SERVER, 5353)));
        assertEquals(AT_SOURCE, sides.of(udp(CLIENT, 40000, SERVER, 50000)));
    }

    @Test
    void shouldLearnNoServerFromASynAckThePortRuleAlreadyGetsRight()
    {
        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 443, CLIENT, 40000, TCP_SYN | TCP_ACK, 1)));

        // had 203.0.113.8:443 been learned, it would serve here instead of the smaller well-known port 80
        assertEquals(AT_DESTINATION, sides.of(tcp(SERVER, 443, CLIENT, 80, TCP_ACK, 1)));
    }

    @Test
    void shouldKeepAServerLearnedFromItsSynAckForItsOtherPacketsToo()
    {
        sides.of(tcp(SERVER, 50000, CLIENT, 80, TCP_SYN | TCP_ACK, 1));

        assertEquals(AT_SOURCE, sides.of(tcp(SERVER, 50000, CLIENT, 80, TCP_ACK, 1)));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 80, SERVER, 50000, TCP_ACK, 1)));
    }

    @Test
    void shouldForgetTheServersWhenCleared()
    {
        sides.of(tcp(SERVER, 50000, CLIENT, 40000, TCP_SYN | TCP_ACK, 900));
        assertEquals(AT_DESTINATION, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_ACK, 101)));

        sides.clear();

        assertEquals(AT_SOURCE, sides.of(tcp(CLIENT, 40000, SERVER, 50000, TCP_ACK, 101)));
    }

    private static DecodedPacket tcp(
        final long srcLo, final int srcPort, final long dstLo, final int dstPort, final int flags, final int sequence)
    {
        final DecodedPacket packet = packet(srcLo, srcPort, dstLo, dstPort, IpProtocol.TCP);
        packet.tcpFlags = flags;
        packet.tcpSequence = sequence;
        return packet;
    }

    private static DecodedPacket udp(final long srcLo, final int srcPort, final long dstLo, final int dstPort)
    {
        return packet(srcLo, srcPort, dstLo, dstPort, IpProtocol.UDP);
    }

    private static DecodedPacket packet(
        final long srcLo, final int srcPort, final long dstLo, final int dstPort, final int protocol)
    {
        final DecodedPacket packet = new DecodedPacket().reset();
        packet.ipVersion = 4;
        packet.srcLo = srcLo;
        packet.dstLo = dstLo;
        packet.srcPort = srcPort;
        packet.dstPort = dstPort;
        packet.protocol = protocol;
        return packet;
    }
}
