package io.trafficanalyzer.core.classify;

/**
 * The port rule for the service side of a TCP/UDP packet when nothing better is known: a port of the well-known
 * list ({@link #WELL_KNOWN}) before the other, else the smaller of the two. The capture agent applies it when a
 * packet's TCP flags and the servers learned from handshakes say nothing (UDP, or a TCP conversation whose
 * handshake was not seen).
 */
public final class ServicePorts
{
    /**
     * The well-known service ports, in increasing order: common services whose port a client rarely uses as its own.
     * None lies in the ephemeral ranges of today's systems (32768 and up), where a client's port would be taken for a
     * service; between two ports of the list the smaller serves (DHCP 67 before 68, DNS 53 before NTP 123).
     */
    static final int[] WELL_KNOWN = {
        20, 21, 22, 23, 25, 53, 67, 68, 69, 80, 88, 110, 111, 123, 135, 137, 138, 139, 143, 161, 162, 179, 389, 443,
        445, 465, 500, 514, 587, 636, 853, 873, 993, 995, 1080, 1194, 1433, 1521, 1883, 2049, 2181, 2379, 2380, 3306,
        3389, 4369, 4500, 5060, 5061, 5222, 5353, 5432, 5671, 5672, 5900, 6379, 6443, 8000, 8080, 8443, 8883, 9042,
        9090, 9092, 9200, 9300, 11211, 27017 };

    // one bit a port: a look-up is a shift and a load from 8 KiB that stays in cache
    private static final long[] BITS = new long[65536 / Long.SIZE];

    static
    {
        for (final int port : WELL_KNOWN)
        {
            BITS[port >>> 6] |= 1L << port;
        }
    }

    private ServicePorts()
    {
    }

    /**
     * Whether a port is on the well-known list.
     *
     * @param port 0-65535.
     * @return true for a port of {@link #wellKnownPorts()}.
     */
    public static boolean isWellKnown(final int port)
    {
        return 0 != (BITS[port >>> 6] & (1L << port));
    }

    /**
     * The well-known service ports, in increasing order.
     *
     * @return a copy of the list.
     */
    public static int[] wellKnownPorts()
    {
        return WELL_KNOWN.clone();
    }

    /**
     * The service port by the port rule: the well-known one of the two if only one is, else the smaller.
     *
     * @param sourcePort      0-65535.
     * @param destinationPort 0-65535.
     * @return the service port, one of the two.
     */
    public static int servicePort(final int sourcePort, final int destinationPort)
    {
        final boolean sourceKnown = isWellKnown(sourcePort);
        if (sourceKnown != isWellKnown(destinationPort))
        {
            return sourceKnown ? sourcePort : destinationPort;
        }

        return Math.min(sourcePort, destinationPort);
    }
}
