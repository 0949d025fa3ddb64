package io.trafficanalyzer.core.codec;

/**
 * IANA IP protocol numbers (IPv4 protocol field, IPv6 next header) the decoder and its users act upon.
 */
public final class IpProtocol
{
    /** IPv6 hop-by-hop options extension header. */
    public static final int HOP_BY_HOP = 0;
    /** Internet Control Message Protocol (IPv4). */
    public static final int ICMP = 1;
    /** Transmission Control Protocol. */
    public static final int TCP = 6;
    /** User Datagram Protocol. */
    public static final int UDP = 17;
    /** IPv6 routing extension header. */
    public static final int ROUTING = 43;
    /** IPv6 fragment extension header. */
    public static final int FRAGMENT = 44;
    /** Encapsulating Security Payload: the transport behind it is encrypted. */
    public static final int ESP = 50;
    /** Authentication Header (IPv4 and IPv6), skipped to reach the transport. */
    public static final int AH = 51;
    /** Internet Control Message Protocol for IPv6. */
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header". */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 destination options extension header. */
    public static final int DESTINATION_OPTIONS = 60;

    private IpProtocol()
    {
    }

    /**
     * Whether a protocol carries source and destination ports in its first 4 bytes, as decoded here.
     *
     * @param protocol the IP protocol number.
     * @return true for TCP and UDP.
     */
    public static boolean hasPorts(final int protocol)
    {
        return protocol == TCP || protocol == UDP;
    }
}
