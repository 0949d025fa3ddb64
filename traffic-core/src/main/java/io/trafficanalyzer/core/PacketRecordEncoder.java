package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.PacketRecordDescriptor;
import org.agrona.MutableDirectBuffer;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;

/**
 * Writes a packet record ({@link PacketRecordDescriptor}) in place, in a claimed ring-buffer slot or spill space.
 */
final class PacketRecordEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;

    PacketRecordEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    PacketRecordEncoder bucketStartSecond(final long value)
    {
        buffer.putLong(offset + BUCKET_START_OFFSET, value);
        return this;
    }

    PacketRecordEncoder host(final long hi, final long lo)
    {
        buffer.putLong(offset + HOST_HI_OFFSET, hi);
        buffer.putLong(offset + HOST_LO_OFFSET, lo);
        return this;
    }

    PacketRecordEncoder peer(final long hi, final long lo)
    {
        buffer.putLong(offset + PEER_HI_OFFSET, hi);
        buffer.putLong(offset + PEER_LO_OFFSET, lo);
        return this;
    }

    PacketRecordEncoder packets(final int value)
    {
        buffer.putInt(offset + PACKETS_OFFSET, value);
        return this;
    }

    PacketRecordEncoder bytes(final long value)
    {
        buffer.putLong(offset + BYTES_OFFSET, value);
        return this;
    }

    PacketRecordEncoder servicePort(final int value)
    {
        buffer.putInt(offset + SERVICE_PORT_OFFSET, value);
        return this;
    }

    PacketRecordEncoder vlanId(final int value)
    {
        buffer.putInt(offset + VLAN_ID_OFFSET, value);
        return this;
    }

    PacketRecordEncoder protocol(final int value)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)value);
        return this;
    }

    PacketRecordEncoder flags(final int value)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)value);
        return this;
    }

    PacketRecordEncoder ipVersion(final int value)
    {
        buffer.putByte(offset + IP_VERSION_OFFSET, (byte)value);
        return this;
    }

    PacketRecordEncoder dscp(final int value)
    {
        buffer.putByte(offset + DSCP_OFFSET, (byte)value);
        return this;
    }
}
