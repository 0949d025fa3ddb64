package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveRates;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A capture agent outside a pipeline, for benchmarks: frames of the tests' own format go straight to its frame
 * handler, as a file source hands them over, and the records it writes to its rings are read and dropped, as the
 * aggregator shards and the flush agent would take them. The frames are replayed over and over, each pass moved on
 * by the span of the frames so that the packet clock keeps advancing and buckets keep being sealed.
 */
public final class CaptureHarness implements AutoCloseable
{
    private static final int RING_CAPACITY = 16 * 1024 * 1024;
    private static final MessageHandler DROP = (msgTypeId, buffer, index, length) ->
    {
    };

    private final CaptureAgent agent;
    private final RingBuffer[] rings;
    private final UnsafeBuffer frames;
    private final long[] timestamps;
    private final long spanNs;
    private long offsetNs;
    private int next;

    public CaptureHarness(final List<TestPacket> packets, final int shards, final int flowCacheEntries)
    {
        frames = new UnsafeBuffer(ByteBuffer.allocateDirect(packets.size() * TestFrames.LENGTH));
        timestamps = new long[packets.size()];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < packets.size(); i++)
        {
            TestFrames.encode(packets.get(i), frames, i * TestFrames.LENGTH);
            timestamps[i] = packets.get(i).timestampNs();
            first = Math.min(first, timestamps[i]);
            last = Math.max(last, timestamps[i]);
        }
        spanNs = last - first + 1_000_000L;

        rings = new RingBuffer[shards + 1];
        final RecordWriter[] writers = new RecordWriter[shards];
        for (int i = 0; i <= shards; i++)
        {
            rings[i] = new OneToOneRingBuffer(new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
            if (i < shards)
            {
                writers[i] = new RecordWriter(rings[i], 64 * 1024);
            }
        }

        // the cache is flushed only as buckets seal, not by the wall clock
        final Context ctx = new Context()
            .source(new IdleSource())
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .flowCacheEntries(flowCacheEntries)
            .clock(() -> 0)
            .errorHandler(Throwable::printStackTrace)
            .liveIntervalNs(Long.MAX_VALUE)
            .conclude();
        agent = new CaptureAgent(
            ctx, TestFrames::decode, writers, new RecordWriter(rings[shards], 64 * 1024), new LiveRates(true, 60),
            new StreamRegistry());
    }

    /**
     * Hand the next frames to the capture agent, then drop what it wrote to its rings.
     *
     * @param count how many frames.
     * @return the frames handed over, for the benchmark to consume.
     */
    public int run(final int count)
    {
        final CaptureAgent agent = this.agent;
        final int length = timestamps.length;
        for (int i = 0; i < count; i++)
        {
            agent.onFrame(frames, next * TestFrames.LENGTH, TestFrames.LENGTH, TestFrames.LENGTH,
                TestFrames.LINK_TYPE, timestamps[next] + offsetNs);
            if (++next == length)
            {
                next = 0;
                offsetNs += spanNs;
            }
        }

        for (final RingBuffer ring : rings)
        {
            while (ring.read(DROP) > 0)
            {
                // the ring hands over what lies before its end, then the rest
            }
        }

        return count;
    }

    public void close()
    {
        agent.onClose();
    }

    private static final class IdleSource implements CaptureSource
    {
        public String name()
        {
            return "harness";
        }

        public boolean isLive()
        {
            return false;
        }

        public int poll(final FrameHandler handler, final int limit)
        {
            return 0;
        }

        public boolean isEndOfStream()
        {
            return false;
        }

        public void close()
        {
        }
    }
}
