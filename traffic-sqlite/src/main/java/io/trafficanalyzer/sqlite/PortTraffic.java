package io.trafficanalyzer.sqlite;

/**
 * Traffic of one service port of a host over a time range.
 *
 * @param protocol   tcp, udp, icmp, icmpv6 or other.
 * @param port       the service port; 0 for the folded "other ports" row.
 * @param served     true when the host serves the port (or refused connections to it), false when it is the client.
 * @param refused    true when the host refused connections to the port: TCP resets answering connection attempts.
 * @param inBytes    bytes received by the host.
 * @param inPackets  packets received by the host.
 * @param outBytes   bytes sent by the host.
 * @param outPackets packets sent by the host.
 */
public record PortTraffic(
    String protocol,
    int port,
    boolean served,
    boolean refused,
    long inBytes,
    long inPackets,
    long outBytes,
    long outPackets)
{
    /**
     * Bytes in both directions, the ranking key of {@link TrafficStore#topPorts}.
     *
     * @return inBytes + outBytes.
     */
    public long bytes()
    {
        return inBytes + outBytes;
    }
}
