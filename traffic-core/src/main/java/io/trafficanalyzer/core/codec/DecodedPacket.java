package io.trafficanalyzer.core.codec;

/**
 * The fields of one decoded IP packet that the aggregation needs; a mutable holder that a
 * {@link FrameDecoder} fills in place and its owner reuses for every frame.
 * <p>
 * Addresses are kept in one fixed-size 128-bit form, as two longs in network order (most significant first).
 * IPv4 addresses are IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}), so {@code hi == 0} and
 * {@code lo == 0x0000_FFFF_0000_0000L | (ipv4 & 0xFFFF_FFFFL)}.
 */
public final class DecodedPacket
{
    /** Port value when the packet carries no ports (not TCP/UDP, or a non-first fragment). */
    public static final int NO_PORT = -1;

    /** VLAN id value when the frame carried no VLAN tag. */
    public static final int NO_VLAN = -1;

    /** TCP flag: the sender has no more data. */
    public static final int TCP_FIN = 0x01;

    /** TCP flag: synchronise sequence numbers, the opening of a connection. */
    public static final int TCP_SYN = 0x02;

    /** TCP flag: reset the connection. */
    public static final int TCP_RST = 0x04;

    /** TCP flag: the acknowledgment field is significant. */
    public static final int TCP_ACK = 0x10;

    /** Upper 64 bits of every IPv4-mapped address. */
    public static final long IPV4_MAPPED_HI = 0L;

    /** Upper 32 bits of the lower half of every IPv4-mapped address. */
    public static final long IPV4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    /** Capture timestamp in nanoseconds since the Unix epoch. */
    public long timestampNs;

    /** 4 or 6. */
    public int ipVersion;

    /** Source address, upper 64 bits. */
    public long srcHi;

    /** Source address, lower 64 bits. */
    public long srcLo;

    /** Destination address, upper 64 bits. */
    public long dstHi;

    /** Destination address, lower 64 bits. */
    public long dstLo;

    /** IP protocol number of the transport (after IPv6 extension headers and AH), 0-255. */
    public int protocol;

    /** Source port for TCP/UDP first fragments, else {@link #NO_PORT}. */
    public int srcPort;

    /** Destination port for TCP/UDP first fragments, else {@link #NO_PORT}. */
    public int dstPort;

    /**
     * TCP flags (the header's thirteenth byte: CWR ECE URG ACK PSH RST SYN FIN, FIN the lowest bit) of a TCP first
     * fragment whose header holds them, else 0.
     */
    public int tcpFlags;

    /** TCP sequence number, as the 32 bits of the header, when {@link #tcpFlags} was read; else 0. */
    public int tcpSequence;

    /** Bytes counted for the packet: the outermost IP packet length (see the byte count contract). */
    public int ipBytes;

    /** Outermost 802.1Q/802.1ad VLAN id, or {@link #NO_VLAN}. */
    public int vlanId;

    /** DSCP (upper 6 bits of the IPv4 TOS / IPv6 traffic class). */
    public int dscp;

    /** True when the packet is an IPv4 or IPv6 fragment (first or later). */
    public boolean fragment;

    /**
     * Whether the packet carries transport ports.
     *
     * @return true for TCP and UDP packets that are not non-first fragments.
     */
    public boolean hasPorts()
    {
        return srcPort != NO_PORT;
    }

    /**
     * Reset every field to its empty value.
     *
     * @return this for a fluent API.
     */
    public DecodedPacket reset()
    {
        timestampNs = 0;
        ipVersion = 0;
        srcHi = 0;
        srcLo = 0;
        dstHi = 0;
        dstLo = 0;
        protocol = 0;
        srcPort = NO_PORT;
        dstPort = NO_PORT;
        tcpFlags = 0;
        tcpSequence = 0;
        ipBytes = 0;
        vlanId = NO_VLAN;
        dscp = 0;
        fragment = false;
        return this;
    }

    /**
     * The lower half of the IPv4-mapped form of an IPv4 address.
     *
     * @param ipv4 the address as a 32-bit int in network order (a.b.c.d = a &lt;&lt; 24 | ...).
     * @return the lower 64 bits of {@code ::ffff:a.b.c.d}.
     */
    public static long ipv4MappedLo(final int ipv4)
    {
        return IPV4_MAPPED_LO_PREFIX | (ipv4 & 0xFFFF_FFFFL);
    }

    /**
     * Whether a 128-bit address is an IPv4-mapped address.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return true for {@code ::ffff:0:0/96}.
     */
    public static boolean isIpv4Mapped(final long hi, final long lo)
    {
        return hi == IPV4_MAPPED_HI && (lo & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED_LO_PREFIX;
    }
}
