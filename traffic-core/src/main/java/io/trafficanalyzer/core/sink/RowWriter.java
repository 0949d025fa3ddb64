package io.trafficanalyzer.core.sink;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.trafficanalyzer.core.sink.BucketRowDescriptor.*;

/**
 * Writes the rows of one view of a bucket, one row record ({@link BucketRow}'s layout) at a time: {@link #begin()},
 * set the row's dimensions and measures, {@link #commit()}, which hands the record to the writer's
 * {@link RowHandler}. Dimensions not set are zero. Reused row after row without allocation.
 * <pre>{@code
 * rows.begin().host(hostHi, hostLo).protocol(6).port(443, true).in(1500, 1).out(60, 1).commit();
 * }</pre>
 */
public final class RowWriter
{
    /**
     * Receives each row a {@link RowWriter} commits.
     */
    @FunctionalInterface
    public interface RowHandler
    {
        /**
         * One committed row, in {@link BucketRow}'s layout; read it through a {@link BucketRow} or copy it.
         *
         * @param buffer holding the row, valid only during this call.
         * @param offset of the row in the buffer.
         * @param length of the row.
         */
        void onRow(DirectBuffer buffer, int offset, int length);
    }

    private final UnsafeBuffer row = new UnsafeBuffer(new byte[LENGTH]);
    private final RowHandler handler;
    private int viewIndex;
    private long rows;

    /**
     * A writer of one view's rows.
     *
     * @param viewIndex index of the view in the configured views, written into every row.
     * @param handler   receives each committed row.
     */
    public RowWriter(final int viewIndex, final RowHandler handler)
    {
        this.viewIndex = viewIndex;
        this.handler = handler;
    }

    RowWriter viewIndex(final int viewIndex)
    {
        this.viewIndex = viewIndex;
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
        row.setMemory(0, LENGTH, (byte)0);
        row.putLong(VIEW_FLAGS_OFFSET, viewIndex & 0xFFFF);
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
        row.putLong(HOST_HI_OFFSET, hi);
        row.putLong(HOST_LO_OFFSET, lo);
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
        row.putLong(PEER_HI_OFFSET, hi);
        row.putLong(PEER_LO_OFFSET, lo);
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
        final long protocolPort = row.getLong(PROTOCOL_PORT_OFFSET);
        row.putLong(PROTOCOL_PORT_OFFSET, protocolPort(protocol, BucketRowDescriptor.port(protocolPort)));
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
        final long protocolPort = row.getLong(PROTOCOL_PORT_OFFSET);
        row.putLong(PROTOCOL_PORT_OFFSET, protocolPort(BucketRowDescriptor.protocol(protocolPort), port));
        return flag(SERVED_FLAG, served);
    }

    /**
     * Whether the local host refused connections to the service port, with {@code served} set by {@link #port}.
     *
     * @param refused true for the refusing side.
     * @return this for a fluent API.
     */
    public RowWriter refused(final boolean refused)
    {
        return flag(REFUSED_FLAG, refused);
    }

    /**
     * A custom view's own key.
     *
     * @param key e.g. a VLAN id or DSCP value.
     * @return this for a fluent API.
     */
    public RowWriter key(final long key)
    {
        row.putLong(KEY_OFFSET, key);
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
        return flag(FOLDED_FLAG, folded);
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
        row.putLong(IN_BYTES_OFFSET, bytes);
        row.putLong(IN_PACKETS_OFFSET, packets);
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
        row.putLong(OUT_BYTES_OFFSET, bytes);
        row.putLong(OUT_PACKETS_OFFSET, packets);
        return this;
    }

    /**
     * Hand the row to the handler.
     */
    public void commit()
    {
        handler.onRow(row, 0, LENGTH);
        rows++;
    }

    private RowWriter flag(final long flag, final boolean set)
    {
        final long viewFlags = row.getLong(VIEW_FLAGS_OFFSET);
        row.putLong(VIEW_FLAGS_OFFSET, set ? viewFlags | flag : viewFlags & ~flag);
        return this;
    }
}
