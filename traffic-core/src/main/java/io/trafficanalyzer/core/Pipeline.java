package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveRates;
import io.trafficanalyzer.core.live.LiveView;
import io.trafficanalyzer.core.live.OpenBucketLeaders;
import io.trafficanalyzer.core.view.Aggregator;
import io.trafficanalyzer.core.view.AggregatorContext;
import io.trafficanalyzer.core.codec.FrameDecoder;
import org.agrona.BufferUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The agents of the packet path and the ring buffers between them, assembled from a concluded {@link Context}: one
 * capture agent, one aggregator agent per shard and one flush agent. Whoever runs it chooses the threads: each
 * agent on its own, all on one, or driven by the host application.
 */
final class Pipeline
{
    private static final int QUALITY_RING_CAPACITY = 64 * 1024;
    private static final int SPILL_CAPACITY = 64 * 1024;

    private final CaptureAgent captureAgent;
    private final AggregatorAgent[] aggregatorAgents;
    private final FlushAgent flushAgent;
    private final LiveView liveView;
    private final List<String> views;
    private final List<Agent> agents;
    private final int openBuckets;
    private final StreamRegistry streams = new StreamRegistry();

    /**
     * Assemble the pipeline; allocates all of its ring buffers and tables.
     *
     * @param ctx the concluded context.
     */
    Pipeline(final Context ctx)
    {
        this(ctx, new FrameDecoder()::decode);
    }

    Pipeline(final Context ctx, final PacketDecoder decoder)
    {
        final int shards = ctx.shards();
        final int width = ctx.bucketWidthSeconds();
        openBuckets = ctx.openBuckets();
        views = ctx.views();

        final LiveRates rates =
            new LiveRates(ctx.liveView(), Math.max(ctx.liveWindowSeconds(), ctx.liveRateWindowSeconds()));
        final List<OpenBucketLeaders> openLeaders = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++)
        {
            openLeaders.add(new OpenBucketLeaders(views));
        }
        liveView = new LiveView(rates, openLeaders, ctx.liveWindowSeconds(), ctx.liveRateWindowSeconds(), width,
            ctx.source().isLive() ? ctx.clock() : null);

        final RecordWriter[] captureWriters = new RecordWriter[shards];
        final RingBuffer[] flushRings = new RingBuffer[shards];
        aggregatorAgents = new AggregatorAgent[shards];
        final int keysPerShard = (ctx.maxKeysPerBucket() + shards - 1) / shards;
        for (int shard = 0; shard < shards; shard++)
        {
            final RingBuffer input = newRing(ctx.ringBufferCapacity());
            final RingBuffer output = newRing(ctx.ringBufferCapacity());
            captureWriters[shard] = new RecordWriter(input, SPILL_CAPACITY);
            flushRings[shard] = output;

            final AggregatorContext context =
                new AggregatorContext(shard, shards, keysPerShard, openBuckets, width);
            final Aggregator[] aggregators = new Aggregator[ctx.aggregators().size()];
            for (int i = 0; i < aggregators.length; i++)
            {
                aggregators[i] = ctx.aggregators().get(i).newAggregator(context);
            }
            aggregatorAgents[shard] = new AggregatorAgent(
                ctx, shard, input, new RecordWriter(output, SPILL_CAPACITY), aggregators, openBuckets,
                ctx.liveView() ? openLeaders.get(shard) : null);
        }

        final RingBuffer qualityRing = newRing(QUALITY_RING_CAPACITY);
        captureAgent = new CaptureAgent(
            ctx, decoder, captureWriters, new RecordWriter(qualityRing, SPILL_CAPACITY), rates, streams);
        flushAgent = new FlushAgent(ctx, streams, qualityRing, flushRings, liveView);

        final List<Agent> all = new ArrayList<>();
        all.add(captureAgent);
        Collections.addAll(all, aggregatorAgents);
        all.add(flushAgent);
        agents = Collections.unmodifiableList(all);
    }

    /**
     * The agents: capture first, then the aggregator shards, then flush.
     *
     * @return the unmodifiable list.
     */
    public List<Agent> agents()
    {
        return agents;
    }

    /**
     * Names of the views, in configuration order.
     *
     * @return the unmodifiable list.
     */
    public List<String> views()
    {
        return views;
    }

    /**
     * Most buckets open at once in the capture agent, the shards and the views' tables: those within the allowed
     * lateness and one of late packets.
     *
     * @return the count.
     */
    public int openBuckets()
    {
        return openBuckets;
    }

    /**
     * Every capture stream so far (each file of a file source, or the one run of a source that announces no stream),
     * in the order they began, with the time span and the figures of its frames. Final for a stream once it has
     * ended; safe to read from any thread, e.g. after the pipeline has flushed.
     *
     * @return an unmodifiable list of summaries.
     */
    public List<StreamSummary> streams()
    {
        return streams.summaries();
    }

    /**
     * The live view.
     *
     * @return the view.
     */
    public LiveView liveView()
    {
        return liveView;
    }

    /**
     * Ask the capture agent to stop reading, seal every open bucket and end the stream; safe from any thread.
     */
    public void requestStop()
    {
        captureAgent.requestStop();
    }

    /**
     * Whether the end of the stream has passed through the flush agent: every bucket was handed to the sinks.
     *
     * @return true when flushed.
     */
    public boolean isFlushed()
    {
        return flushAgent.isFlushed();
    }

    /**
     * Why the source stopped, when it failed.
     *
     * @return the failure, or null.
     */
    public Throwable sourceFailure()
    {
        return captureAgent.sourceFailure();
    }

    CaptureAgent captureAgent()
    {
        return captureAgent;
    }

    AggregatorAgent aggregatorAgent(final int shard)
    {
        return aggregatorAgents[shard];
    }

    FlushAgent flushAgent()
    {
        return flushAgent;
    }

    private static RingBuffer newRing(final int capacity)
    {
        final int length = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        return new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64)));
    }
}
