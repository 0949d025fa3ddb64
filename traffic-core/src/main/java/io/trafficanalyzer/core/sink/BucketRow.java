package io.trafficanalyzer.core.sink;

import org.agrona.DirectBuffer;

import java.util.List;

import static io.trafficanalyzer.core.sink.BucketRowDescriptor.*;

/**
 * A reusable {@link StatsRow} flyweight over one row record ({@link #LENGTH} bytes: eleven 64-bit words in native
 * byte order, the key first, then the measures): a row of a {@link SealedBucket}, or one a {@link RowWriter} hands
 * over.
 */
public final class BucketRow implements StatsRow
{
    /** Length of a row record in bytes. */
    public static final int LENGTH = BucketRowDescriptor.LENGTH;

    private List<String> views;
    private DirectBuffer buffer;
    private int offset;

    /**
     * Point the flyweight at a row of a sealed bucket.
     *
     * @param bucket the bucket.
     * @param row    the row index, 0 to {@link SealedBucket#rowCount()} - 1.
     * @return this for a fluent API.
     */
    public BucketRow wrap(final SealedBucket bucket, final int row)
    {
        return wrap(bucket.views(), bucket.rows(), row * LENGTH);
    }

    /**
     * Point the flyweight at a row record.
     *
     * @param views  the view names in configuration order, which the record's view index indexes.
     * @param buffer holding the record.
     * @param offset of the record.
     * @return this for a fluent API.
     */
    public BucketRow wrap(final List<String> views, final DirectBuffer buffer, final int offset)
    {
        this.views = views;
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Index of the row's view in the configured views.
     *
     * @return the view index.
     */
    public int viewIndex()
    {
        return BucketRowDescriptor.viewIndex(buffer.getLong(offset + VIEW_FLAGS_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public String view()
    {
        return views.get(viewIndex());
    }

    /**
     * {@inheritDoc}
     */
    public long hostHi()
    {
        return buffer.getLong(offset + HOST_HI_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long hostLo()
    {
        return buffer.getLong(offset + HOST_LO_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long peerHi()
    {
        return buffer.getLong(offset + PEER_HI_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long peerLo()
    {
        return buffer.getLong(offset + PEER_LO_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public int protocol()
    {
        return BucketRowDescriptor.protocol(buffer.getLong(offset + PROTOCOL_PORT_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public int port()
    {
        return BucketRowDescriptor.port(buffer.getLong(offset + PROTOCOL_PORT_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public boolean served()
    {
        return (buffer.getLong(offset + VIEW_FLAGS_OFFSET) & SERVED_FLAG) != 0;
    }

    /**
     * {@inheritDoc}
     */
    public boolean refused()
    {
        return (buffer.getLong(offset + VIEW_FLAGS_OFFSET) & REFUSED_FLAG) != 0;
    }

    /**
     * {@inheritDoc}
     */
    public long key()
    {
        return buffer.getLong(offset + KEY_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public boolean isFolded()
    {
        return (buffer.getLong(offset + VIEW_FLAGS_OFFSET) & FOLDED_FLAG) != 0;
    }

    /**
     * {@inheritDoc}
     */
    public long inBytes()
    {
        return buffer.getLong(offset + IN_BYTES_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long inPackets()
    {
        return buffer.getLong(offset + IN_PACKETS_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long outBytes()
    {
        return buffer.getLong(offset + OUT_BYTES_OFFSET);
    }

    /**
     * {@inheritDoc}
     */
    public long outPackets()
    {
        return buffer.getLong(offset + OUT_PACKETS_OFFSET);
    }

    /**
     * The row's fields, for logs and test messages.
     *
     * @return the text.
     */
    public String toString()
    {
        return view() + "{host=" + Long.toHexString(hostHi()) + ':' + Long.toHexString(hostLo()) +
            ", peer=" + Long.toHexString(peerHi()) + ':' + Long.toHexString(peerLo()) +
            ", protocol=" + protocol() + ", port=" + port() + ", served=" + served() + ", refused=" + refused() +
            ", key=" + key() +
            ", folded=" + isFolded() + ", in=" + inBytes() + '/' + inPackets() +
            ", out=" + outBytes() + '/' + outPackets() + '}';
    }
}
