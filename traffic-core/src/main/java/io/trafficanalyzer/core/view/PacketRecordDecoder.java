package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.codec.DecodedPacket;
import org.agrona.DirectBuffer;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;
import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * Read-only flyweight over one packet record as an {@link Aggregator} sees it: the side of IP packets that
 * concerns one local host of the aggregator's shard, already assigned to its time bucket. A record stands for
 * {@link #packets()} packets that agree on every field here but the byte count, {@link #bytes()} in total: the
 * capture agent merges such packets before they cross to the shard, so count both, never 1 per record.
 * <p>
 * A packet between two local hosts counts in two records, {@link #isOutbound()} for its source and inbound for its
 * destination; transit, non-IP and malformed frames give none. Valid only during
 * {@link Aggregator#onPacket(PacketRecordDecoder)}.
 */
public final class PacketRecordDecoder
{
    private byte[] array;
    private long address;

    /**
     * Point the flyweight at a record; its length is checked here, once, so the accessors read without checks.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @return this for a fluent API.
     * @throws IndexOutOfBoundsException when the buffer does not hold a whole record at the offset.
     */
    public PacketRecordDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        buffer.boundsCheck(offset, PACKET_LENGTH);
        this.array = buffer.byteArray();
        this.address = buffer.addressOffset() + offset;
        return this;
    }

    /**
     * Start of the packet's bucket, seconds since the Unix epoch.
     *
     * @return the bucket start.
     */
    public long bucketStartSecond()
    {
        return UNSAFE.getLong(array, address + BUCKET_START_OFFSET);
    }

    /**
     * Local host address, upper 64 bits.
     *
     * @return the bits.
     */
    public long hostHi()
    {
        return UNSAFE.getLong(array, address + HOST_HI_OFFSET);
    }

    /**
     * Local host address, lower 64 bits.
     *
     * @return the bits.
     */
    public long hostLo()
    {
        return UNSAFE.getLong(array, address + HOST_LO_OFFSET);
    }

    /**
     * The other end of the packet, upper 64 bits.
     *
     * @return the bits.
     */
    public long peerHi()
    {
        return UNSAFE.getLong(array, address + PEER_HI_OFFSET);
    }

    /**
     * The other end of the packet, lower 64 bits.
     *
     * @return the bits.
     */
    public long peerLo()
    {
        return UNSAFE.getLong(array, address + PEER_LO_OFFSET);
    }

    /**
     * Packets this record stands for: 1, or more when the capture agent merged packets of the same key.
     *
     * @return the packet count, at least 1.
     */
    public int packets()
    {
        return UNSAFE.getInt(array, address + PACKETS_OFFSET);
    }

    /**
     * IP bytes of the record's packets together (the decoder's byte count contract).
     *
     * @return the byte count.
     */
    public long bytes()
    {
        return UNSAFE.getLong(array, address + BYTES_OFFSET);
    }

    /**
     * Whether the packet carries TCP/UDP ports.
     *
     * @return true when {@link #servicePort()} is a port.
     */
    public boolean hasPort()
    {
        return UNSAFE.getInt(array, address + SERVICE_PORT_OFFSET) != DecodedPacket.NO_PORT;
    }

    /**
     * Service port: the port of the side that serves the conversation (see {@code docs/decoding.md}).
     *
     * @return 0-65535, or {@link DecodedPacket#NO_PORT}.
     */
    public int servicePort()
    {
        return UNSAFE.getInt(array, address + SERVICE_PORT_OFFSET);
    }

    /**
     * Whether the local host is the side of the service port.
     *
     * @return true for the server side.
     */
    public boolean isServed()
    {
        return (UNSAFE.getByte(array, address + FLAGS_OFFSET) & SERVED_FLAG) != 0;
    }

    /**
     * Whether the local host refused a connection to its service port: set on served records only.
     *
     * @return true for the refusing side.
     */
    public boolean isRefused()
    {
        return (UNSAFE.getByte(array, address + FLAGS_OFFSET) & REFUSED_FLAG) != 0;
    }

    /**
     * Whether the local host sent the packet.
     *
     * @return true for OUT, false for IN.
     */
    public boolean isOutbound()
    {
        return (UNSAFE.getByte(array, address + FLAGS_OFFSET) & OUTBOUND_FLAG) != 0;
    }

    /**
     * Whether the packet is an IP fragment.
     *
     * @return true for fragments.
     */
    public boolean isFragment()
    {
        return (UNSAFE.getByte(array, address + FLAGS_OFFSET) & FRAGMENT_FLAG) != 0;
    }

    /**
     * IP protocol number.
     *
     * @return 0-255.
     */
    public int protocol()
    {
        return UNSAFE.getByte(array, address + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * IP version.
     *
     * @return 4 or 6.
     */
    public int ipVersion()
    {
        return UNSAFE.getByte(array, address + IP_VERSION_OFFSET) & 0xFF;
    }

    /**
     * DSCP value.
     *
     * @return 0-63.
     */
    public int dscp()
    {
        return UNSAFE.getByte(array, address + DSCP_OFFSET) & 0xFF;
    }

    /**
     * Outermost VLAN id.
     *
     * @return 0-4095, or {@link DecodedPacket#NO_VLAN}.
     */
    public int vlanId()
    {
        return UNSAFE.getInt(array, address + VLAN_ID_OFFSET);
    }
}
