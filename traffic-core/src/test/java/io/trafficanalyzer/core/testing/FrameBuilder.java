package io.trafficanalyzer.core.testing;

import io.trafficanalyzer.core.codec.LinkType;
import org.agrona.MutableDirectBuffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds captured frames byte by byte for tests and benchmarks: a link layer (Ethernet, Linux cooked, loopback,
 * raw IP, PPP, Cisco HDLC, Frame Relay, NFLOG, PKTAP in front of another), VLAN tags, MPLS labels or a PPPoE
 * session, an IPv4 or IPv6 header with options, fragment fields and extension headers, a TCP, UDP, ICMP, ICMPv6 or
 * other payload, then truncation to a snap length. Every length and type field is computed from what was added
 * unless it is set explicitly, which is how malformed frames are crafted.
 * <pre>{@code
 * final FrameBuilder frame = new FrameBuilder().ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 443);
 * final int capturedLength = frame.writeTo(buffer, 0);
 * decoder.decode(buffer, 0, capturedLength, frame.wireLength(), frame.linkType(), 0, packet);
 * }</pre>
 * Transport checksums are left zero; the IPv4 header checksum is computed. Not thread safe; one frame at a time.
 */
public final class FrameBuilder
{
    /** Destination MAC address written in Ethernet headers. */
    public static final byte[] DESTINATION_MAC = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
    /** Source MAC address written in Ethernet and Linux cooked headers. */
    public static final byte[] SOURCE_MAC = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    /** Protocol number used for the IP payload when no transport was chosen (RFC 3692 experimentation). */
    public static final int DEFAULT_PROTOCOL = 253;

    /** Resource id written in NFLOG headers (the log group). */
    public static final int NFLOG_GROUP = 5;
    /** Prefix TLV written in NFLOG records: 5 bytes with its NUL, so the TLV after it starts after padding. */
    public static final String NFLOG_PREFIX = "test";
    /** Interface index written in the NFLOG output device TLV. */
    public static final int NFLOG_OUTPUT_DEVICE = 2;
    /** Length of the PKTAP header written. */
    public static final int PKTAP_HEADER_LENGTH = 108;

    private static final int UNSET = -1;
    private static final int TCP_HEADER_LENGTH = 20;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int ICMP_HEADER_LENGTH = 8;
    private static final int AH_DEFAULT_LENGTH = 24;
    private static final int MAX_FRAME_LENGTH = 256 * 1024;
    // one per thread: zeroing a fresh one per frame made writing 100 000 frames take seconds
    private static final ThreadLocal<ByteBuffer> SCRATCH =
        ThreadLocal.withInitial(() -> ByteBuffer.allocate(MAX_FRAME_LENGTH));

    private static final int NFLOG_TYPE_PACKET_HEADER = 1;
    private static final int NFLOG_TYPE_OUTPUT_DEVICE = 5;
    private static final int NFLOG_TYPE_PAYLOAD = 9;
    private static final int NFLOG_TYPE_PREFIX = 10;
    private static final int NF_INET_LOCAL_OUT = 3;

    private int linkType = LinkType.ETHERNET;
    private int pktapInnerLinkType = LinkType.ETHERNET;
    private boolean pppAddressControl = true;
    private boolean pppProtocolCompression;
    private int frameRelayDlci = 100;
    private FrameRelayEncapsulation frameRelayEncapsulation = FrameRelayEncapsulation.NLPID;
    private int nlpid = UNSET;
    private ByteOrder nflogByteOrder = ByteOrder.LITTLE_ENDIAN;
    private int nflogFamily = UNSET;
    private int loopbackFamily = UNSET;
    private ByteOrder loopbackByteOrder = ByteOrder.LITTLE_ENDIAN;
    private final List<int[]> tags = new ArrayList<>();
    private final List<Integer> mplsLabels = new ArrayList<>();
    private boolean mplsControlWord;
    private boolean pppoe;
    private int pppProtocol = UNSET;
    private int etherType = UNSET;

    private int ipVersion;
    private byte[] sourceAddress;
    private byte[] destinationAddress;
    private int trafficClass;
    private int identification = 0x1234;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int ipv4OptionsLength;
    private int ihl = UNSET;
    private int versionNibble = UNSET;
    private int ipLengthField = UNSET;
    private int protocolField = UNSET;
    private final List<int[]> extensionHeaders = new ArrayList<>();

    private int transportProtocol = UNSET;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags = 0x18;
    private int tcpSequence = 1;
    private byte[] payload = new byte[0];

    private int padTo;
    private int snapLength = Integer.MAX_VALUE;
    private int wireLengthField = UNSET;

    private int builtWireLength;
    private int builtCapturedLength;
    private int builtLinkHeaderLength;
    private int builtIpLength;

    /**
     * Use a link type: those with a method of their own here write their header with its defaults (PKTAP in front of
     * Ethernet); raw IP types and unknown values write none.
     *
     * @param linkType LINKTYPE_ value.
     * @return this for a fluent API.
     */
    public FrameBuilder linkType(final int linkType)
    {
        this.linkType = linkType;
        return this;
    }

    /**
     * Ethernet II header (the default).
     *
     * @return this for a fluent API.
     */
    public FrameBuilder ethernet()
    {
        return linkType(LinkType.ETHERNET);
    }

    /**
     * Linux cooked capture v1 header.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder linuxSll()
    {
        return linkType(LinkType.LINUX_SLL);
    }

    /**
     * Linux cooked capture v2 header.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder linuxSll2()
    {
        return linkType(LinkType.LINUX_SLL2);
    }

    /**
     * Raw IP (LINKTYPE_RAW, 101): no link header.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder rawIp()
    {
        return linkType(LinkType.RAW);
    }

    /**
     * BSD NULL loopback header with an explicit family and byte order.
     *
     * @param family    address family value.
     * @param byteOrder of the capturing host.
     * @return this for a fluent API.
     */
    public FrameBuilder bsdNull(final int family, final ByteOrder byteOrder)
    {
        loopbackFamily = family;
        loopbackByteOrder = byteOrder;
        return linkType(LinkType.NULL);
    }

    /**
     * OpenBSD LOOP header (network byte order) with an explicit family.
     *
     * @param family address family value.
     * @return this for a fluent API.
     */
    public FrameBuilder loop(final int family)
    {
        loopbackFamily = family;
        loopbackByteOrder = ByteOrder.BIG_ENDIAN;
        return linkType(LinkType.LOOP);
    }

    /**
     * PPP header (LINKTYPE_PPP): address 0xFF and control 0x03, then the protocol field (0x0021 IPv4, 0x0057 IPv6,
     * 0x0281 MPLS, or {@link #pppProtocol}).
     *
     * @return this for a fluent API.
     */
    public FrameBuilder ppp()
    {
        return linkType(LinkType.PPP);
    }

    /**
     * How PPP headers (LINKTYPE_PPP and LINKTYPE_PPP_HDLC) are written.
     *
     * @param addressAndControl   write the address and control bytes (else address and control field compression).
     * @param protocolCompression write protocols below 0x100 as one byte (protocol field compression).
     * @return this for a fluent API.
     */
    public FrameBuilder pppFraming(final boolean addressAndControl, final boolean protocolCompression)
    {
        pppAddressControl = addressAndControl;
        pppProtocolCompression = protocolCompression;
        return this;
    }

    /**
     * Cisco HDLC header (LINKTYPE_C_HDLC): unicast address 0x0F, control 0, then the EtherType, tags and labels.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder ciscoHdlc()
    {
        return linkType(LinkType.C_HDLC);
    }

    /**
     * Frame Relay header (LINKTYPE_FRELAY): a 2-byte Q.922 address, then the encapsulation.
     *
     * @param dlci          data link connection identifier, 0-1023.
     * @param encapsulation how the payload is announced.
     * @return this for a fluent API.
     */
    public FrameBuilder frameRelay(final int dlci, final FrameRelayEncapsulation encapsulation)
    {
        frameRelayDlci = dlci;
        frameRelayEncapsulation = encapsulation;
        return linkType(LinkType.FRELAY);
    }

    /**
     * Override the NLPID of a Frame Relay frame (else 0xCC IPv4, 0x8E IPv6).
     *
     * @param nlpid network layer protocol identifier.
     * @return this for a fluent API.
     */
    public FrameBuilder nlpid(final int nlpid)
    {
        this.nlpid = nlpid;
        return this;
    }

    /**
     * Linux NFLOG record (LINKTYPE_NFLOG): header, then a packet header, a prefix, an output device and the payload
     * TLV holding the IP packet, padded to 4 bytes, as the kernel writes them.
     *
     * @param tlvByteOrder byte order of the TLV lengths and types (the capturing host's).
     * @return this for a fluent API.
     */
    public FrameBuilder nflog(final ByteOrder tlvByteOrder)
    {
        nflogByteOrder = tlvByteOrder;
        return linkType(LinkType.NFLOG);
    }

    /**
     * Override the family of an NFLOG header (else 2 for IPv4, 10 for IPv6).
     *
     * @param family the address family, Linux numbering.
     * @return this for a fluent API.
     */
    public FrameBuilder nflogFamily(final int family)
    {
        nflogFamily = family;
        return this;
    }

    /**
     * Put Apple's PKTAP header in front of the link layer chosen so far (Ethernet unless another was), which becomes
     * the inner frame; choose the inner link layer first.
     *
     * @param pktapLinkType {@link LinkType#PKTAP} or {@link LinkType#PKTAP_DARWIN}.
     * @return this for a fluent API.
     */
    public FrameBuilder pktap(final int pktapLinkType)
    {
        if (!isPktap(linkType))
        {
            pktapInnerLinkType = linkType;
        }
        return linkType(pktapLinkType);
    }

    /**
     * Add an 802.1Q tag (TPID 0x8100) after the ones already added.
     *
     * @param vlanId 0-4095.
     * @return this for a fluent API.
     */
    public FrameBuilder vlan(final int vlanId)
    {
        return tag(0x8100, vlanId);
    }

    /**
     * Add a VLAN tag with any TPID (0x8100, 0x88A8, 0x9100) and TCI (priority and DEI bits included).
     *
     * @param tpid tag protocol identifier.
     * @param tci  tag control information.
     * @return this for a fluent API.
     */
    public FrameBuilder tag(final int tpid, final int tci)
    {
        tags.add(new int[]{ tpid, tci });
        return this;
    }

    /**
     * Add MPLS labels (EtherType 0x8847); the last one added carries the bottom-of-stack bit.
     *
     * @param labels 20-bit label values.
     * @return this for a fluent API.
     */
    public FrameBuilder mpls(final int... labels)
    {
        for (final int label : labels)
        {
            mplsLabels.add(label);
        }
        return this;
    }

    /**
     * Put a zero pseudowire control word after the MPLS label stack.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder mplsControlWord()
    {
        mplsControlWord = true;
        return this;
    }

    /**
     * Carry the IP packet in a PPPoE session (EtherType 0x8864).
     *
     * @return this for a fluent API.
     */
    public FrameBuilder pppoeSession()
    {
        pppoe = true;
        return this;
    }

    /**
     * Override the PPP protocol field of the PPPoE session header, or of the PPP header of the PPP link types (else
     * 0x0021 or 0x0057 from the IP version).
     *
     * @param protocol PPP protocol number.
     * @return this for a fluent API.
     */
    public FrameBuilder pppProtocol(final int protocol)
    {
        pppoe = true;
        pppProtocol = protocol;
        return this;
    }

    /**
     * Override the innermost EtherType (after the tags), or set it for a non-IP frame.
     *
     * @param etherType 16-bit value, an 802.3 length when below 0x0600.
     * @return this for a fluent API.
     */
    public FrameBuilder etherType(final int etherType)
    {
        this.etherType = etherType;
        return this;
    }

    /**
     * An IPv4 header.
     *
     * @param source      dotted quad literal.
     * @param destination dotted quad literal.
     * @return this for a fluent API.
     */
    public FrameBuilder ipv4(final String source, final String destination)
    {
        ipVersion = 4;
        sourceAddress = address(source, 4);
        destinationAddress = address(destination, 4);
        return this;
    }

    /**
     * An IPv6 header.
     *
     * @param source      IPv6 literal.
     * @param destination IPv6 literal.
     * @return this for a fluent API.
     */
    public FrameBuilder ipv6(final String source, final String destination)
    {
        ipVersion = 6;
        sourceAddress = address(source, 16);
        destinationAddress = address(destination, 16);
        return this;
    }

    /**
     * IPv4 type of service or IPv6 traffic class byte.
     *
     * @param trafficClass 0-255, DSCP in the upper 6 bits.
     * @return this for a fluent API.
     */
    public FrameBuilder trafficClass(final int trafficClass)
    {
        this.trafficClass = trafficClass;
        return this;
    }

    /**
     * IPv4 options of a given length (NOP options), making the IHL larger.
     *
     * @param length bytes of options, a multiple of 4 up to 40.
     * @return this for a fluent API.
     */
    public FrameBuilder ipv4Options(final int length)
    {
        ipv4OptionsLength = length;
        return this;
    }

    /**
     * IPv4 fragment fields.
     *
     * @param offsetUnits   fragment offset in 8-byte units.
     * @param moreFragments the MF flag.
     * @return this for a fluent API.
     */
    public FrameBuilder ipv4Fragment(final int offsetUnits, final boolean moreFragments)
    {
        fragmentOffset = offsetUnits;
        this.moreFragments = moreFragments;
        return this;
    }

    /**
     * Set the IPv4 DF flag.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder dontFragment()
    {
        dontFragment = true;
        return this;
    }

    /**
     * Override the IPv4 IHL nibble (the bytes written still follow the options added).
     *
     * @param ihl 0-15.
     * @return this for a fluent API.
     */
    public FrameBuilder ihl(final int ihl)
    {
        this.ihl = ihl;
        return this;
    }

    /**
     * Override the IP version nibble (the header layout still follows the version chosen).
     *
     * @param version 0-15.
     * @return this for a fluent API.
     */
    public FrameBuilder versionNibble(final int version)
    {
        versionNibble = version;
        return this;
    }

    /**
     * Override the IPv4 total length or the IPv6 payload length field.
     *
     * @param length 0-65535.
     * @return this for a fluent API.
     */
    public FrameBuilder ipLengthField(final int length)
    {
        ipLengthField = length;
        return this;
    }

    /**
     * Override the IPv4 protocol or IPv6 next header field of the IP header.
     *
     * @param protocol 0-255.
     * @return this for a fluent API.
     */
    public FrameBuilder protocolField(final int protocol)
    {
        protocolField = protocol;
        return this;
    }

    /**
     * Add an IPv6 hop-by-hop options header (PadN filled).
     *
     * @param length bytes, a multiple of 8 from 8.
     * @return this for a fluent API.
     */
    public FrameBuilder hopByHop(final int length)
    {
        return extensionHeader(0, length, 0, false);
    }

    /**
     * Add an IPv6 routing header with no segments left.
     *
     * @param length bytes, a multiple of 8 from 8.
     * @return this for a fluent API.
     */
    public FrameBuilder routing(final int length)
    {
        return extensionHeader(43, length, 0, false);
    }

    /**
     * Add an IPv6 destination options header (PadN filled).
     *
     * @param length bytes, a multiple of 8 from 8.
     * @return this for a fluent API.
     */
    public FrameBuilder destinationOptions(final int length)
    {
        return extensionHeader(60, length, 0, false);
    }

    /**
     * Add an IPv6 fragment header.
     *
     * @param offsetUnits   fragment offset in 8-byte units.
     * @param moreFragments the M flag.
     * @return this for a fluent API.
     */
    public FrameBuilder fragmentHeader(final int offsetUnits, final boolean moreFragments)
    {
        return extensionHeader(44, 8, offsetUnits, moreFragments);
    }

    /**
     * Add an Authentication Header of 24 bytes (12-byte ICV), after IPv4 or among IPv6 extension headers.
     *
     * @return this for a fluent API.
     */
    public FrameBuilder authenticationHeader()
    {
        return authenticationHeader(AH_DEFAULT_LENGTH);
    }

    /**
     * Add an Authentication Header.
     *
     * @param length bytes, a multiple of 4 from 12.
     * @return this for a fluent API.
     */
    public FrameBuilder authenticationHeader(final int length)
    {
        return extensionHeader(51, length, 0, false);
    }

    /**
     * TCP header (20 bytes, PSH|ACK and sequence number 1 unless set) with ports.
     *
     * @param sourcePort      0-65535.
     * @param destinationPort 0-65535.
     * @return this for a fluent API.
     */
    public FrameBuilder tcp(final int sourcePort, final int destinationPort)
    {
        return transport(6, sourcePort, destinationPort);
    }

    /**
     * The flags of the TCP header (PSH|ACK unless set).
     *
     * @param flags the header's thirteenth byte, e.g. 0x02 for SYN, 0x12 for SYN-ACK, 0x14 for RST-ACK.
     * @return this for a fluent API.
     */
    public FrameBuilder tcpFlags(final int flags)
    {
        tcpFlags = flags;
        return this;
    }

    /**
     * The sequence number of the TCP header (1 unless set).
     *
     * @param sequence the 32 bits of the field.
     * @return this for a fluent API.
     */
    public FrameBuilder tcpSequence(final int sequence)
    {
        tcpSequence = sequence;
        return this;
    }

    /**
     * UDP header (8 bytes) with ports.
     *
     * @param sourcePort      0-65535.
     * @param destinationPort 0-65535.
     * @return this for a fluent API.
     */
    public FrameBuilder udp(final int sourcePort, final int destinationPort)
    {
        return transport(17, sourcePort, destinationPort);
    }

    /**
     * ICMP echo request header (8 bytes).
     *
     * @return this for a fluent API.
     */
    public FrameBuilder icmp()
    {
        return transport(1, 0, 0);
    }

    /**
     * ICMPv6 echo request header (8 bytes).
     *
     * @return this for a fluent API.
     */
    public FrameBuilder icmpv6()
    {
        return transport(58, 0, 0);
    }

    /**
     * Any other IP protocol: the payload follows the IP headers directly.
     *
     * @param protocol 0-255.
     * @return this for a fluent API.
     */
    public FrameBuilder protocol(final int protocol)
    {
        return transport(protocol, 0, 0);
    }

    /**
     * Payload of a given length (bytes 0, 1, 2, ...) after the transport header, or after the link layer when there
     * is no IP header.
     *
     * @param length bytes.
     * @return this for a fluent API.
     */
    public FrameBuilder payload(final int length)
    {
        payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)i;
        }
        return this;
    }

    /**
     * Explicit payload bytes after the transport header, or after the link layer when there is no IP header.
     *
     * @param bytes to copy.
     * @return this for a fluent API.
     */
    public FrameBuilder payload(final byte[] bytes)
    {
        payload = bytes.clone();
        return this;
    }

    /**
     * Pad the frame with zeros to a minimum length, as Ethernet does to 60 bytes.
     *
     * @param frameLength minimum frame length.
     * @return this for a fluent API.
     */
    public FrameBuilder padTo(final int frameLength)
    {
        padTo = frameLength;
        return this;
    }

    /**
     * Capture at most this many bytes of the frame; the wire length stays the full length.
     *
     * @param snapLength bytes kept.
     * @return this for a fluent API.
     */
    public FrameBuilder snapLength(final int snapLength)
    {
        this.snapLength = snapLength;
        return this;
    }

    /**
     * Override the wire length reported with the frame.
     *
     * @param wireLength bytes on the wire.
     * @return this for a fluent API.
     */
    public FrameBuilder wireLength(final int wireLength)
    {
        wireLengthField = wireLength;
        return this;
    }

    /**
     * LINKTYPE_ value of the frame.
     *
     * @return the link type.
     */
    public int linkType()
    {
        return linkType;
    }

    /**
     * Wire length of the frame last built.
     *
     * @return the full frame length, or the override.
     */
    public int wireLength()
    {
        return builtWireLength;
    }

    /**
     * Captured length of the frame last built.
     *
     * @return min(full length, snap length).
     */
    public int capturedLength()
    {
        return builtCapturedLength;
    }

    /**
     * Bytes before the IP header in the frame last built: link header, tags, labels, PPPoE.
     *
     * @return the offset of the IP header in the frame.
     */
    public int linkHeaderLength()
    {
        return builtLinkHeaderLength;
    }

    /**
     * Bytes of the IP packet in the frame last built (headers and payload, before truncation, without padding).
     *
     * @return the IP packet length, 0 when the frame has no IP packet.
     */
    public int ipLength()
    {
        return builtIpLength;
    }

    /**
     * Build the frame and copy its captured bytes into a buffer.
     *
     * @param buffer to write to.
     * @param offset of the first byte of the frame.
     * @return the captured length.
     */
    public int writeTo(final MutableDirectBuffer buffer, final int offset)
    {
        final byte[] frame = build();
        buffer.putBytes(offset, frame);
        return frame.length;
    }

    /**
     * Build the frame.
     *
     * @return its captured bytes.
     */
    public byte[] build()
    {
        final byte[] ipPacket = ipVersion != 0 ? ipPacket() : payload;
        builtIpLength = ipVersion != 0 ? ipPacket.length : 0;

        // every byte up to the frame's end is written below, so what an earlier frame left beyond it never shows
        final ByteBuffer frame = SCRATCH.get().clear().order(ByteOrder.BIG_ENDIAN);
        linkHeader(frame, linkType, ipPacket.length);
        builtLinkHeaderLength = frame.position();
        frame.put(ipPacket);
        if (linkType == LinkType.NFLOG)
        {
            // the payload TLV is padded to 4 bytes like every other
            while ((frame.position() & 3) != 0)
            {
                frame.put((byte)0);
            }
        }
        while (frame.position() < padTo)
        {
            frame.put((byte)0);
        }

        final int fullLength = frame.position();
        builtWireLength = wireLengthField != UNSET ? wireLengthField : fullLength;
        builtCapturedLength = Math.min(fullLength, snapLength);
        return Arrays.copyOf(frame.array(), builtCapturedLength);
    }

    private FrameBuilder extensionHeader(
        final int type, final int length, final int offsetUnits, final boolean moreFragments)
    {
        extensionHeaders.add(new int[]{ type, length, offsetUnits, moreFragments ? 1 : 0 });
        return this;
    }

    private FrameBuilder transport(final int protocol, final int sourcePort, final int destinationPort)
    {
        transportProtocol = protocol;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        return this;
    }

    private void linkHeader(final ByteBuffer frame, final int headerLinkType, final int payloadLength)
    {
        switch (headerLinkType)
        {
            case LinkType.ETHERNET:
                frame.put(DESTINATION_MAC).put(SOURCE_MAC);
                etherTypeAndTags(frame, payloadLength);
                break;

            case LinkType.LINUX_SLL:
                frame.putShort((short)0).putShort((short)1).putShort((short)6).put(SOURCE_MAC).putShort((short)0);
                etherTypeAndTags(frame, payloadLength);
                break;

            case LinkType.LINUX_SLL2:
                final int protocolPosition = frame.position();
                frame.putShort((short)0).putShort((short)0).putInt(2).putShort((short)1).put((byte)0).put((byte)6)
                    .put(SOURCE_MAC).putShort((short)0);
                final int afterHeader = frame.position();
                frame.position(protocolPosition);
                etherTypeAndTags(frame, payloadLength, afterHeader);
                break;

            case LinkType.NULL:
            case LinkType.LOOP:
                final int family = loopbackFamily != UNSET ? loopbackFamily : (ipVersion == 6 ? 24 : 2);
                frame.order(loopbackByteOrder).putInt(family).order(ByteOrder.BIG_ENDIAN);
                break;

            case LinkType.PPP:
            case LinkType.PPP_HDLC:
                pppHeader(frame);
                break;

            case LinkType.C_HDLC:
                frame.put((byte)0x0F).put((byte)0);
                etherTypeAndTags(frame, payloadLength);
                break;

            case LinkType.FRELAY:
                frameRelayHeader(frame, payloadLength);
                break;

            case LinkType.NFLOG:
                nflogHeader(frame, payloadLength);
                break;

            case LinkType.PKTAP:
            case LinkType.PKTAP_DARWIN:
                pktapHeader(frame);
                linkHeader(frame, pktapInnerLinkType, payloadLength);
                break;

            default:
                break;
        }
    }

    private void pppHeader(final ByteBuffer frame)
    {
        if (pppAddressControl)
        {
            frame.put((byte)0xFF).put((byte)0x03);
        }
        final int protocol = pppProtocol != UNSET ? pppProtocol :
            !mplsLabels.isEmpty() ? 0x0281 : (ipVersion == 6 ? 0x0057 : 0x0021);
        if (pppProtocolCompression && protocol < 0x100)
        {
            frame.put((byte)protocol);
        }
        else
        {
            frame.putShort((short)protocol);
        }
        mplsLabels(frame);
    }

    private void frameRelayHeader(final ByteBuffer frame, final int payloadLength)
    {
        // Q.922: six DLCI bits, C/R, EA 0; four DLCI bits, FECN, BECN, DE, EA 1
        frame.put((byte)(((frameRelayDlci >> 4) & 0x3F) << 2)).put((byte)(((frameRelayDlci & 0x0F) << 4) | 1));
        switch (frameRelayEncapsulation)
        {
            case CISCO:
                etherTypeAndTags(frame, payloadLength);
                break;

            case SNAP:
                frame.put((byte)0x03).put((byte)0).put((byte)0x80).put((byte)0).putShort((short)0);
                etherTypeAndTags(frame, payloadLength);
                break;

            default:
                frame.put((byte)0x03).put((byte)(nlpid != UNSET ? nlpid : (ipVersion == 6 ? 0x8E : 0xCC)));
                break;
        }
    }

    private void nflogHeader(final ByteBuffer frame, final int payloadLength)
    {
        final int family = nflogFamily != UNSET ? nflogFamily : (ipVersion == 6 ? 10 : 2);
        frame.put((byte)family).put((byte)0).putShort((short)NFLOG_GROUP);

        frame.order(nflogByteOrder).putShort((short)8).putShort((short)NFLOG_TYPE_PACKET_HEADER)
            .order(ByteOrder.BIG_ENDIAN).putShort((short)(ipVersion == 6 ? 0x86DD : 0x0800))
            .put((byte)NF_INET_LOCAL_OUT).put((byte)0);

        // the prefix with its terminating NUL
        final byte[] prefix =
            Arrays.copyOf(NFLOG_PREFIX.getBytes(StandardCharsets.US_ASCII), NFLOG_PREFIX.length() + 1);
        frame.order(nflogByteOrder).putShort((short)(4 + prefix.length)).putShort((short)NFLOG_TYPE_PREFIX)
            .put(prefix);
        while ((frame.position() & 3) != 0)
        {
            frame.put((byte)0);
        }

        frame.order(nflogByteOrder).putShort((short)8).putShort((short)NFLOG_TYPE_OUTPUT_DEVICE)
            .order(ByteOrder.BIG_ENDIAN).putInt(NFLOG_OUTPUT_DEVICE);

        frame.order(nflogByteOrder).putShort((short)(4 + payloadLength)).putShort((short)NFLOG_TYPE_PAYLOAD)
            .order(ByteOrder.BIG_ENDIAN);
    }

    private void pktapHeader(final ByteBuffer frame)
    {
        final int start = frame.position();
        frame.order(ByteOrder.LITTLE_ENDIAN).putInt(PKTAP_HEADER_LENGTH).putInt(1).putInt(pktapInnerLinkType);
        frame.put(Arrays.copyOf("en0".getBytes(StandardCharsets.US_ASCII), 24));
        // flags, protocol family, link header and trailer lengths, process id
        frame.putInt(0).putInt(ipVersion == 6 ? 30 : 2).putInt(pktapInnerLinkType == LinkType.ETHERNET ? 14 : 0)
            .putInt(0).putInt(4242);
        frame.put(Arrays.copyOf("curl".getBytes(StandardCharsets.US_ASCII), 20));
        // service class, interface type and unit, effective process id and command
        frame.putInt(0).putShort((short)6).putShort((short)0).putInt(4242);
        frame.put(Arrays.copyOf("curl".getBytes(StandardCharsets.US_ASCII), 20));
        frame.order(ByteOrder.BIG_ENDIAN);
        if (frame.position() - start != PKTAP_HEADER_LENGTH)
        {
            throw new IllegalStateException("PKTAP header of " + (frame.position() - start) + " bytes");
        }
    }

    private static boolean isPktap(final int linkType)
    {
        return linkType == LinkType.PKTAP || linkType == LinkType.PKTAP_DARWIN;
    }

    private void etherTypeAndTags(final ByteBuffer frame, final int payloadLength)
    {
        etherTypeAndTags(frame, payloadLength, UNSET);
    }

    // the protocol field goes at the current position; the tags, labels and PPPoE header after the link header,
    // which for SLL2 (protocol field first) is at afterHeader
    private void etherTypeAndTags(final ByteBuffer frame, final int payloadLength, final int afterHeader)
    {
        final int innerEtherType = innerEtherType();
        final int[] types = new int[tags.size() + 1];
        for (int i = 0; i < tags.size(); i++)
        {
            types[i] = tags.get(i)[0];
        }
        types[tags.size()] = innerEtherType;

        frame.putShort((short)types[0]);
        if (afterHeader != UNSET)
        {
            frame.position(afterHeader);
        }
        for (int i = 0; i < tags.size(); i++)
        {
            frame.putShort((short)tags.get(i)[1]).putShort((short)types[i + 1]);
        }

        mplsLabels(frame);

        if (pppoe)
        {
            final int protocol = pppProtocol != UNSET ? pppProtocol : (ipVersion == 6 ? 0x0057 : 0x0021);
            frame.put((byte)0x11).put((byte)0).putShort((short)0x1234).putShort((short)(payloadLength + 2))
                .putShort((short)protocol);
        }
    }

    private void mplsLabels(final ByteBuffer frame)
    {
        for (int i = 0; i < mplsLabels.size(); i++)
        {
            final int bottom = i == mplsLabels.size() - 1 ? 1 : 0;
            frame.putInt((mplsLabels.get(i) << 12) | (bottom << 8) | 64);
        }
        if (mplsControlWord)
        {
            frame.putInt(0);
        }
    }

    private int innerEtherType()
    {
        if (etherType != UNSET)
        {
            return etherType;
        }
        if (pppoe)
        {
            return 0x8864;
        }
        if (!mplsLabels.isEmpty())
        {
            return 0x8847;
        }
        if (ipVersion == 4)
        {
            return 0x0800;
        }
        if (ipVersion == 6)
        {
            return 0x86DD;
        }
        return 0x88B5;
    }

    private byte[] ipPacket()
    {
        byte[] rest = transportBytes();
        int nextHeader = transportProtocol != UNSET ? transportProtocol : DEFAULT_PROTOCOL;
        for (int i = extensionHeaders.size() - 1; i >= 0; i--)
        {
            final int[] header = extensionHeaders.get(i);
            rest = concat(extensionHeaderBytes(header, nextHeader), rest);
            nextHeader = header[0];
        }
        if (protocolField != UNSET)
        {
            nextHeader = protocolField;
        }

        return ipVersion == 4 ? concat(ipv4Header(nextHeader, rest.length), rest) :
            concat(ipv6Header(nextHeader, rest.length), rest);
    }

    private byte[] transportBytes()
    {
        final ByteBuffer bytes;
        switch (transportProtocol)
        {
            case 6:
                bytes = ByteBuffer.allocate(TCP_HEADER_LENGTH + payload.length);
                bytes.putShort((short)sourcePort).putShort((short)destinationPort).putInt(tcpSequence).putInt(0)
                    .put((byte)(5 << 4)).put((byte)tcpFlags).putShort((short)0xFFFF).putShort((short)0)
                    .putShort((short)0);
                break;

            case 17:
                bytes = ByteBuffer.allocate(UDP_HEADER_LENGTH + payload.length);
                bytes.putShort((short)sourcePort).putShort((short)destinationPort)
                    .putShort((short)(UDP_HEADER_LENGTH + payload.length)).putShort((short)0);
                break;

            case 1:
            case 58:
                bytes = ByteBuffer.allocate(ICMP_HEADER_LENGTH + payload.length);
                bytes.put((byte)(transportProtocol == 1 ? 8 : 128)).put((byte)0).putShort((short)0)
                    .putShort((short)0x0101).putShort((short)1);
                break;

            default:
                bytes = ByteBuffer.allocate(payload.length);
                break;
        }
        bytes.put(payload);
        return bytes.array();
    }

    private static byte[] extensionHeaderBytes(final int[] header, final int nextHeader)
    {
        final int type = header[0];
        final int length = header[1];
        final ByteBuffer bytes = ByteBuffer.allocate(length);
        bytes.put((byte)nextHeader);
        switch (type)
        {
            case 44:
                bytes.put((byte)0).putShort((short)((header[2] << 3) | header[3])).putInt(0xCAFE);
                break;

            case 51:
                bytes.put((byte)(length / 4 - 2)).putShort((short)0).putInt(0x1000).putInt(1);
                break;

            case 43:
                // routing type 253 (experimental) with no segments left: skipped by every node
                bytes.put((byte)(length / 8 - 1)).put((byte)253).put((byte)0);
                break;

            default:
                // one PadN option filling the header
                bytes.put((byte)(length / 8 - 1)).put((byte)1).put((byte)(length - 4));
                break;
        }
        return bytes.array();
    }

    private byte[] ipv4Header(final int protocol, final int restLength)
    {
        final int headerLength = 20 + ipv4OptionsLength;
        final int ihlValue = ihl != UNSET ? ihl : headerLength / 4;
        final int version = versionNibble != UNSET ? versionNibble : 4;
        final int totalLength = ipLengthField != UNSET ? ipLengthField : headerLength + restLength;
        final int flags = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset;

        final ByteBuffer header = ByteBuffer.allocate(headerLength);
        header.put((byte)((version << 4) | (ihlValue & 0x0F))).put((byte)trafficClass).putShort((short)totalLength)
            .putShort((short)identification).putShort((short)flags).put((byte)64).put((byte)protocol)
            .putShort((short)0).put(sourceAddress).put(destinationAddress);
        while (header.hasRemaining())
        {
            header.put((byte)1);
        }
        header.putShort(10, (short)checksum(header.array()));
        return header.array();
    }

    private byte[] ipv6Header(final int nextHeader, final int restLength)
    {
        final int version = versionNibble != UNSET ? versionNibble : 6;
        final int payloadLength = ipLengthField != UNSET ? ipLengthField : restLength;

        final ByteBuffer header = ByteBuffer.allocate(40);
        header.putInt((version << 28) | ((trafficClass & 0xFF) << 20) | 0x12345).putShort((short)payloadLength)
            .put((byte)nextHeader).put((byte)64).put(sourceAddress).put(destinationAddress);
        return header.array();
    }

    private static int checksum(final byte[] header)
    {
        int sum = 0;
        for (int i = 0; i < header.length; i += 2)
        {
            sum += ((header[i] & 0xFF) << 8) | (header[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    private static byte[] address(final String literal, final int length)
    {
        if (!literal.matches("[0-9A-Fa-f:.]+"))
        {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }

        try
        {
            final byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length == length)
            {
                return bytes;
            }
            if (length == 16)
            {
                // Java turns ::ffff:a.b.c.d into an Inet4Address
                final byte[] mapped = new byte[16];
                mapped[10] = (byte)0xFF;
                mapped[11] = (byte)0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            throw new IllegalArgumentException("not an IPv4 address: " + literal);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }

    /**
     * How a Frame Relay frame announces its payload.
     */
    public enum FrameRelayEncapsulation
    {
        /** RFC 2427: control 0x03, then the NLPID (0xCC IPv4, 0x8E IPv6). */
        NLPID,
        /** RFC 2427: control 0x03, pad, NLPID 0x80, a SNAP header with OUI 0 and the EtherType. */
        SNAP,
        /** Cisco: the EtherType right after the address. */
        CISCO
    }
}
