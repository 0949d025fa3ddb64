package io.trafficanalyzer.core.codec;

/**
 * What became of one frame: decoded, non-IP, or skipped for a named reason. Every frame read ends up in exactly one.
 */
public enum FrameOutcome
{
    /** An IP packet whose fields were decoded. */
    DECODED("decoded"),
    /** A well-formed frame that carries no IP packet (ARP, LLDP, STP, ...). */
    NON_IP("non_ip"),
    /** The capture's link type is not one the decoder knows. */
    UNSUPPORTED_LINK_TYPE("unsupported_link_type"),
    /**
     * The frame ends inside its link-layer header, VLAN tags, MPLS labels or PPPoE header, or a field of the link
     * layer makes where the packet starts unknowable (a Q.922 address longer than 4 bytes, an NFLOG TLV shorter than
     * its header, a PKTAP header length below the header's size or beyond the frame, PKTAP inside PKTAP).
     */
    TRUNCATED_LINK_HEADER("truncated_link_header"),
    /** The IP version nibble is neither 4 nor 6, or does not match the link layer's protocol. */
    BAD_IP_VERSION("bad_ip_version"),
    /** The IPv4 header length is below 20 bytes, or the total length is below the header length. */
    BAD_IP_HEADER_LENGTH("bad_ip_header_length"),
    /** The frame ends inside the IP header. */
    TRUNCATED_IP_HEADER("truncated_ip_header"),
    /** The frame ends inside an IPv6 extension header or an AH header, or the chain is too long. */
    TRUNCATED_EXTENSION_HEADER("truncated_extension_header"),
    /** The frame ends before the TCP or UDP ports. */
    TRUNCATED_TRANSPORT_HEADER("truncated_transport_header");

    private static final FrameOutcome[] VALUES = values();

    private final String label;

    FrameOutcome(final String label)
    {
        this.label = label;
    }

    /**
     * Stable snake_case name, used in counters, reports and the store.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }

    /**
     * Whether the frame was malformed (neither decoded nor non-IP).
     *
     * @return true for every skip reason.
     */
    public boolean isMalformed()
    {
        return this != DECODED && this != NON_IP;
    }

    /**
     * Outcome by ordinal without allocating a values array.
     *
     * @param ordinal the ordinal.
     * @return the outcome.
     */
    public static FrameOutcome get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * Number of outcomes.
     *
     * @return the count of constants.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
