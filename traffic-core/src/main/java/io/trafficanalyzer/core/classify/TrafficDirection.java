package io.trafficanalyzer.core.classify;

/**
 * Where a packet goes relative to the local networks.
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
}
