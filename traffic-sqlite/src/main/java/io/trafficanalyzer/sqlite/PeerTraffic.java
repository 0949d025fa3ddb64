package io.trafficanalyzer.sqlite;

/**
 * Traffic between a host and one remote peer over a time range, all protocols.
 *
 * @param peer       the remote address as text, or "*" for the folded "other peers" row.
 * @param inBytes    bytes the host received from the peer.
 * @param inPackets  packets the host received from the peer.
 * @param outBytes   bytes the host sent to the peer.
 * @param outPackets packets the host sent to the peer.
 */
public record PeerTraffic(String peer, long inBytes, long inPackets, long outBytes, long outPackets)
{
    /**
     * Bytes in both directions, the ranking key of {@link TrafficStore#topPeers}.
     *
     * @return inBytes + outBytes.
     */
    public long bytes()
    {
        return inBytes + outBytes;
    }
}
