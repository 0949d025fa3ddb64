package io.trafficanalyzer.core.codec;

/**
 * The LINKTYPE_ values of the pcap and pcapng formats that the decoder understands
 * (see the tcpdump.org link-layer header types registry).
 */
public final class LinkType
{
    /** BSD loopback: 4-byte address family in the byte order of the capturing host. */
    public static final int NULL = 0;
    /** Ethernet II / 802.3. */
    public static final int ETHERNET = 1;
    /** PPP, with or without the HDLC-like address and control bytes. */
    public static final int PPP = 9;
    /** DLT_RAW as written on some BSDs (value 12). */
    public static final int RAW_BSD_12 = 12;
    /** DLT_RAW as written on OpenBSD (value 14). */
    public static final int RAW_BSD_14 = 14;
    /** PPP in HDLC-like framing (RFC 1662), or Cisco HDLC when the first byte says so. */
    public static final int PPP_HDLC = 50;
    /** Raw IP, version from the first nibble. */
    public static final int RAW = 101;
    /** Cisco HDLC: address, control and an EtherType. */
    public static final int C_HDLC = 104;
    /** Frame Relay: Q.922 address, then RFC 2427 NLPID or Cisco EtherType encapsulation. */
    public static final int FRELAY = 107;
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Linux cooked capture v1. */
    public static final int LINUX_SLL = 113;
    /** LINKTYPE_USER2 holding Apple's PKTAP header, as macOS's tcpdump writes DLT_PKTAP. */
    public static final int PKTAP_DARWIN = 149;
    /** Raw IPv4. */
    public static final int IPV4 = 228;
    /** Raw IPv6. */
    public static final int IPV6 = 229;
    /** Linux NFLOG: the packets an iptables or nftables log rule hands to user space. */
    public static final int NFLOG = 239;
    /** Apple's PKTAP header followed by a frame of the link type it names. */
    public static final int PKTAP = 258;
    /** Linux cooked capture v2. */
    public static final int LINUX_SLL2 = 276;

    private LinkType()
    {
    }

    /**
     * Whether the decoder understands a link type.
     *
     * @param linkType the LINKTYPE_ value (lower 16 bits of the file's link type field).
     * @return true when frames of this type are decoded.
     */
    public static boolean isSupported(final int linkType)
    {
        switch (linkType)
        {
            case NULL:
            case ETHERNET:
            case PPP:
            case RAW_BSD_12:
            case RAW_BSD_14:
            case PPP_HDLC:
            case RAW:
            case C_HDLC:
            case FRELAY:
            case LOOP:
            case LINUX_SLL:
            case PKTAP_DARWIN:
            case IPV4:
            case IPV6:
            case NFLOG:
            case PKTAP:
            case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }
}
