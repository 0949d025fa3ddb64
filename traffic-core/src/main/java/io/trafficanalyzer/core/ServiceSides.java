package io.trafficanalyzer.core;

import io.trafficanalyzer.core.classify.ServicePorts;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.IpProtocol;

import java.util.Arrays;

import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_ACK;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_RST;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_SYN;

/**
 * Which side of a TCP/UDP packet is the service: the capture agent's answer, from the packet's TCP flags, then the
 * servers it learned from the handshakes it saw, then the port rule of {@link ServicePorts}. A SYN asks its
 * destination to serve, a SYN-ACK is sent by the server, and a reset that answers a segment without ACK (sequence
 * number 0, RFC 9293 §3.10.7.1) is a port refusing a connection. A server is learned as its address and port
 * ({@link #SLOTS} of them, direct-mapped), only where its SYN-ACK shows the port rule wrong, and is forgotten when a
 * new capture stream begins, so that a file's numbers depend on that file alone. Single-threaded: the capture
 * agent's; no allocation after construction.
 */
final class ServiceSides
{
    /** Servers remembered: a power of two. */
    static final int SLOTS = 1 << 14;

    /** The service port is the source's. */
    static final int AT_SOURCE = FlowCache.SERVICE_AT_SOURCE;

    /** The service port is the destination's (both sides when the ports are equal). */
    static final int AT_DESTINATION = FlowCache.SERVICE_AT_DESTINATION;

    /** The side of the service port refused a connection: set with that side's flag. */
    static final int REFUSED = FlowCache.SERVICE_REFUSED;

    private static final int SLOT_SHIFT = Long.SIZE - Integer.numberOfTrailingZeros(SLOTS);
    private static final int HANDSHAKE_FLAGS = TCP_SYN | TCP_ACK | TCP_RST;

    // each server as the hash of its address and port, odd so that 0 is a free slot
    private final long[] servers = new long[SLOTS];
    private boolean learned;

    /**
     * The service side of a packet that carries ports.
     *
     * @param packet a TCP or UDP packet with ports.
     * @return {@link #AT_SOURCE}, {@link #AT_DESTINATION} or both, with {@link #REFUSED} for a refusing reset.
     */
    int of(final DecodedPacket packet)
    {
        final int srcPort = packet.srcPort;
        final int dstPort = packet.dstPort;
        if (IpProtocol.TCP == packet.protocol)
        {
            switch (packet.tcpFlags & HANDSHAKE_FLAGS)
            {
                case TCP_SYN:
                    return AT_DESTINATION;

                case TCP_SYN | TCP_ACK:
                    if (ServicePorts.servicePort(srcPort, dstPort) != srcPort)
                    {
                        // the port rule would make the client serve this conversation's other packets
                        final long server = hash(packet.srcHi, packet.srcLo, srcPort);
                        servers[(int)(server >>> SLOT_SHIFT)] = server;
                        learned = true;
                    }
                    return AT_SOURCE;

                case TCP_RST | TCP_ACK:
                    if (0 == packet.tcpSequence)
                    {
                        return AT_SOURCE | REFUSED;
                    }
                    break;

                default:
                    break;
            }
        }

        if (srcPort == dstPort)
        {
            return AT_SOURCE | AT_DESTINATION;
        }

        // a capture that saw no handshake the port rule gets wrong pays nothing for the servers it could have learned
        final boolean lookUp = learned && IpProtocol.TCP == packet.protocol;
        if (ServicePorts.servicePort(srcPort, dstPort) == srcPort)
        {
            return lookUp && isServer(packet.dstHi, packet.dstLo, dstPort) ? AT_DESTINATION : AT_SOURCE;
        }

        return lookUp && isServer(packet.srcHi, packet.srcLo, srcPort) ? AT_SOURCE : AT_DESTINATION;
    }

    /**
     * Forget every server learned.
     */
    void clear()
    {
        Arrays.fill(servers, 0);
        learned = false;
    }

    private boolean isServer(final long hi, final long lo, final int port)
    {
        final long server = hash(hi, lo, port);

        return servers[(int)(server >>> SLOT_SHIFT)] == server;
    }

    private static long hash(final long hi, final long lo, final int port)
    {
        long h = (lo * 0x9E3779B97F4A7C15L) ^ (hi * 0xC2B2AE3D27D4EB4FL) ^ ((port + 1L) * 0x165667B19E3779F9L);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;

        return h | 1;
    }
}
