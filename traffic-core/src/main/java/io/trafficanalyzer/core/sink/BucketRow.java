package io.trafficanalyzer.core.sink;

/**
 * A reusable {@link StatsRow} flyweight over one row of a {@link SealedBucket}.
 */
public final class BucketRow implements StatsRow
{
    private SealedBucket bucket;
    private int row;

    /**
     * Point the flyweight at a row.
     *
     * @param bucket the bucket.
     * @param row    the row index, 0 to {@link SealedBucket#rowCount()} - 1.
     * @return this for a fluent API.
     */
    public BucketRow wrap(final SealedBucket bucket, final int row)
    {
        this.bucket = bucket;
        this.row = row;
        return this;
    }

    /**
     * {@inheritDoc}
     */
    public String view()
    {
        return bucket.view(row);
    }

    /**
     * {@inheritDoc}
     */
    public long hostHi()
    {
        return bucket.hostHi(row);
    }

    /**
     * {@inheritDoc}
     */
    public long hostLo()
    {
        return bucket.hostLo(row);
    }

    /**
     * {@inheritDoc}
     */
    public long peerHi()
    {
        return bucket.peerHi(row);
    }

    /**
     * {@inheritDoc}
     */
    public long peerLo()
    {
        return bucket.peerLo(row);
    }

    /**
     * {@inheritDoc}
     */
    public int protocol()
    {
        return bucket.protocol(row);
    }

    /**
     * {@inheritDoc}
     */
    public int port()
    {
        return bucket.port(row);
    }

    /**
     * {@inheritDoc}
     */
    public boolean served()
    {
        return bucket.served(row);
    }

    /**
     * {@inheritDoc}
     */
    public long key()
    {
        return bucket.key(row);
    }

    /**
     * {@inheritDoc}
     */
    public boolean isFolded()
    {
        return bucket.isFolded(row);
    }

    /**
     * {@inheritDoc}
     */
    public long inBytes()
    {
        return bucket.inBytes(row);
    }

    /**
     * {@inheritDoc}
     */
    public long inPackets()
    {
        return bucket.inPackets(row);
    }

    /**
     * {@inheritDoc}
     */
    public long outBytes()
    {
        return bucket.outBytes(row);
    }

    /**
     * {@inheritDoc}
     */
    public long outPackets()
    {
        return bucket.outPackets(row);
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
            ", protocol=" + protocol() + ", port=" + port() + ", served=" + served() + ", key=" + key() +
            ", folded=" + isFolded() + ", in=" + inBytes() + '/' + inPackets() +
            ", out=" + outBytes() + '/' + outPackets() + '}';
    }
}
