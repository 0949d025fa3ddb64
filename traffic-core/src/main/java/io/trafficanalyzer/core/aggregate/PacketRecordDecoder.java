package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.codec.DecodedPacket;
import org.agrona.DirectBuffer;

import static io.trafficanalyzer.core.aggregate.PacketRecordDescriptor.*;

/**
 * Read-only flyweight over one packet record as an {@link Aggregator} sees it: the side of one IP packet that
 * concerns one local host of the aggregator's shard, already assigned to its time bucket.
 * <p>
 * A packet between two local hosts gives two records, {@link #isOutbound()} for its source and inbound for its
 * destination; transit, non-IP and malformed frames give none. Valid only during
 * {@link Aggregator#onPacket(PacketRecordDecoder)}.
 */
public final class PacketRecordDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * Point the flyweight at a record.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @return this for a fluent API.
     */
    public PacketRecordDecoder wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Start of the packet's bucket, seconds since the Unix epoch.
     *
     * @return the bucket start.
     */
    public long bucketStartSecond()
    {
        return buffer.getLong(offset + BUCKET_START_OFFSET);
    }

    /**
     * Local host address, upper 64 bits.
     *
     * @return the bits.
     */
    public long hostHi()
    {
        return buffer.getLong(offset + HOST_HI_OFFSET);
    }

    /**
     * Local host address, lower 64 bits.
     *
     * @return the bits.
     */
    public long hostLo()
    {
        return buffer.getLong(offset + HOST_LO_OFFSET);
    }

    /**
     * The other end of the packet, upper 64 bits.
     *
     * @return the bits.
     */
    public long peerHi()
    {
        return buffer.getLong(offset + PEER_HI_OFFSET);
    }

    /**
     * The other end of the packet, lower 64 bits.
     *
     * @return the bits.
     */
    public long peerLo()
    {
        return buffer.getLong(offset + PEER_LO_OFFSET);
    }

    /**
     * Bytes of the packet (the decoder's byte count contract).
     *
     * @return the byte count.
     */
    public int bytes()
    {
        return buffer.getInt(offset + BYTES_OFFSET);
    }

    /**
     * Whether the packet carries TCP/UDP ports.
     *
     * @return true when {@link #servicePort()} is a port.
     */
    public boolean hasPort()
    {
        return buffer.getInt(offset + SERVICE_PORT_OFFSET) != DecodedPacket.NO_PORT;
    }

    /**
     * Service port: the lower of the two ports.
     *
     * @return 0-65535, or {@link DecodedPacket#NO_PORT}.
     */
    public int servicePort()
    {
        return buffer.getInt(offset + SERVICE_PORT_OFFSET);
    }

    /**
     * Whether the local host is the side of the service port.
     *
     * @return true for the server side.
     */
    public boolean isServed()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & SERVED_FLAG) != 0;
    }

    /**
     * Whether the local host sent the packet.
     *
     * @return true for OUT, false for IN.
     */
    public boolean isOutbound()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & OUTBOUND_FLAG) != 0;
    }

    /**
     * Whether the packet is an IP fragment.
     *
     * @return true for fragments.
     */
    public boolean isFragment()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FRAGMENT_FLAG) != 0;
    }

    /**
     * IP protocol number.
     *
     * @return 0-255.
     */
    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * IP version.
     *
     * @return 4 or 6.
     */
    public int ipVersion()
    {
        return buffer.getByte(offset + IP_VERSION_OFFSET) & 0xFF;
    }

    /**
     * DSCP value.
     *
     * @return 0-63.
     */
    public int dscp()
    {
        return buffer.getByte(offset + DSCP_OFFSET) & 0xFF;
    }

    /**
     * Outermost VLAN id.
     *
     * @return 0-4095, or {@link DecodedPacket#NO_VLAN}.
     */
    public int vlanId()
    {
        return buffer.getInt(offset + VLAN_ID_OFFSET);
    }
}
