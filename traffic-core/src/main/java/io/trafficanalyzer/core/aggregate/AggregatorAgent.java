package io.trafficanalyzer.core.aggregate;

import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.List;

import static io.trafficanalyzer.core.aggregate.PacketRecordDescriptor.*;

/**
 * One aggregator shard: reads the packet records of its local hosts from its ring buffer and hands each to every
 * view's {@link Aggregator}; on a seal record it has each view write the bucket's rows towards the flush agent,
 * then a bucket-end record. It stops reading while rows wait in its spill area, so back-pressure reaches capture.
 */
final class AggregatorAgent implements Agent, MessageHandler
{
    static final int READ_LIMIT = 1024;

    private final int shardIndex;
    private final RingBuffer input;
    private final RecordWriter output;
    private final Aggregator[] aggregators;
    private final RowWriter[] rowWriters;
    private final PacketRecordDecoder decoder = new PacketRecordDecoder();
    private final ErrorHandler errorHandler;
    private final String roleName;
    private final LiveView liveView;
    private final EpochNanoClock clock;
    private final long liveIntervalNs;
    private final LiveCollector collector;
    private final RowWriter[] peekWriters;
    private final long[] openBuckets;
    private int openCount;
    private long lastBucket = Long.MIN_VALUE;
    private long nextPublishNs;
    private boolean ended;

    AggregatorAgent(
        final int shardIndex,
        final RingBuffer input,
        final RecordWriter output,
        final Aggregator[] aggregators,
        final ErrorHandler errorHandler,
        final int openBuckets,
        final LiveView liveView,
        final List<String> views,
        final EpochNanoClock clock,
        final long liveIntervalNs)
    {
        this.errorHandler = errorHandler;
        this.liveView = liveView;
        this.clock = clock;
        this.liveIntervalNs = liveIntervalNs;
        this.openBuckets = new long[openBuckets + 1];
        this.collector = null == liveView ? null : new LiveCollector(views);
        this.peekWriters = new RowWriter[aggregators.length];
        for (int i = 0; i < aggregators.length && null != collector; i++)
        {
            peekWriters[i] = new RowWriter(collector, i);
        }
        this.shardIndex = shardIndex;
        this.input = input;
        this.output = output;
        this.aggregators = aggregators;
        this.rowWriters = new RowWriter[aggregators.length];
        for (int i = 0; i < aggregators.length; i++)
        {
            rowWriters[i] = new RowWriter(output, i);
        }
        this.roleName = "traffic-aggregator-" + shardIndex;
    }

    public String roleName()
    {
        return roleName;
    }

    int shardIndex()
    {
        return shardIndex;
    }

    boolean hasEnded()
    {
        return ended;
    }

    public int doWork()
    {
        int workCount = 0;
        if (output.hasSpill())
        {
            workCount += output.drain();
            if (output.hasSpill())
            {
                return workCount;
            }
        }

        if (!ended)
        {
            workCount += input.read(this, READ_LIMIT);
        }

        if (null != liveView)
        {
            workCount += publishLive();
        }

        return workCount;
    }

    private int publishLive()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextPublishNs < 0)
        {
            return 0;
        }

        nextPublishNs = nowNs + liveIntervalNs;
        collector.reset();
        for (int b = 0; b < openCount; b++)
        {
            final long bucket = openBuckets[b];
            for (int i = 0; i < aggregators.length; i++)
            {
                try
                {
                    aggregators[i].peek(bucket, peekWriters[i].bucketStartSecond(bucket));
                }
                catch (final RuntimeException ex)
                {
                    errorHandler.onError(ex);
                }
            }
        }
        liveView.publishOpen(shardIndex, collector.entries());

        return 1;
    }

    private void trackOpen(final long bucket)
    {
        lastBucket = bucket;
        for (int i = 0; i < openCount; i++)
        {
            if (openBuckets[i] == bucket)
            {
                return;
            }
        }

        if (openCount < openBuckets.length)
        {
            openBuckets[openCount++] = bucket;
        }
    }

    private void untrackOpen(final long bucket)
    {
        if (lastBucket == bucket)
        {
            lastBucket = Long.MIN_VALUE;
        }

        for (int i = 0; i < openCount; i++)
        {
            if (openBuckets[i] == bucket)
            {
                openBuckets[i] = openBuckets[--openCount];
                return;
            }
        }
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        switch (msgTypeId)
        {
            case PACKET_MSG_TYPE_ID:
                decoder.wrap(buffer, index);
                if (decoder.bucketStartSecond() != lastBucket)
                {
                    trackOpen(decoder.bucketStartSecond());
                }
                try
                {
                    for (final Aggregator aggregator : aggregators)
                    {
                        aggregator.onPacket(decoder);
                    }
                }
                catch (final RuntimeException ex)
                {
                    errorHandler.onError(ex);
                }
                break;

            case SEAL_MSG_TYPE_ID:
            {
                final long bucket = buffer.getLong(index + BUCKET_START_OFFSET);
                untrackOpen(bucket);
                seal(bucket);
                break;
            }

            case END_OF_STREAM_MSG_TYPE_ID:
                output.claim(RowRecordDescriptor.END_OF_STREAM_MSG_TYPE_ID, RowRecordDescriptor.END_OF_STREAM_LENGTH);
                output.buffer().putLong(output.offset(), 0);
                output.commit();
                ended = true;
                break;

            default:
                break;
        }
    }

    public void onClose()
    {
        for (final Aggregator aggregator : aggregators)
        {
            aggregator.close();
        }
    }

    private void seal(final long bucketStartSecond)
    {
        long folded = 0;
        for (int i = 0; i < aggregators.length; i++)
        {
            try
            {
                folded += aggregators[i].onSeal(bucketStartSecond, rowWriters[i].bucketStartSecond(bucketStartSecond));
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }

        output.claim(RowRecordDescriptor.BUCKET_END_MSG_TYPE_ID, RowRecordDescriptor.BUCKET_END_LENGTH);
        output.buffer().putLong(output.offset() + RowRecordDescriptor.BUCKET_START_OFFSET, bucketStartSecond);
        output.buffer().putLong(output.offset() + RowRecordDescriptor.FOLDED_COUNT_OFFSET, folded);
        output.commit();
    }
}
