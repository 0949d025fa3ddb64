package io.trafficanalyzer.core.aggregate;

import org.agrona.MutableDirectBuffer;

import static io.trafficanalyzer.core.aggregate.RowRecordDescriptor.*;

/**
 * Writes the rows of one view of a sealed bucket towards the flush agent: {@link #begin()}, set the row's
 * dimensions and measures, {@link #commit()}. Dimensions not set are zero. Never fails and never blocks: rows that
 * do not fit in the ring buffer wait in order in the shard's spill area.
 * <pre>{@code
 * rows.begin().host(hostHi, hostLo).protocol(6).port(443, true).in(1500, 1).out(60, 1).commit();
 * }</pre>
 */
public final class RowWriter
{
    private final RecordWriter writer;
    private final LiveCollector collector;
    private final int viewIndex;
    private long bucketStartSecond;
    private long hostHi;
    private long hostLo;
    private long peerHi;
    private long peerLo;
    private long key;
    private int protocol;
    private int port;
    private int flags;
    private long inBytes;
    private long inPackets;
    private long outBytes;
    private long outPackets;
    private long rows;

    RowWriter(final RecordWriter writer, final int viewIndex)
    {
        this.writer = writer;
        this.collector = null;
        this.viewIndex = viewIndex;
    }

    RowWriter(final LiveCollector collector, final int viewIndex)
    {
        this.writer = null;
        this.collector = collector;
        this.viewIndex = viewIndex;
    }

    RowWriter bucketStartSecond(final long bucketStartSecond)
    {
        this.bucketStartSecond = bucketStartSecond;
        return this;
    }

    /**
     * Rows committed through this writer so far.
     *
     * @return the count.
     */
    public long rowsWritten()
    {
        return rows;
    }

    /**
     * Start a row with every field zero.
     *
     * @return this for a fluent API.
     */
    public RowWriter begin()
    {
        hostHi = 0;
        hostLo = 0;
        peerHi = 0;
        peerLo = 0;
        key = 0;
        protocol = 0;
        port = 0;
        flags = 0;
        inBytes = 0;
        inPackets = 0;
        outBytes = 0;
        outPackets = 0;
        return this;
    }

    /**
     * The local host.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return this for a fluent API.
     */
    public RowWriter host(final long hi, final long lo)
    {
        hostHi = hi;
        hostLo = lo;
        return this;
    }

    /**
     * The remote peer.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return this for a fluent API.
     */
    public RowWriter peer(final long hi, final long lo)
    {
        peerHi = hi;
        peerLo = lo;
        return this;
    }

    /**
     * The IP protocol.
     *
     * @param protocol 0-255.
     * @return this for a fluent API.
     */
    public RowWriter protocol(final int protocol)
    {
        this.protocol = protocol;
        return this;
    }

    /**
     * The service port and whether the local host serves it.
     *
     * @param port   0-65535.
     * @param served true for the server side.
     * @return this for a fluent API.
     */
    public RowWriter port(final int port, final boolean served)
    {
        this.port = port;
        flags = served ? flags | SERVED_FLAG : flags & ~SERVED_FLAG;
        return this;
    }

    /**
     * A custom view's own key.
     *
     * @param key e.g. a VLAN id or DSCP value.
     * @return this for a fluent API.
     */
    public RowWriter key(final long key)
    {
        this.key = key;
        return this;
    }

    /**
     * Mark the row as a host's "other" row, holding keys folded past the key limit.
     *
     * @param folded true for a folded row.
     * @return this for a fluent API.
     */
    public RowWriter folded(final boolean folded)
    {
        flags = folded ? flags | FOLDED_FLAG : flags & ~FOLDED_FLAG;
        return this;
    }

    /**
     * What the local host received.
     *
     * @param bytes   the byte count.
     * @param packets the packet count.
     * @return this for a fluent API.
     */
    public RowWriter in(final long bytes, final long packets)
    {
        inBytes = bytes;
        inPackets = packets;
        return this;
    }

    /**
     * What the local host sent.
     *
     * @param bytes   the byte count.
     * @param packets the packet count.
     * @return this for a fluent API.
     */
    public RowWriter out(final long bytes, final long packets)
    {
        outBytes = bytes;
        outPackets = packets;
        return this;
    }

    /**
     * Write the row.
     */
    public void commit()
    {
        if (null == writer)
        {
            collector.onRow(
                viewIndex, bucketStartSecond, hostHi, hostLo, peerHi, peerLo, key, protocol, port, flags,
                inBytes, inPackets, outBytes, outPackets);
            rows++;
            return;
        }

        writer.claim(ROW_MSG_TYPE_ID, ROW_LENGTH);
        final MutableDirectBuffer buffer = writer.buffer();
        final int offset = writer.offset();
        buffer.putLong(offset + BUCKET_START_OFFSET, bucketStartSecond);
        buffer.putLong(offset + HOST_HI_OFFSET, hostHi);
        buffer.putLong(offset + HOST_LO_OFFSET, hostLo);
        buffer.putLong(offset + PEER_HI_OFFSET, peerHi);
        buffer.putLong(offset + PEER_LO_OFFSET, peerLo);
        buffer.putLong(offset + KEY_OFFSET, key);
        buffer.putLong(offset + IN_BYTES_OFFSET, inBytes);
        buffer.putLong(offset + IN_PACKETS_OFFSET, inPackets);
        buffer.putLong(offset + OUT_BYTES_OFFSET, outBytes);
        buffer.putLong(offset + OUT_PACKETS_OFFSET, outPackets);
        buffer.putShort(offset + VIEW_INDEX_OFFSET, (short)viewIndex);
        buffer.putChar(offset + PORT_OFFSET, (char)port);
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putShort(offset + FLAGS_OFFSET + 1, (short)0);
        writer.commit();
        rows++;
    }
}
