package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.Arrays;

/**
 * The rows of one shard of one published batch, gathered from one partition: a contribution of its own, whose stream
 * id is the published stream's followed by {@code #s} and the shard, so that re-applying it replaces only itself and
 * the shards of a batch add up. The batch's quality figures travel with exactly one of its shards; the others carry
 * none.
 */
final class SubBatch implements StatsBatch
{
    static final String SHARD_SEPARATOR = "#s";
    private static final int INITIAL_ROWS = 16;
    private static final int MEASURES = 4;

    private final String agent;
    private final CaptureStream stream;
    private final String publishedStreamId;
    private final int part;
    private final long startEpochSecond;
    private final int widthSeconds;
    private final int partition;
    private final long firstOffset;
    private QualityFigures quality = QualityFigures.EMPTY;
    private boolean hasQuality;
    private boolean begunBefore;
    private int rowCount;
    private String[] view = new String[INITIAL_ROWS];
    private long[] address = new long[INITIAL_ROWS * 4];
    private int[] protocolPort = new int[INITIAL_ROWS * 2];
    private byte[] flags = new byte[INITIAL_ROWS];
    private long[] key = new long[INITIAL_ROWS];
    private long[] measures = new long[INITIAL_ROWS * MEASURES];

    SubBatch(final BucketRecordDecoder record, final int partition, final long firstOffset)
    {
        this.agent = record.agent();
        this.publishedStreamId = record.stream();
        this.stream = new CaptureStream(record.stream() + SHARD_SEPARATOR + record.shard(), record.streamLabel());
        this.part = record.part();
        this.startEpochSecond = record.bucketStart();
        this.widthSeconds = record.bucketSeconds();
        this.partition = partition;
        this.firstOffset = firstOffset;
    }

    /**
     * Mark a shard whose first records lie before where this collector began reading the partition.
     */
    void begunBefore()
    {
        begunBefore = true;
    }

    /**
     * Whether this shard's first records lie before where this collector began reading: a previous owner of the
     * partition committed past them, so it applied the whole shard, and this tail must not replace it.
     *
     * @return true when only the shard's tail was read.
     */
    boolean isBegunBefore()
    {
        return begunBefore;
    }

    /**
     * Whether a record belongs to this shard's batch: same agent, stream, part and time range.
     *
     * @param record the decoded record.
     * @return true when it matches.
     */
    boolean matches(final BucketRecordDecoder record)
    {
        return agent.equals(record.agent()) && publishedStreamId.equals(record.stream()) &&
            part == record.part() && startEpochSecond == record.bucketStart() &&
            widthSeconds == record.bucketSeconds();
    }

    void addRow(final BucketRecordDecoder record)
    {
        if (rowCount == view.length)
        {
            final int capacity = rowCount * 2;
            view = Arrays.copyOf(view, capacity);
            address = Arrays.copyOf(address, capacity * 4);
            protocolPort = Arrays.copyOf(protocolPort, capacity * 2);
            flags = Arrays.copyOf(flags, capacity);
            key = Arrays.copyOf(key, capacity);
            measures = Arrays.copyOf(measures, capacity * MEASURES);
        }

        final int i = rowCount++;
        view[i] = record.view();
        address[i * 4] = record.hostHi();
        address[i * 4 + 1] = record.hostLo();
        address[i * 4 + 2] = record.peerHi();
        address[i * 4 + 3] = record.peerLo();
        protocolPort[i * 2] = record.protocol();
        protocolPort[i * 2 + 1] = record.port();
        flags[i] = (byte)((record.served() ? 1 : 0) | (record.folded() ? 2 : 0) | (record.refused() ? 4 : 0));
        key[i] = record.key();
        measures[i * MEASURES] = record.inBytes();
        measures[i * MEASURES + 1] = record.inPackets();
        measures[i * MEASURES + 2] = record.outBytes();
        measures[i * MEASURES + 3] = record.outPackets();
    }

    void quality(final long[] figures)
    {
        quality = new QualityFigures(figures);
        hasQuality = true;
    }

    boolean hasQuality()
    {
        return hasQuality;
    }

    int partition()
    {
        return partition;
    }

    long firstOffset()
    {
        return firstOffset;
    }

    /**
     * Play the batch contract to a sink.
     *
     * @param sink the sink.
     * @throws Exception whatever the sink throws.
     */
    void deliverTo(final StatsSink sink) throws Exception
    {
        final Row row = new Row();
        sink.onBatchStart(this);
        for (int i = 0; i < rowCount; i++)
        {
            row.index = i;
            sink.onRow(row);
        }
        sink.onBatchEnd(this);
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
     * Identity and size, for logs.
     *
     * @return the text.
     */
    public String toString()
    {
        return "agent=" + agent + " stream=" + stream.id() + " part=" + part + " bucket_start=" + startEpochSecond +
            " rows=" + rowCount;
    }

    /**
     * A row of the sub-batch as a {@link StatsRow}.
     */
    private final class Row implements StatsRow
    {
        private int index;

        public String view()
        {
            return view[index];
        }

        public long hostHi()
        {
            return address[index * 4];
        }

        public long hostLo()
        {
            return address[index * 4 + 1];
        }

        public long peerHi()
        {
            return address[index * 4 + 2];
        }

        public long peerLo()
        {
            return address[index * 4 + 3];
        }

        public int protocol()
        {
            return protocolPort[index * 2];
        }

        public int port()
        {
            return protocolPort[index * 2 + 1];
        }

        public boolean served()
        {
            return 0 != (flags[index] & 1);
        }

        public boolean refused()
        {
            return 0 != (flags[index] & 4);
        }

        public long key()
        {
            return key[index];
        }

        public boolean isFolded()
        {
            return 0 != (flags[index] & 2);
        }

        public long inBytes()
        {
            return measures[index * MEASURES];
        }

        public long inPackets()
        {
            return measures[index * MEASURES + 1];
        }

        public long outBytes()
        {
            return measures[index * MEASURES + 2];
        }

        public long outPackets()
        {
            return measures[index * MEASURES + 3];
        }
    }
}
