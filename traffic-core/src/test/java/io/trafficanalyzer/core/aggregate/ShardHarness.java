package io.trafficanalyzer.core.aggregate;

import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * One aggregator shard outside a pipeline, for benchmarks: packet records go straight to its message handler, as
 * its ring buffer would hand them over.
 */
public final class ShardHarness implements AutoCloseable
{
    public static final int RECORD_LENGTH = PacketRecordDescriptor.PACKET_LENGTH;

    private final AggregatorAgent agent;
    private final PacketRecordEncoder encoder = new PacketRecordEncoder();

    public ShardHarness(final List<AggregatorProvider> views, final int maxKeysPerBucket, final int openBuckets)
    {
        final List<String> names = new ArrayList<>();
        final Aggregator[] aggregators = new Aggregator[views.size()];
        final AggregatorContext context = new AggregatorContext(0, 1, maxKeysPerBucket, openBuckets, 10);
        for (int i = 0; i < aggregators.length; i++)
        {
            names.add(views.get(i).view());
            aggregators[i] = views.get(i).newAggregator(context);
        }

        agent = new AggregatorAgent(
            0, ring(4096), new RecordWriter(ring(1 << 20), 1 << 16), aggregators, Throwable::printStackTrace,
            openBuckets, null, names, () -> 0, Long.MAX_VALUE);
    }

    public void encodePacket(
        final MutableDirectBuffer buffer,
        final int offset,
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final int protocol,
        final int servicePort,
        final boolean outbound,
        final boolean served,
        final int bytes)
    {
        encoder.wrap(buffer, offset)
            .bucketStartSecond(bucketStartSecond)
            .host(hostHi, hostLo)
            .peer(peerHi, peerLo)
            .packets(1)
            .bytes(bytes)
            .servicePort(servicePort)
            .vlanId(-1)
            .protocol(protocol)
            .flags((outbound ? PacketRecordDescriptor.OUTBOUND_FLAG : 0) |
                (served ? PacketRecordDescriptor.SERVED_FLAG : 0))
            .ipVersion(hostHi == 0 ? 4 : 6)
            .dscp(0);
    }

    // consecutive packet records, handed over as one read of the ring buffer would, then the end of that read
    public void onPackets(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        for (int i = 0, recordOffset = offset; i < count; i++, recordOffset += RECORD_LENGTH)
        {
            agent.onMessage(PacketRecordDescriptor.PACKET_MSG_TYPE_ID, buffer, recordOffset, RECORD_LENGTH);
        }
        agent.countGroup();
    }

    public void close()
    {
        agent.onClose();
    }

    private static OneToOneRingBuffer ring(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }
}
