package io.trafficanalyzer.core.aggregate;

import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

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
    private boolean ended;

    AggregatorAgent(
        final int shardIndex,
        final RingBuffer input,
        final RecordWriter output,
        final Aggregator[] aggregators,
        final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
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

        return workCount;
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        switch (msgTypeId)
        {
            case PACKET_MSG_TYPE_ID:
                decoder.wrap(buffer, index);
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
                seal(buffer.getLong(index + BUCKET_START_OFFSET));
                break;

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
