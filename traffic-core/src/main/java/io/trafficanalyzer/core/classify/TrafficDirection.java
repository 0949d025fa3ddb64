package io.trafficanalyzer.core.classify;

/**
 * Where a packet goes relative to the local networks, and the service port of a TCP/UDP conversation.
 * <ul>
 * <li>local → remote: {@link #OUTBOUND}, OUT for the source host;</li>
 * <li>remote → local: {@link #INBOUND}, IN for the destination host;</li>
 * <li>local → local: {@link #INTERNAL}, OUT for the source and IN for the destination;</li>
 * <li>remote → remote: {@link #TRANSIT}, counted as such, for no host.</li>
 * </ul>
 */
public enum TrafficDirection
{
    /** From a local host to a remote one. */
    OUTBOUND,
    /** From a remote host to a local one. */
    INBOUND,
    /** Between two local hosts. */
    INTERNAL,
    /** Between two remote hosts (mirrored ports, routers). */
    TRANSIT;

    /**
     * Classify a packet by whether its ends are local.
     *
     * @param sourceLocal      whether the source address is local.
     * @param destinationLocal whether the destination address is local.
     * @return the direction.
     */
    public static TrafficDirection of(final boolean sourceLocal, final boolean destinationLocal)
    {
        if (sourceLocal)
        {
            return destinationLocal ? INTERNAL : OUTBOUND;
        }

        return destinationLocal ? INBOUND : TRANSIT;
    }

    /**
     * The service port of a TCP/UDP packet: the lower of its two ports, so a client's ephemeral ports do not
     * spread a conversation over thousands of keys.
     *
     * @param sourcePort      0-65535.
     * @param destinationPort 0-65535.
     * @return {@code min(sourcePort, destinationPort)}.
     */
    public static int servicePort(final int sourcePort, final int destinationPort)
    {
        return Math.min(sourcePort, destinationPort);
    }

    /**
     * Whether a local host serves the service port: the port is on the local host's side of the packet
     * (equal ports count as served).
     *
     * @param localPort       the local host's port in the packet (source port for the sender, destination port
     *                        for the receiver).
     * @param servicePort     the service port from {@link #servicePort(int, int)}.
     * @return true when the local host is the server.
     */
    public static boolean isServed(final int localPort, final int servicePort)
    {
        return localPort == servicePort;
    }
}
