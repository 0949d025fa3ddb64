package io.trafficanalyzer.core.codec;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static io.trafficanalyzer.core.codec.DecodedPacket.NO_VLAN;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Decodes a captured frame into a {@link DecodedPacket} with no allocation, no lock and no exception: every frame,
 * however malformed, ends in exactly one {@link FrameOutcome}.
 * <p>
 * Link layers: Ethernet, Linux cooked v1 and v2, raw IP (101, 12, 14), raw IPv4 (228), raw IPv6 (229), BSD NULL
 * and LOOP, PPP (9) and PPP in HDLC-like framing (50), Cisco HDLC (104), Frame Relay (107), Linux NFLOG (239), and
 * Apple's PKTAP (258, and 149 as macOS writes it) in front of any of the others. Behind an EtherType (Ethernet,
 * Linux cooked, Cisco HDLC, Frame Relay): any depth of 802.1Q, 802.1ad and 0x9100 tags (the outermost VLAN id is
 * kept), MPLS label stacks (IP recognised by the version nibble after the bottom of the stack) and PPPoE sessions;
 * behind a PPP protocol field: MPLS. Then IPv4 (options skipped) or IPv6 (hop-by-hop, routing, fragment and
 * destination options headers skipped, at most {@value ExtensionHeaderDescriptor#MAX_CHAIN_LENGTH} of them) and, for
 * both, Authentication Headers; TCP and UDP ports unless the packet is a non-first fragment.
 * <p>
 * Byte count contract: {@link DecodedPacket#ipBytes} is the length of the outermost IP packet as its header states
 * it (IPv4 total length, IPv6 40 + payload length), even when the capture kept fewer bytes (snap length). When the
 * header cannot say (IPv4 total length 0 from TSO/GSO, IPv6 payload length 0 from jumbograms and BIG TCP) it is
 * the wire length less everything before the IP header (link header, tags, labels, PPPoE). Headers are only looked
 * for within the length the IP header states, so Ethernet padding is never read as a transport header, and within
 * the NFLOG payload TLV, so a TLV after it is never read as one either.
 * <p>
 * Only {@code min(capturedLength, buffer.capacity() - offset)} bytes are read; a negative offset gives
 * {@link FrameOutcome#TRUNCATED_LINK_HEADER}. On an outcome other than
 * {@link FrameOutcome#DECODED} the fields of the packet are unspecified. An instance is not thread safe: use one
 * per thread.
 * <p>
 * Long because it holds a short method per link layer and per header; they stay in one class, private and over
 * one buffer, so that the per-packet path is a chain of calls the JIT can inline whole.
 */
public final class FrameDecoder
{
    private static final int ANY_IP_VERSION = 0;

    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();

    /**
     * The IP version the link layer announced for the packet it found (EtherType, PPP protocol, address family,
     * link type), or {@link #ANY_IP_VERSION} when only the version nibble can tell.
     */
    private int linkIpVersion;

    /**
     * Where the bytes the link layer gives to the IP packet end: the end of the frame, or of the TLV that holds the
     * packet in an NFLOG record.
     */
    private int ipLimit;

    /**
     * Decode one frame.
     *
     * @param buffer         holding the frame.
     * @param offset         of the link-layer header.
     * @param capturedLength bytes present.
     * @param wireLength     original length on the wire.
     * @param linkType       LINKTYPE_ value.
     * @param timestampNs    capture time.
     * @param packet         filled when the outcome is {@link FrameOutcome#DECODED}.
     * @return the outcome.
     */
    public FrameOutcome decode(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs,
        final DecodedPacket packet)
    {
        if (offset < 0)
        {
            return LinkType.isSupported(linkType) ?
                FrameOutcome.TRUNCATED_LINK_HEADER : FrameOutcome.UNSUPPORTED_LINK_TYPE;
        }

        final int limit = offset + availableLength(buffer, offset, capturedLength);
        packet.timestampNs = timestampNs;
        packet.vlanId = NO_VLAN;

        // the IP layer has this one call site instead of one per link layer: the compiled code stays small
        ipLimit = limit;
        final int ipOffset = linkLayer(buffer, offset, limit, linkType, packet);
        if (ipOffset < 0)
        {
            return FrameOutcome.get(~ipOffset);
        }

        return ip(buffer, offset, ipOffset, ipLimit, wireLength, packet);
    }

    // returns the offset of the IP header with linkIpVersion set, or ~ordinal of the frame's outcome
    private int linkLayer(
        final DirectBuffer buffer, final int offset, final int limit, final int linkType, final DecodedPacket packet)
    {
        switch (linkType)
        {
            case LinkType.ETHERNET:
                if (limit - offset < EthernetDescriptor.HEADER_LENGTH)
                {
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
                return etherType(
                    buffer,
                    offset + EthernetDescriptor.HEADER_LENGTH,
                    limit,
                    buffer.getShort(offset + EthernetDescriptor.ETHER_TYPE_OFFSET, BIG_ENDIAN) & 0xFFFF,
                    packet);

            case LinkType.LINUX_SLL2:
                if (limit - offset < LinuxSll2Descriptor.HEADER_LENGTH)
                {
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
                return etherType(
                    buffer,
                    offset + LinuxSll2Descriptor.HEADER_LENGTH,
                    limit,
                    buffer.getShort(offset + LinuxSll2Descriptor.PROTOCOL_OFFSET, BIG_ENDIAN) & 0xFFFF,
                    packet);

            case LinkType.LINUX_SLL:
                if (limit - offset < LinuxSllDescriptor.HEADER_LENGTH)
                {
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
                return etherType(
                    buffer,
                    offset + LinuxSllDescriptor.HEADER_LENGTH,
                    limit,
                    buffer.getShort(offset + LinuxSllDescriptor.PROTOCOL_OFFSET, BIG_ENDIAN) & 0xFFFF,
                    packet);

            case LinkType.RAW:
            case LinkType.RAW_BSD_12:
            case LinkType.RAW_BSD_14:
                return ipAt(offset, ANY_IP_VERSION);

            case LinkType.IPV4:
                return ipAt(offset, Ipv4Flyweight.VERSION);

            case LinkType.IPV6:
                return ipAt(offset, Ipv6Flyweight.VERSION);

            case LinkType.NULL:
            case LinkType.LOOP:
                return loopback(buffer, offset, limit, linkType == LinkType.NULL);

            default:
                // the other link types in a method of their own keep this one below the size up to which C2 inlines
                // a hot method (FreqInlineSize, 325 bytes of bytecode)
                return otherLinkLayer(buffer, offset, limit, linkType, packet);
        }
    }

    private int otherLinkLayer(
        final DirectBuffer buffer, final int offset, final int limit, final int linkType, final DecodedPacket packet)
    {
        switch (linkType)
        {
            case LinkType.PPP:
            case LinkType.PPP_HDLC:
                return ppp(buffer, offset, limit, packet);

            case LinkType.C_HDLC:
                return ciscoHdlc(buffer, offset, limit, packet);

            case LinkType.FRELAY:
                return frameRelay(buffer, offset, limit, packet);

            case LinkType.NFLOG:
                return nflog(buffer, offset, limit);

            case LinkType.PKTAP:
            case LinkType.PKTAP_DARWIN:
                return pktap(buffer, offset, limit, packet);

            default:
                return ~FrameOutcome.UNSUPPORTED_LINK_TYPE.ordinal();
        }
    }

    private int ipAt(final int ipOffset, final int expectedVersion)
    {
        linkIpVersion = expectedVersion;
        return ipOffset;
    }

    private static int availableLength(final DirectBuffer buffer, final int offset, final int capturedLength)
    {
        if (capturedLength <= 0)
        {
            return 0;
        }

        // a frame that claims more than its buffer holds is read only as far as the buffer goes
        return Math.max(0, Math.min(capturedLength, buffer.capacity() - offset));
    }

    private int etherType(
        final DirectBuffer buffer,
        final int payloadOffset,
        final int limit,
        final int firstEtherType,
        final DecodedPacket packet)
    {
        int etherType = firstEtherType;
        int position = payloadOffset;

        // each tag consumes 4 bytes, so the walk ends at the end of the frame whatever the depth
        while (EtherType.isVlanTag(etherType))
        {
            if (limit - position < VlanTagDescriptor.LENGTH)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            // TCI and the next EtherType in one read: one bounds check instead of two
            final int tag = buffer.getInt(position + VlanTagDescriptor.TCI_OFFSET, BIG_ENDIAN);
            if (packet.vlanId == NO_VLAN)
            {
                packet.vlanId = (tag >>> 16) & VlanTagDescriptor.VLAN_ID_MASK;
            }
            etherType = tag & 0xFFFF;
            position += VlanTagDescriptor.LENGTH;
        }

        switch (etherType)
        {
            case EtherType.IPV4:
                return ipAt(position, Ipv4Flyweight.VERSION);

            case EtherType.IPV6:
                return ipAt(position, Ipv6Flyweight.VERSION);

            case EtherType.MPLS_UNICAST:
            case EtherType.MPLS_MULTICAST:
                return mpls(buffer, position, limit);

            case EtherType.PPPOE_SESSION:
                return pppoeSession(buffer, position, limit);

            default:
                // 802.3 lengths (LLC: STP, CDP, ...), ARP, LLDP, PPPoE discovery and the rest
                return ~FrameOutcome.NON_IP.ordinal();
        }
    }

    private int mpls(final DirectBuffer buffer, final int stackOffset, final int limit)
    {
        int position = stackOffset;
        boolean bottomOfStack = false;
        while (!bottomOfStack)
        {
            if (limit - position < MplsLabelDescriptor.LENGTH)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            bottomOfStack = (buffer.getByte(position + MplsLabelDescriptor.BOTTOM_OF_STACK_OFFSET) &
                MplsLabelDescriptor.BOTTOM_OF_STACK_MASK) != 0;
            position += MplsLabelDescriptor.LENGTH;
        }

        if (position < limit)
        {
            final int version = (buffer.getByte(position) >> 4) & 0x0F;
            if (version != Ipv4Flyweight.VERSION && version != Ipv6Flyweight.VERSION)
            {
                // a pseudowire control word (first nibble 0), an Ethernet pseudowire, ...
                return ~FrameOutcome.NON_IP.ordinal();
            }
        }

        return ipAt(position, ANY_IP_VERSION);
    }

    private int pppoeSession(final DirectBuffer buffer, final int headerOffset, final int limit)
    {
        if (limit - headerOffset < PppoeDescriptor.HEADER_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        return pppPayload(
            buffer,
            headerOffset + PppoeDescriptor.HEADER_LENGTH,
            limit,
            buffer.getShort(headerOffset + PppoeDescriptor.PPP_PROTOCOL_OFFSET, BIG_ENDIAN) & 0xFFFF);
    }

    private int ppp(final DirectBuffer buffer, final int offset, final int limit, final DecodedPacket packet)
    {
        // the shortest frame with a payload: a compressed protocol and one byte
        if (limit - offset < PppDescriptor.ADDRESS_CONTROL_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        final int address = buffer.getByte(offset) & 0xFF;
        if (address == CiscoHdlcDescriptor.ADDRESS_UNICAST || address == CiscoHdlcDescriptor.ADDRESS_BROADCAST)
        {
            // Cisco's point-to-point framing (RFC 1547, 4.3.1): no PPP protocol can start with these bytes
            return ciscoHdlc(buffer, offset, limit, packet);
        }

        int position = offset;
        if ((buffer.getByte(offset + 1) & 0xFF) == PppDescriptor.CONTROL_UNNUMBERED &&
            (address == PppDescriptor.ADDRESS_ALL_STATIONS ||
            address == PppDescriptor.PPPD_IN || address == PppDescriptor.PPPD_OUT))
        {
            position += PppDescriptor.ADDRESS_CONTROL_LENGTH;
            if (position >= limit)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
        }

        final int protocol;
        final int protocolStart = buffer.getByte(position) & 0xFF;
        if ((protocolStart & PppDescriptor.COMPRESSED_PROTOCOL_MASK) != 0)
        {
            protocol = protocolStart;
            position++;
        }
        else
        {
            if (limit - position < PppDescriptor.PROTOCOL_LENGTH)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            protocol = buffer.getShort(position, BIG_ENDIAN) & 0xFFFF;
            position += PppDescriptor.PROTOCOL_LENGTH;
        }

        return pppPayload(buffer, position, limit, protocol);
    }

    private int pppPayload(final DirectBuffer buffer, final int position, final int limit, final int protocol)
    {
        switch (protocol)
        {
            case PppDescriptor.PROTOCOL_IPV4:
                return ipAt(position, Ipv4Flyweight.VERSION);

            case PppDescriptor.PROTOCOL_IPV6:
                return ipAt(position, Ipv6Flyweight.VERSION);

            case PppDescriptor.PROTOCOL_MPLS_UNICAST:
            case PppDescriptor.PROTOCOL_MPLS_MULTICAST:
                return mpls(buffer, position, limit);

            default:
                // LCP, IPCP, CHAP, multilink fragments, Van Jacobson compressed TCP/IP, ...
                return ~FrameOutcome.NON_IP.ordinal();
        }
    }

    private int ciscoHdlc(final DirectBuffer buffer, final int offset, final int limit, final DecodedPacket packet)
    {
        if (limit - offset < CiscoHdlcDescriptor.HEADER_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        return etherType(
            buffer,
            offset + CiscoHdlcDescriptor.HEADER_LENGTH,
            limit,
            buffer.getShort(offset + CiscoHdlcDescriptor.PROTOCOL_OFFSET, BIG_ENDIAN) & 0xFFFF,
            packet);
    }

    private int frameRelay(final DirectBuffer buffer, final int offset, final int limit, final DecodedPacket packet)
    {
        if (limit - offset < FrameRelayDescriptor.MIN_ADDRESS_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        final int first = buffer.getByte(offset) & 0xFF;
        final int second = buffer.getByte(offset + 1) & 0xFF;
        if ((first & FrameRelayDescriptor.EXTENDED_ADDRESS_MASK) != 0)
        {
            // a one-byte address does not exist: nothing tells where the payload starts
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        int dlci = FrameRelayDescriptor.dlciHigh(first, second);
        int position = offset + FrameRelayDescriptor.MIN_ADDRESS_LENGTH;
        if ((second & FrameRelayDescriptor.EXTENDED_ADDRESS_MASK) == 0)
        {
            // a 3- or 4-byte address: the DLCI goes on in the bytes that follow
            if (position >= limit)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            int last = buffer.getByte(position++) & 0xFF;
            if ((last & FrameRelayDescriptor.EXTENDED_ADDRESS_MASK) == 0)
            {
                if (position >= limit)
                {
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
                dlci = (dlci << 7) | (last >> 1);
                last = buffer.getByte(position++) & 0xFF;
                if ((last & FrameRelayDescriptor.EXTENDED_ADDRESS_MASK) == 0)
                {
                    // longer than the 4 bytes Q.922 allows
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
            }
            dlci = (dlci << 6) | (last >> 2);
        }

        if (position >= limit)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }
        if ((buffer.getByte(position) & 0xFF) != FrameRelayDescriptor.CONTROL_UNNUMBERED)
        {
            if (dlci == 0)
            {
                // the signalling channel (LMI, Q.933) never carries Cisco's encapsulation
                return ~FrameOutcome.NON_IP.ordinal();
            }
            if (limit - position < FrameRelayDescriptor.ETHER_TYPE_LENGTH)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            return etherType(
                buffer,
                position + FrameRelayDescriptor.ETHER_TYPE_LENGTH,
                limit,
                buffer.getShort(position, BIG_ENDIAN) & 0xFFFF,
                packet);
        }

        return nlpid(buffer, position + 1, limit, packet);
    }

    private int nlpid(final DirectBuffer buffer, final int offset, final int limit, final DecodedPacket packet)
    {
        int position = offset;
        if (position >= limit)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }
        int nlpid = buffer.getByte(position++) & 0xFF;
        if (nlpid == FrameRelayDescriptor.PAD)
        {
            if (position >= limit)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            nlpid = buffer.getByte(position++) & 0xFF;
        }

        switch (nlpid)
        {
            case FrameRelayDescriptor.NLPID_IPV4:
                return ipAt(position, Ipv4Flyweight.VERSION);

            case FrameRelayDescriptor.NLPID_IPV6:
                return ipAt(position, Ipv6Flyweight.VERSION);

            case FrameRelayDescriptor.NLPID_SNAP:
                if (limit - position < FrameRelayDescriptor.SNAP_LENGTH)
                {
                    return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
                }
                final int oui = ((buffer.getShort(position + FrameRelayDescriptor.SNAP_OUI_OFFSET, BIG_ENDIAN) &
                    0xFFFF) << 8) | (buffer.getByte(position + FrameRelayDescriptor.SNAP_OUI_OFFSET + 2) & 0xFF);
                if (oui != FrameRelayDescriptor.SNAP_OUI_ETHER_TYPE)
                {
                    // bridged frames (OUI 00-80-C2) and vendors' protocols
                    return ~FrameOutcome.NON_IP.ordinal();
                }
                return etherType(
                    buffer,
                    position + FrameRelayDescriptor.SNAP_LENGTH,
                    limit,
                    buffer.getShort(position + FrameRelayDescriptor.SNAP_PROTOCOL_OFFSET, BIG_ENDIAN) & 0xFFFF,
                    packet);

            default:
                // Q.933 signalling, OSI (CLNP, ES-IS, IS-IS), multilink, PPP, ...
                return ~FrameOutcome.NON_IP.ordinal();
        }
    }

    private int nflog(final DirectBuffer buffer, final int offset, final int limit)
    {
        if (limit - offset < NflogDescriptor.HEADER_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }
        if ((buffer.getByte(offset + NflogDescriptor.VERSION_OFFSET) & 0xFF) != NflogDescriptor.VERSION)
        {
            // no other version exists: the TLVs cannot be trusted to follow
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        final int ipVersion;
        switch (buffer.getByte(offset + NflogDescriptor.FAMILY_OFFSET) & 0xFF)
        {
            case NflogDescriptor.FAMILY_IPV4:
                ipVersion = Ipv4Flyweight.VERSION;
                break;

            case NflogDescriptor.FAMILY_IPV6:
                ipVersion = Ipv6Flyweight.VERSION;
                break;

            default:
                // bridge, ARP and netdev families log frames that are not IP packets
                return ~FrameOutcome.NON_IP.ordinal();
        }

        int position = offset + NflogDescriptor.HEADER_LENGTH;
        final ByteOrder byteOrder = limit - position >= NflogDescriptor.TLV_HEADER_LENGTH &&
            buffer.getByte(position + NflogDescriptor.TLV_TYPE_OFFSET) == 0 ? BIG_ENDIAN : LITTLE_ENDIAN;

        // every TLV moves on by at least its 4-byte header, so the walk ends at the end of the frame
        while (limit - position >= NflogDescriptor.TLV_HEADER_LENGTH)
        {
            final int tlvLength = buffer.getShort(position + NflogDescriptor.TLV_LENGTH_OFFSET, byteOrder) & 0xFFFF;
            if (tlvLength < NflogDescriptor.TLV_HEADER_LENGTH)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            if ((buffer.getShort(position + NflogDescriptor.TLV_TYPE_OFFSET, byteOrder) & 0xFFFF) ==
                NflogDescriptor.TYPE_PAYLOAD)
            {
                // the snap length may cut the payload: only what follows the TLV is out of bounds
                ipLimit = tlvLength < limit - position ? position + tlvLength : limit;
                return ipAt(position + NflogDescriptor.TLV_HEADER_LENGTH, ipVersion);
            }

            final int paddedLength = NflogDescriptor.paddedLength(tlvLength);
            if (paddedLength > limit - position)
            {
                return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
            }
            position += paddedLength;
        }

        // a record without payload (a log rule copying no bytes) is whole; a few bytes more are a cut TLV header
        return position == limit ? ~FrameOutcome.NON_IP.ordinal() : ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
    }

    private int pktap(final DirectBuffer buffer, final int offset, final int limit, final DecodedPacket packet)
    {
        if (limit - offset < PktapDescriptor.MIN_HEADER_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        final int headerLength = buffer.getInt(offset + PktapDescriptor.HEADER_LENGTH_OFFSET, LITTLE_ENDIAN);
        if (headerLength < PktapDescriptor.MIN_HEADER_LENGTH || headerLength > limit - offset)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }
        if (buffer.getInt(offset + PktapDescriptor.RECORD_TYPE_OFFSET, LITTLE_ENDIAN) !=
            PktapDescriptor.RECORD_TYPE_PACKET)
        {
            // a record with no packet after the header
            return ~FrameOutcome.NON_IP.ordinal();
        }

        final int innerLinkType = buffer.getInt(offset + PktapDescriptor.DLT_OFFSET, LITTLE_ENDIAN);
        if (innerLinkType == LinkType.PKTAP || innerLinkType == LinkType.PKTAP_DARWIN)
        {
            // PKTAP inside PKTAP is not a capture anyone writes: refusing it bounds the recursion at one level
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        return linkLayer(buffer, offset + headerLength, limit, innerLinkType, packet);
    }

    private int loopback(final DirectBuffer buffer, final int offset, final int limit, final boolean hostByteOrder)
    {
        if (limit - offset < LoopbackDescriptor.HEADER_LENGTH)
        {
            return ~FrameOutcome.TRUNCATED_LINK_HEADER.ordinal();
        }

        int family;
        if (hostByteOrder)
        {
            family = buffer.getInt(offset + LoopbackDescriptor.FAMILY_OFFSET, LITTLE_ENDIAN);
            if ((family & LoopbackDescriptor.OTHER_BYTE_ORDER_MASK) != 0)
            {
                family = Integer.reverseBytes(family);
            }
        }
        else
        {
            family = buffer.getInt(offset + LoopbackDescriptor.FAMILY_OFFSET, BIG_ENDIAN);
        }

        final int position = offset + LoopbackDescriptor.HEADER_LENGTH;
        switch (family)
        {
            case LoopbackDescriptor.AF_INET:
                return ipAt(position, Ipv4Flyweight.VERSION);

            case LoopbackDescriptor.AF_INET6_LINUX:
            case LoopbackDescriptor.AF_INET6_NETBSD_OPENBSD:
            case LoopbackDescriptor.AF_INET6_FREEBSD:
            case LoopbackDescriptor.AF_INET6_DARWIN:
                return ipAt(position, Ipv6Flyweight.VERSION);

            default:
                return ~FrameOutcome.NON_IP.ordinal();
        }
    }

    private FrameOutcome ip(
        final DirectBuffer buffer,
        final int frameOffset,
        final int ipOffset,
        final int limit,
        final int wireLength,
        final DecodedPacket packet)
    {
        if (ipOffset >= limit)
        {
            return FrameOutcome.TRUNCATED_IP_HEADER;
        }

        final int version = (buffer.getByte(ipOffset) >> 4) & 0x0F;
        if (linkIpVersion != ANY_IP_VERSION && version != linkIpVersion)
        {
            return FrameOutcome.BAD_IP_VERSION;
        }

        // bytes of the frame the IP packet would have if its header cannot give its length
        final int fallbackLength = Math.max(wireLength, limit - frameOffset) - (ipOffset - frameOffset);
        if (version == Ipv4Flyweight.VERSION)
        {
            return ipv4(buffer, ipOffset, limit, fallbackLength, packet);
        }
        if (version == Ipv6Flyweight.VERSION)
        {
            return ipv6(buffer, ipOffset, limit, fallbackLength, packet);
        }

        return FrameOutcome.BAD_IP_VERSION;
    }

    private FrameOutcome ipv4(
        final DirectBuffer buffer,
        final int ipOffset,
        final int limit,
        final int fallbackLength,
        final DecodedPacket packet)
    {
        final Ipv4Flyweight ipv4 = this.ipv4.wrap(buffer, ipOffset, limit - ipOffset);
        final int headerLength = ipv4.headerLength();
        if (headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return FrameOutcome.BAD_IP_HEADER_LENGTH;
        }
        if (!ipv4.isComplete())
        {
            return FrameOutcome.TRUNCATED_IP_HEADER;
        }

        final int firstWord = ipv4.firstWord();
        final int totalLength = Ipv4Flyweight.totalLength(firstWord);
        final int end;
        if (totalLength == 0)
        {
            // segmentation offload hands the capture one large packet whose total length is not filled in
            packet.ipBytes = fallbackLength;
            end = limit;
        }
        else if (totalLength < headerLength)
        {
            return FrameOutcome.BAD_IP_HEADER_LENGTH;
        }
        else
        {
            packet.ipBytes = totalLength;
            end = ipOffset + Math.min(limit - ipOffset, totalLength);
        }

        final int fragmentWord = ipv4.fragmentWord();
        final int fragmentOffset = Ipv4Flyweight.fragmentOffset(fragmentWord);
        final long addresses = ipv4.addresses();
        packet.ipVersion = Ipv4Flyweight.VERSION;
        packet.srcHi = DecodedPacket.IPV4_MAPPED_HI;
        packet.srcLo = DecodedPacket.ipv4MappedLo(Ipv4Flyweight.sourceAddress(addresses));
        packet.dstHi = DecodedPacket.IPV4_MAPPED_HI;
        packet.dstLo = DecodedPacket.ipv4MappedLo(Ipv4Flyweight.destinationAddress(addresses));
        packet.dscp = Ipv4Flyweight.dscp(firstWord);
        packet.fragment = fragmentOffset != 0 || Ipv4Flyweight.moreFragments(fragmentWord);

        if (fragmentOffset != 0)
        {
            // a later fragment carries the middle of the payload: no transport header, no AH
            packet.protocol = ipv4.protocol();
            packet.srcPort = NO_PORT;
            packet.dstPort = NO_PORT;
            packet.tcpFlags = 0;
            packet.tcpSequence = 0;
            return FrameOutcome.DECODED;
        }

        return transport(buffer, ipOffset + headerLength, end, ipv4.protocol(), false, packet);
    }

    private FrameOutcome ipv6(
        final DirectBuffer buffer,
        final int ipOffset,
        final int limit,
        final int fallbackLength,
        final DecodedPacket packet)
    {
        final Ipv6Flyweight ipv6 = this.ipv6.wrap(buffer, ipOffset, limit - ipOffset);
        if (!ipv6.isComplete())
        {
            return FrameOutcome.TRUNCATED_IP_HEADER;
        }

        final int secondWord = ipv6.secondWord();
        final int payloadLength = Ipv6Flyweight.payloadLength(secondWord);
        final int end;
        if (payloadLength == 0)
        {
            // jumbogram or BIG TCP: the length is elsewhere or nowhere
            packet.ipBytes = fallbackLength;
            end = limit;
        }
        else
        {
            packet.ipBytes = Ipv6Flyweight.HEADER_LENGTH + payloadLength;
            end = ipOffset + Math.min(limit - ipOffset, Ipv6Flyweight.HEADER_LENGTH + payloadLength);
        }

        packet.ipVersion = Ipv6Flyweight.VERSION;
        packet.srcHi = ipv6.sourceHi();
        packet.srcLo = ipv6.sourceLo();
        packet.dstHi = ipv6.destinationHi();
        packet.dstLo = ipv6.destinationLo();
        packet.dscp = Ipv6Flyweight.dscp(ipv6.firstWord());
        packet.fragment = false;

        return transport(
            buffer, ipOffset + Ipv6Flyweight.HEADER_LENGTH, end, Ipv6Flyweight.nextHeader(secondWord), true, packet);
    }

    private static FrameOutcome transport(
        final DirectBuffer buffer,
        final int payloadOffset,
        final int end,
        final int protocol,
        final boolean isIpv6,
        final DecodedPacket packet)
    {
        if (isSkippedHeader(protocol, isIpv6))
        {
            return extensionHeaders(buffer, payloadOffset, end, protocol, isIpv6, packet);
        }

        return ports(buffer, payloadOffset, end, protocol, packet);
    }

    private static FrameOutcome extensionHeaders(
        final DirectBuffer buffer,
        final int firstHeaderOffset,
        final int end,
        final int firstHeader,
        final boolean isIpv6,
        final DecodedPacket packet)
    {
        int protocol = firstHeader;
        int position = firstHeaderOffset;
        int chainLength = 0;

        do
        {
            if (++chainLength > ExtensionHeaderDescriptor.MAX_CHAIN_LENGTH ||
                end - position < ExtensionHeaderDescriptor.MIN_LENGTH)
            {
                return FrameOutcome.TRUNCATED_EXTENSION_HEADER;
            }

            final int nextHeader = buffer.getByte(position + ExtensionHeaderDescriptor.NEXT_HEADER_OFFSET) & 0xFF;
            final int lengthField = buffer.getByte(position + ExtensionHeaderDescriptor.LENGTH_OFFSET) & 0xFF;
            final int headerLength;
            if (protocol == IpProtocol.AH)
            {
                headerLength = ExtensionHeaderDescriptor.authenticationHeaderLength(lengthField);
            }
            else if (protocol == IpProtocol.FRAGMENT)
            {
                if (end - position < ExtensionHeaderDescriptor.FRAGMENT_HEADER_LENGTH)
                {
                    return FrameOutcome.TRUNCATED_EXTENSION_HEADER;
                }

                final int fragmentField = buffer.getShort(
                    position + ExtensionHeaderDescriptor.FRAGMENT_OFFSET_FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
                final boolean isLaterFragment = (fragmentField & ExtensionHeaderDescriptor.FRAGMENT_OFFSET_MASK) != 0;
                // offset 0 without M is an atomic fragment (RFC 6946): not a fragment at all
                packet.fragment |= isLaterFragment ||
                    (fragmentField & ExtensionHeaderDescriptor.MORE_FRAGMENTS_MASK) != 0;
                if (isLaterFragment)
                {
                    packet.protocol = nextHeader;
                    packet.srcPort = NO_PORT;
                    packet.dstPort = NO_PORT;
                    packet.tcpFlags = 0;
                    packet.tcpSequence = 0;
                    return FrameOutcome.DECODED;
                }
                headerLength = ExtensionHeaderDescriptor.FRAGMENT_HEADER_LENGTH;
            }
            else
            {
                headerLength = ExtensionHeaderDescriptor.optionsHeaderLength(lengthField);
            }

            if (end - position < headerLength)
            {
                return FrameOutcome.TRUNCATED_EXTENSION_HEADER;
            }
            position += headerLength;
            protocol = nextHeader;
        }
        while (isSkippedHeader(protocol, isIpv6));

        return ports(buffer, position, end, protocol, packet);
    }

    private static FrameOutcome ports(
        final DirectBuffer buffer,
        final int transportOffset,
        final int end,
        final int protocol,
        final DecodedPacket packet)
    {
        packet.protocol = protocol;
        if (IpProtocol.hasPorts(protocol))
        {
            if (end - transportOffset < TransportDescriptor.PORTS_LENGTH)
            {
                return FrameOutcome.TRUNCATED_TRANSPORT_HEADER;
            }
            // both ports in one read: one bounds check instead of two
            final int ports = buffer.getInt(transportOffset + TransportDescriptor.SOURCE_PORT_OFFSET, BIG_ENDIAN);
            packet.srcPort = ports >>> 16;
            packet.dstPort = ports & 0xFFFF;
            // the flags tell who opened, accepted or refused a connection; a header cut before them still has ports
            if (IpProtocol.TCP == protocol && end - transportOffset >= TransportDescriptor.TCP_FLAGS_LENGTH)
            {
                packet.tcpSequence =
                    buffer.getInt(transportOffset + TransportDescriptor.TCP_SEQUENCE_OFFSET, BIG_ENDIAN);
                packet.tcpFlags = buffer.getByte(transportOffset + TransportDescriptor.TCP_FLAGS_OFFSET) & 0xFF;
            }
            else
            {
                packet.tcpFlags = 0;
                packet.tcpSequence = 0;
            }
        }
        else
        {
            packet.srcPort = NO_PORT;
            packet.dstPort = NO_PORT;
            packet.tcpFlags = 0;
            packet.tcpSequence = 0;
        }

        return FrameOutcome.DECODED;
    }

    private static boolean isSkippedHeader(final int protocol, final boolean isIpv6)
    {
        switch (protocol)
        {
            case IpProtocol.AH:
                return true;

            case IpProtocol.HOP_BY_HOP:
            case IpProtocol.ROUTING:
            case IpProtocol.FRAGMENT:
            case IpProtocol.DESTINATION_OPTIONS:
                return isIpv6;

            default:
                // ESP, no next header and every transport end the chain
                return false;
        }
    }
}
