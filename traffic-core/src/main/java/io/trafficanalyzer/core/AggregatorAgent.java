package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.OpenBucketLeaders;
import io.trafficanalyzer.core.view.Aggregator;
import io.trafficanalyzer.core.view.PacketRecordDecoder;
import io.trafficanalyzer.core.view.ViewTable;
import io.trafficanalyzer.core.view.ViewTableAggregator;
import io.trafficanalyzer.core.sink.RowWriter;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;
import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * One aggregator shard: reads the packet records of its local hosts from its ring buffer and hands each to every
 * view's {@link Aggregator}; on a seal record it has each view write the bucket's rows towards the flush agent,
 * then a bucket-end record. It stops reading while rows wait in its spill area, so back-pressure reaches capture.
 * <p>
 * Packet records are counted in groups of up to {@link #GROUP_SIZE}, in two passes (see {@link #countGroup()}); a
 * group ends when it is full, when a read of the ring ends, and before a seal or end-of-stream record, so every
 * packet is counted before anything that follows it on the ring. When no view wants to prefetch a group, as when
 * all its tables fit in the caches, the next {@link #GROUPS_BETWEEN_CHECKS} groups' worth of records are counted as
 * they come, without the copy and the second pass.
 */
final class AggregatorAgent implements Agent, MessageHandler
{
    static final int READ_LIMIT = 1024;
    static final int GROUP_SIZE = ViewTable.MAX_PREFETCHED;
    static final int GROUPS_BETWEEN_CHECKS = 16;

    private final int shardIndex;
    private final RingBuffer input;
    private final RecordWriter output;
    private final Aggregator[] aggregators;
    private final RowWriter[] rowWriters;
    private final UnsafeBuffer group = new UnsafeBuffer(new byte[GROUP_SIZE * PACKET_LENGTH]);
    private final PacketRecordDecoder[] groupRecords = new PacketRecordDecoder[GROUP_SIZE];
    private final PacketRecordDecoder decoder = new PacketRecordDecoder();
    private final ErrorHandler errorHandler;
    private final String roleName;
    private final EpochNanoClock clock;
    private final long liveIntervalNs;
    private final OpenBucketLeaders leaders;
    private final RowWriter[] peekWriters;
    private final long[] openBuckets;
    private int openCount;
    private int groupCount;
    private int ungroupedCount;
    private long lastBucket = Long.MIN_VALUE;
    private long nextPublishNs;
    private boolean ended;

    AggregatorAgent(
        final Context ctx,
        final int shardIndex,
        final RingBuffer input,
        final RecordWriter output,
        final Aggregator[] aggregators,
        final int openBuckets,
        final OpenBucketLeaders leaders)
    {
        this.errorHandler = ctx.errorHandler();
        this.leaders = leaders;
        this.clock = ctx.clock();
        this.liveIntervalNs = ctx.liveIntervalNs();
        // the buckets the capture agent may have open at once, the late one included, as the views' tables hold
        this.openBuckets = new long[openBuckets];
        this.peekWriters = new RowWriter[aggregators.length];
        for (int i = 0; i < aggregators.length && null != leaders; i++)
        {
            peekWriters[i] = new RowWriter(i, leaders);
        }
        this.shardIndex = shardIndex;
        this.input = input;
        this.output = output;
        this.aggregators = aggregators;
        this.rowWriters = new RowWriter[aggregators.length];
        for (int i = 0; i < aggregators.length; i++)
        {
            rowWriters[i] = new RowWriter(i, this::writeRow);
        }
        this.roleName = "traffic-aggregator-" + shardIndex;
        for (int i = 0; i < GROUP_SIZE; i++)
        {
            groupRecords[i] = new PacketRecordDecoder().wrap(group, i * PACKET_LENGTH);
        }
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

    /**
     * Packets the built-in views could not count for want of a bucket in their tables: zero unless more buckets
     * were open at once than the pipeline sized them for.
     *
     * @return the count over this shard's built-in views.
     */
    long lostPackets()
    {
        long lost = 0;
        for (final Aggregator aggregator : aggregators)
        {
            if (aggregator instanceof ViewTableAggregator)
            {
                lost += ((ViewTableAggregator)aggregator).lostPackets();
            }
        }
        return lost;
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
            countGroup();
        }

        if (null != leaders)
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
        for (int b = 0; b < openCount; b++)
        {
            final long bucket = openBuckets[b];
            leaders.bucket(bucket);
            for (int i = 0; i < aggregators.length; i++)
            {
                try
                {
                    aggregators[i].peek(bucket, peekWriters[i]);
                }
                catch (final RuntimeException ex)
                {
                    errorHandler.onError(ex);
                }
            }
        }
        leaders.publish();

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
                if (ungroupedCount > 0)
                {
                    countNow(buffer, index);
                }
                else
                {
                    buffer.boundsCheck(index, PACKET_LENGTH);
                    addToGroup(buffer, index);
                }
                break;

            case SEAL_MSG_TYPE_ID:
            {
                countGroup();
                final long bucket = buffer.getLong(index + BUCKET_START_OFFSET);
                untrackOpen(bucket);
                seal(bucket);
                break;
            }

            case END_OF_STREAM_MSG_TYPE_ID:
                countGroup();
                output.claim(RowRecordDescriptor.END_OF_STREAM_MSG_TYPE_ID, RowRecordDescriptor.END_OF_STREAM_LENGTH);
                output.buffer().putLong(output.offset(), 0);
                output.commit();
                ended = true;
                break;

            default:
                break;
        }
    }

    private void countNow(final MutableDirectBuffer buffer, final int index)
    {
        ungroupedCount--;
        decoder.wrap(buffer, index);
        if (decoder.bucketStartSecond() != lastBucket)
        {
            trackOpen(decoder.bucketStartSecond());
        }
        count(decoder);
    }

    // one packet into every view; a view that throws is reported and the others still count it
    private void count(final PacketRecordDecoder packet)
    {
        for (final Aggregator aggregator : aggregators)
        {
            try
            {
                aggregator.onPacket(packet);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }
    }

    private void addToGroup(final MutableDirectBuffer buffer, final int index)
    {
        // a copy: once read() returns, the ring hands the record's space back to the capture agent
        final int count = groupCount;
        final byte[] fromArray = buffer.byteArray();
        final long from = buffer.addressOffset() + index;
        final byte[] toArray = group.byteArray();
        final long to = group.addressOffset() + (long)count * PACKET_LENGTH;
        for (int i = 0; i < PACKET_LENGTH; i += Long.BYTES)
        {
            UNSAFE.putLong(toArray, to + i, UNSAFE.getLong(fromArray, from + i));
        }

        final long bucket = groupRecords[count].bucketStartSecond();
        if (bucket != lastBucket)
        {
            trackOpen(bucket);
        }

        groupCount = count + 1;
        if (GROUP_SIZE == groupCount)
        {
            countGroup();
        }
    }

    /**
     * Count the packet records of the group in two passes. A view's table can be far larger than the caches, so a
     * packet may cost a cache and TLB miss per view; counted one packet after another, those misses wait for each
     * other, since a load that misses holds its place in the CPU's reorder buffer and the instructions of a packet or
     * two fill it. So each view first finds where the whole group will count ({@link Aggregator#prefetch}), then
     * counts it: a {@link ViewTable} loads the entries it found back to back on its first count, their misses in
     * flight together, and the counts that follow find them in the cache.
     */
    void countGroup()
    {
        final int count = groupCount;
        if (0 == count)
        {
            return;
        }

        groupCount = 0;
        final PacketRecordDecoder[] records = groupRecords;
        boolean prefetched = false;
        for (final Aggregator aggregator : aggregators)
        {
            try
            {
                int i = 0;
                while (i < count && aggregator.prefetch(records[i]))
                {
                    i++;
                }
                prefetched |= i > 0;
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
            }
        }

        if (!prefetched)
        {
            ungroupedCount = GROUPS_BETWEEN_CHECKS * GROUP_SIZE;
        }

        for (int i = 0; i < count; i++)
        {
            count(records[i]);
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
        if (null != leaders)
        {
            // before the rows leave: once the flush agent publishes the bucket, no open leader of it is left
            leaders.remove(bucketStartSecond);
        }

        long folded = 0;
        for (int i = 0; i < aggregators.length; i++)
        {
            try
            {
                folded += aggregators[i].onSeal(bucketStartSecond, rowWriters[i]);
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

    // a row of a sealed bucket, towards the flush agent; rows that do not fit wait in order in the spill area
    private void writeRow(final DirectBuffer buffer, final int offset, final int length)
    {
        output.claim(RowRecordDescriptor.ROW_MSG_TYPE_ID, length);
        output.buffer().putBytes(output.offset(), buffer, offset, length);
        output.commit();
    }
}
