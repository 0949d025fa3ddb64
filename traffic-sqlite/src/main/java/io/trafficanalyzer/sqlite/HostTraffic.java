package io.trafficanalyzer.sqlite;

/**
 * Traffic of one local host over a time range, all protocols.
 *
 * @param host       the address as text (dotted quad, RFC 5952 IPv6).
 * @param inBytes    bytes received by the host.
 * @param inPackets  packets received by the host.
 * @param outBytes   bytes sent by the host.
 * @param outPackets packets sent by the host.
 */
public record HostTraffic(String host, long inBytes, long inPackets, long outBytes, long outPackets)
{
    /**
     * Bytes in both directions, the ranking key of {@link TrafficStore#topHosts}.
     *
     * @return inBytes + outBytes.
     */
    public long bytes()
    {
        return inBytes + outBytes;
    }
}
