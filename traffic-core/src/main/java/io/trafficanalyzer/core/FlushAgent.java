package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveView;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.Arrays;

import static org.agrona.concurrent.ControlledMessageHandler.Action.BREAK;
import static org.agrona.concurrent.ControlledMessageHandler.Action.CONTINUE;

/**
 * Merges the shards' rows of each sealed contribution with the capture agent's figures, once every shard has sealed
 * it, summing rows with equal keys, and hands one immutable {@link SealedBucket} to the listeners and to every sink's
 * {@link SinkWorker} (which never blocks it). The figures name the contribution's capture stream, by its index in the
 * {@link StreamRegistry}, and its part.
 * <p>
 * Buckets are sealed in the same order on every channel, so it assembles one bucket at a time: it reads a shard's
 * ring up to that shard's bucket-end record and then leaves the shard alone until every shard has reached it.
 */
final class FlushAgent implements Agent
{
    private static final long NO_BUCKET = Long.MIN_VALUE;
    private static final int READ_LIMIT = 4096;

    private final RingBuffer qualityRing;
    private final RingBuffer[] shardRings;
    private final BucketBuilder builder;
    private final String agent;
    private final StreamRegistry streams;
    private final int widthSeconds;
    private final BucketListener[] listeners;
    private final SinkWorker[] sinkWorkers;
    private final LiveView liveView;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final EpochNanoClock clock;
    private final long[] figures = new long[QualityFigures.LENGTH];
    private final boolean[] shardSealed;
    private final boolean[] shardEnded;
    private final ControlledMessageHandler qualityHandler = this::onQuality;
    private final ControlledMessageHandler[] rowHandlers;
    private final int sinkWaitDepth;
    private long bucket = NO_BUCKET;
    private boolean haveQuality;
    private long sealTimeNs;
    private int streamIndex;
    private int part;
    private int shardsSealed;
    private int shardsEnded;
    private long folded;
    private boolean qualityEnded;
    private volatile boolean flushed;

    FlushAgent(
        final Context ctx,
        final StreamRegistry streams,
        final RingBuffer qualityRing,
        final RingBuffer[] shardRings,
        final LiveView liveView)
    {
        this.agent = ctx.agent();
        this.streams = streams;
        this.qualityRing = qualityRing;
        this.shardRings = shardRings;
        this.builder = new BucketBuilder(ctx.views());
        this.widthSeconds = ctx.bucketWidthSeconds();
        this.listeners = ctx.listeners().toArray(new BucketListener[0]);
        this.sinkWorkers = ctx.sinkWorkers().toArray(new SinkWorker[0]);
        this.sinkWaitDepth = ctx.source().isLive() ? 0 : ctx.sinkWaitDepth();
        this.liveView = liveView;
        this.counters = ctx.counters();
        this.errorHandler = ctx.errorHandler();
        this.clock = ctx.clock();
        this.shardSealed = new boolean[shardRings.length];
        this.shardEnded = new boolean[shardRings.length];
        this.rowHandlers = new ControlledMessageHandler[shardRings.length];
        for (int i = 0; i < shardRings.length; i++)
        {
            final int shard = i;
            rowHandlers[i] = (msgTypeId, buffer, index, length) -> onRecord(shard, msgTypeId, buffer, index, length);
        }
    }

    public String roleName()
    {
        return "traffic-flush";
    }

    /**
     * Whether every bucket has been handed to the sinks and the stream has ended.
     *
     * @return true once the end of the stream has passed through.
     */
    boolean isFlushed()
    {
        return flushed;
    }

    public int doWork()
    {
        if (flushed || (NO_BUCKET == bucket && !haveQuality && sinksBehind()))
        {
            return 0;
        }

        int workCount = 0;
        if (!haveQuality && !qualityEnded)
        {
            workCount += qualityRing.controlledRead(qualityHandler, 1);
        }

        for (int i = 0; i < shardRings.length; i++)
        {
            if (!shardSealed[i] && !shardEnded[i])
            {
                workCount += shardRings[i].controlledRead(rowHandlers[i], READ_LIMIT);
            }
        }

        if (haveQuality && shardsSealed == shardRings.length)
        {
            complete();
            workCount++;
        }
        else if (qualityEnded && shardsEnded == shardRings.length && NO_BUCKET == bucket)
        {
            flushed = true;
            workCount++;
        }

        return workCount;
    }

    // a file source waits, through the rings, for a sink that keeps up slowly, instead of the heap holding its backlog
    private boolean sinksBehind()
    {
        if (0 != sinkWaitDepth)
        {
            for (final SinkWorker worker : sinkWorkers)
            {
                if (worker.isBehind(sinkWaitDepth))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private ControlledMessageHandler.Action onQuality(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (QualityRecordDescriptor.QUALITY_MSG_TYPE_ID == msgTypeId)
        {
            begin(buffer.getLong(index + QualityRecordDescriptor.BUCKET_START_OFFSET));
            sealTimeNs = buffer.getLong(index + QualityRecordDescriptor.SEAL_TIME_OFFSET);
            streamIndex = buffer.getInt(index + QualityRecordDescriptor.STREAM_INDEX_OFFSET);
            part = buffer.getInt(index + QualityRecordDescriptor.PART_OFFSET);
            for (int i = 0; i < QualityFigures.LENGTH; i++)
            {
                figures[i] = buffer.getLong(index + QualityRecordDescriptor.figureOffset(i));
            }
            haveQuality = true;
        }
        else if (QualityRecordDescriptor.END_OF_STREAM_MSG_TYPE_ID == msgTypeId)
        {
            qualityEnded = true;
        }

        return BREAK;
    }

    private ControlledMessageHandler.Action onRecord(
        final int shard, final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        switch (msgTypeId)
        {
            case RowRecordDescriptor.ROW_MSG_TYPE_ID:
                builder.onRow(buffer, index, length);
                return CONTINUE;

            case RowRecordDescriptor.BUCKET_END_MSG_TYPE_ID:
                begin(buffer.getLong(index + RowRecordDescriptor.BUCKET_START_OFFSET));
                folded += buffer.getLong(index + RowRecordDescriptor.FOLDED_COUNT_OFFSET);
                shardSealed[shard] = true;
                shardsSealed++;
                return BREAK;

            case RowRecordDescriptor.END_OF_STREAM_MSG_TYPE_ID:
                shardEnded[shard] = true;
                shardsEnded++;
                return BREAK;

            default:
                return CONTINUE;
        }
    }

    private void begin(final long bucketStartSecond)
    {
        if (NO_BUCKET == bucket)
        {
            bucket = bucketStartSecond;
        }
        else if (bucket != bucketStartSecond)
        {
            errorHandler.onError(new IllegalStateException(
                "bucket " + bucketStartSecond + " arrived while assembling bucket " + bucket));
        }
    }

    private void complete()
    {
        figures[QualityFigures.FOLDED_KEYS] = folded;
        final SealedBucket sealed = builder.build(
            agent, streams.stream(streamIndex), part, bucket, widthSeconds, new QualityFigures(figures));
        counters.addOrdered(TrafficCounter.BUCKETS_SEALED, 1);
        counters.addOrdered(TrafficCounter.FOLDED, folded);
        counters.setOrdered(TrafficCounter.FLUSH_LAG_NS, Math.max(0, clock.nanoTime() - sealTimeNs));

        liveView.onBucketSealed(sealed);
        for (final BucketListener listener : listeners)
        {
            try
            {
                listener.onBucketSealed(sealed);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }

        for (final SinkWorker worker : sinkWorkers)
        {
            worker.onBucketSealed(sealed);
        }
        counters.addOrdered(TrafficCounter.BATCHES_FLUSHED, sinkWorkers.length);

        bucket = NO_BUCKET;
        haveQuality = false;
        folded = 0;
        shardsSealed = 0;
        Arrays.fill(shardSealed, false);
    }
}
