package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.capture.CaptureStream;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.List;

import static io.trafficanalyzer.core.sink.BucketRowDescriptor.*;

/**
 * One sealed bucket, merged across shards: immutable rows of every view in a deterministic order, its time range
 * and data-quality figures. Safe to share between threads and to keep.
 * <p>
 * Rows are kept as row records, one after the other, and read by index without allocation ({@link #hostHi(int)},
 * ...) or as a {@link StatsRow} through a {@link BucketRow} flyweight; {@link #deliverTo(StatsSink)} plays the batch
 * contract to a sink.
 * <p>
 * Rows are ordered by view (configuration order), host, protocol, port, refused, folded, served, peer and custom key
 * (false before true); addresses compare as unsigned 128-bit numbers. Replaying the same capture gives equal buckets.
 */
public final class SealedBucket implements StatsBatch
{
    private final String agent;
    private final CaptureStream stream;
    private final int part;
    private final long startEpochSecond;
    private final int widthSeconds;
    private final QualityFigures quality;
    private final List<String> views;
    private final int rowCount;
    private final byte[] rowBytes;
    private final UnsafeBuffer rows;

    SealedBucket(
        final String agent,
        final CaptureStream stream,
        final int part,
        final long startEpochSecond,
        final int widthSeconds,
        final QualityFigures quality,
        final List<String> views,
        final int rowCount,
        final byte[] rowBytes)
    {
        this.agent = agent;
        this.stream = stream;
        this.part = part;
        this.startEpochSecond = startEpochSecond;
        this.widthSeconds = widthSeconds;
        this.quality = quality;
        this.views = views;
        this.rowCount = rowCount;
        this.rowBytes = rowBytes;
        this.rows = new UnsafeBuffer(rowBytes);
    }

    /**
     * {@inheritDoc}
     */
    public String agent()
    {
        return agent;
    }

    /**
     * {@inheritDoc}
     */
    public CaptureStream stream()
    {
        return stream;
    }

    /**
     * {@inheritDoc}
     */
    public int part()
    {
        return part;
    }

    /**
     * {@inheritDoc}
     */
    public long startEpochSecond()
    {
        return startEpochSecond;
    }

    /**
     * {@inheritDoc}
     */
    public int widthSeconds()
    {
        return widthSeconds;
    }

    /**
     * End of the bucket, exclusive, seconds since the Unix epoch.
     *
     * @return {@code startEpochSecond() + widthSeconds()}.
     */
    public long endEpochSecond()
    {
        return startEpochSecond + widthSeconds;
    }

    /**
     * {@inheritDoc}
     */
    public QualityFigures quality()
    {
        return quality;
    }

    /**
     * {@inheritDoc}
     */
    public int rowCount()
    {
        return rowCount;
    }

    /**
     * Names of the views, in configuration order; a row's {@link #viewIndex(int)} indexes this list.
     *
     * @return the unmodifiable list.
     */
    public List<String> views()
    {
        return views;
    }

    /**
     * Index of a row's view in {@link #views()}.
     *
     * @param row the row index.
     * @return the view index.
     */
    public int viewIndex(final int row)
    {
        return BucketRowDescriptor.viewIndex(rows.getLong(offset(row) + VIEW_FLAGS_OFFSET));
    }

    /**
     * Name of a row's view.
     *
     * @param row the row index.
     * @return the view name.
     */
    public String view(final int row)
    {
        return views.get(viewIndex(row));
    }

    /**
     * Local host address of a row, upper 64 bits.
     *
     * @param row the row index.
     * @return the bits.
     */
    public long hostHi(final int row)
    {
        return rows.getLong(offset(row) + HOST_HI_OFFSET);
    }

    /**
     * Local host address of a row, lower 64 bits.
     *
     * @param row the row index.
     * @return the bits.
     */
    public long hostLo(final int row)
    {
        return rows.getLong(offset(row) + HOST_LO_OFFSET);
    }

    /**
     * Peer address of a row, upper 64 bits.
     *
     * @param row the row index.
     * @return the bits.
     */
    public long peerHi(final int row)
    {
        return rows.getLong(offset(row) + PEER_HI_OFFSET);
    }

    /**
     * Peer address of a row, lower 64 bits.
     *
     * @param row the row index.
     * @return the bits.
     */
    public long peerLo(final int row)
    {
        return rows.getLong(offset(row) + PEER_LO_OFFSET);
    }

    /**
     * IP protocol of a row.
     *
     * @param row the row index.
     * @return 0-255.
     */
    public int protocol(final int row)
    {
        return BucketRowDescriptor.protocol(rows.getLong(offset(row) + PROTOCOL_PORT_OFFSET));
    }

    /**
     * Service port of a row.
     *
     * @param row the row index.
     * @return 0-65535.
     */
    public int port(final int row)
    {
        return BucketRowDescriptor.port(rows.getLong(offset(row) + PROTOCOL_PORT_OFFSET));
    }

    /**
     * Whether the local host serves the port of a row.
     *
     * @param row the row index.
     * @return true for the server side.
     */
    public boolean served(final int row)
    {
        return (rows.getLong(offset(row) + VIEW_FLAGS_OFFSET) & SERVED_FLAG) != 0;
    }

    /**
     * Whether the local host refused connections to the port of a row.
     *
     * @param row the row index.
     * @return true for the refusing side.
     */
    public boolean refused(final int row)
    {
        return (rows.getLong(offset(row) + VIEW_FLAGS_OFFSET) & REFUSED_FLAG) != 0;
    }

    /**
     * Custom key of a row.
     *
     * @param row the row index.
     * @return the key.
     */
    public long key(final int row)
    {
        return rows.getLong(offset(row) + KEY_OFFSET);
    }

    /**
     * Whether a row is a host's "other" row.
     *
     * @param row the row index.
     * @return true for a folded row.
     */
    public boolean isFolded(final int row)
    {
        return (rows.getLong(offset(row) + VIEW_FLAGS_OFFSET) & FOLDED_FLAG) != 0;
    }

    /**
     * Bytes received by the local host of a row.
     *
     * @param row the row index.
     * @return the byte count.
     */
    public long inBytes(final int row)
    {
        return rows.getLong(offset(row) + IN_BYTES_OFFSET);
    }

    /**
     * Packets received by the local host of a row.
     *
     * @param row the row index.
     * @return the packet count.
     */
    public long inPackets(final int row)
    {
        return rows.getLong(offset(row) + IN_PACKETS_OFFSET);
    }

    /**
     * Bytes sent by the local host of a row.
     *
     * @param row the row index.
     * @return the byte count.
     */
    public long outBytes(final int row)
    {
        return rows.getLong(offset(row) + OUT_BYTES_OFFSET);
    }

    /**
     * Packets sent by the local host of a row.
     *
     * @param row the row index.
     * @return the packet count.
     */
    public long outPackets(final int row)
    {
        return rows.getLong(offset(row) + OUT_PACKETS_OFFSET);
    }

    /**
     * Play the batch contract to a sink: {@link StatsSink#onBatchStart(StatsBatch)}, every row, then
     * {@link StatsSink#onBatchEnd(StatsBatch)}.
     *
     * @param sink the sink.
     * @throws Exception whatever the sink throws.
     */
    public void deliverTo(final StatsSink sink) throws Exception
    {
        deliverTo(sink, new BucketRow());
    }

    /**
     * Play the batch contract to a sink through a reused row flyweight.
     *
     * @param sink the sink.
     * @param row  the flyweight to wrap each row in.
     * @throws Exception whatever the sink throws.
     */
    public void deliverTo(final StatsSink sink, final BucketRow row) throws Exception
    {
        sink.onBatchStart(this);
        for (int i = 0; i < rowCount; i++)
        {
            sink.onRow(row.wrap(this, i));
        }
        sink.onBatchEnd(this);
    }

    // the row records, for a builder adding them up and for the row flyweight
    DirectBuffer rows()
    {
        return rows;
    }

    /**
     * Equal identity, time range, figures, views and rows.
     *
     * @param o the other object.
     * @return true when equal.
     */
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }

        if (!(o instanceof SealedBucket))
        {
            return false;
        }

        final SealedBucket that = (SealedBucket)o;
        return agent.equals(that.agent) &&
            stream.equals(that.stream) &&
            part == that.part &&
            startEpochSecond == that.startEpochSecond &&
            widthSeconds == that.widthSeconds &&
            rowCount == that.rowCount &&
            quality.equals(that.quality) &&
            views.equals(that.views) &&
            Arrays.equals(rowBytes, that.rowBytes);
    }

    /**
     * Hash of the time range, figures and rows.
     *
     * @return the hash.
     */
    public int hashCode()
    {
        int h = Long.hashCode(startEpochSecond) * 31 + widthSeconds;
        h = h * 31 + quality.hashCode();
        return h * 31 + Arrays.hashCode(rowBytes);
    }

    /**
     * Identity, time range, row count and figures, for logs.
     *
     * @return the text.
     */
    public String toString()
    {
        return "SealedBucket{agent=" + agent + ", stream=" + stream.label() + ", part=" + part + ", start=" +
            startEpochSecond + ", width=" + widthSeconds + ", rows=" + rowCount + ", " + quality + '}';
    }

    private static int offset(final int row)
    {
        return row * LENGTH;
    }
}
