package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveRates;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.util.List;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;

/**
 * Polls the capture source, decodes and classifies each frame, assigns it to its time bucket and writes packet
 * records to the ring buffer of the shard that owns the local host. It alone owns the packet clock
 * ({@link BucketClock}) and decides every bucket, which makes the result independent of the number of shards and of
 * thread timing; when the clock seals a bucket, a seal record goes to every shard and the bucket's data-quality
 * figures to the flush agent.
 * <p>
 * Each capture stream has a clock of its own. When the source announces a new one
 * ({@link #onStreamStart(CaptureStream)}), every open bucket of the stream before is sealed, the flow cache is
 * flushed and the packet clock starts again from the new stream's first frame, so that the frames of each stream
 * count in contributions of their own and an older file after a newer one is never late. The streams are kept, by
 * index, in a {@link StreamRegistry} the flush agent reads; a source that announces none is one run. A live
 * source's buckets are also sealed by the wall clock, so that quiet links still flush.
 * <p>
 * Packets of the same key meet in a {@link FlowCache} first (with no entries it passes each packet on as its own
 * record) and cross to their shards as one record per local side: when their entry is wanted for another key,
 * before their bucket's seal, and at least every flush interval, so that the live view lags by no more than that.
 * <p>
 * A file source that finds a ring full waits (records spill in order and polling stops until they drain); a live
 * source drops the packet and counts it. Seals, figures and the records in the cache are never dropped.
 */
final class CaptureAgent implements Agent, FrameHandler, BucketClock.SealHandler
{
    static final int POLL_LIMIT = 256;

    private static final int STREAM_FRAMES = 0;
    private static final int STREAM_PACKETS = 1;
    private static final int STREAM_BYTES = 2;
    private static final int STREAM_LATE_PACKETS = 3;

    private final CaptureSource source;
    private final PacketDecoder decoder;
    private final LocalNetworks configuredNetworks;
    private LocalNetworks localNetworks;
    private List<String> learnedPrefixes = List.of();
    private long nextPrefixRefreshNs;
    private boolean prefixesAsked;
    private final RecordWriter[] shardWriters;
    private final RecordWriter qualityWriter;
    private final FlowCache cache;
    private final long cacheFlushIntervalNs;
    private long nextCacheFlushNs;
    private final EpochNanoClock wallClock;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final LiveRates rates;
    private final boolean live;
    private final BucketClock clock;
    private final DecodedPacket packet = new DecodedPacket();
    private final long[] totals = new long[TrafficCounter.count()];
    private final long[] published = new long[TrafficCounter.count()];
    private final StreamRegistry streams;
    private StreamRegistry.Entry stream;
    private final long[] streamBase = new long[4];
    private long streamFirstNs = Long.MAX_VALUE;
    private long publishedStreamFrames = -1;
    private long nowNs;
    private long lastKernelDrops;
    private long pendingKernelDrops;
    private boolean ended;
    private volatile boolean stopRequested;
    private volatile Throwable sourceFailure;

    CaptureAgent(
        final Context ctx,
        final PacketDecoder decoder,
        final RecordWriter[] shardWriters,
        final RecordWriter qualityWriter,
        final LiveRates rates,
        final StreamRegistry streams)
    {
        this.source = ctx.source();
        this.streams = streams;
        this.decoder = decoder;
        this.configuredNetworks = ctx.localNetworks();
        this.localNetworks = ctx.localNetworks();
        this.shardWriters = shardWriters;
        this.qualityWriter = qualityWriter;
        this.wallClock = ctx.clock();
        this.counters = ctx.counters();
        this.errorHandler = ctx.errorHandler();
        this.rates = rates;
        this.live = source.isLive();
        this.cache = new FlowCache(ctx.flowCacheEntries(), shardWriters, live, localNetworks);
        this.cacheFlushIntervalNs = ctx.liveIntervalNs();
        this.clock = new BucketClock(ctx.bucketWidthSeconds(), ctx.latenessNs(), this);
    }

    public String roleName()
    {
        return "traffic-capture";
    }

    public int doWork()
    {
        nowNs = wallClock.nanoTime();
        int workCount = drainSpills();
        if (!ended)
        {
            if (!live && hasSpill())
            {
                publishCounters();
                return workCount;
            }

            if (stopRequested || source.isEndOfStream())
            {
                finish();
                workCount++;
            }
            else
            {
                refreshLocalPrefixes();
                workCount += poll();
                workCount += flushCacheOnTime();
                updateKernelDrops();
                if (live)
                {
                    sealByWallClock();
                }
            }
        }

        publishCounters();
        return workCount;
    }

    public void onClose()
    {
        try
        {
            source.close();
        }
        finally
        {
            cache.close();
        }
    }

    void requestStop()
    {
        stopRequested = true;
    }

    boolean hasEnded()
    {
        return ended;
    }

    Throwable sourceFailure()
    {
        return sourceFailure;
    }

    public void onFrame(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs)
    {
        final FrameOutcome outcome = decoder.decode(
            buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet);
        onPacket(outcome, timestampNs, packet);
    }

    /**
     * Account for one frame already decoded: the entry point below {@link #onFrame}.
     *
     * @param outcome     what the decoder made of the frame.
     * @param timestampNs the frame's capture time.
     * @param packet      the decoded fields when the outcome is {@link FrameOutcome#DECODED}.
     */
    void onPacket(final FrameOutcome outcome, final long timestampNs, final DecodedPacket packet)
    {
        final BucketClock clock = this.clock;
        if (timestampNs > clock.timeNs())
        {
            if (Long.MIN_VALUE == clock.timeNs())
            {
                firstFrame(timestampNs);
            }
            clock.advanceTo(timestampNs);
        }
        else if (timestampNs < streamFirstNs)
        {
            streamFirstNs = timestampNs;
        }

        final long bucket = clock.bucketOf(timestampNs);
        final boolean late = clock.isLate(bucket);
        final long[] figures = clock.figures(bucket);
        figures[QualityFigures.FRAMES]++;
        figures[QualityFigures.OUTCOME_BASE + outcome.ordinal()]++;
        totals[TrafficCounter.FRAMES.ordinal()]++;

        if (FrameOutcome.DECODED != outcome)
        {
            if (FrameOutcome.NON_IP == outcome)
            {
                totals[TrafficCounter.NON_IP.ordinal()]++;
            }
            else
            {
                totals[TrafficCounter.MALFORMED.ordinal()]++;
                totals[TrafficCounter.malformed(outcome).ordinal()]++;
            }
            return;
        }

        if (late)
        {
            figures[QualityFigures.LATE_PACKETS]++;
            totals[TrafficCounter.LATE_PACKETS.ordinal()]++;
        }

        cachePacket(clock.startSecond(bucket), timestampNs, packet, figures);
    }

    /**
     * The frames that follow belong to a new stream: seal every bucket of the stream before, as at the end of a
     * stream, and start the packet clock again.
     *
     * @param next the stream that begins.
     */
    public void onStreamStart(final CaptureStream next)
    {
        endStream();
        clock.restart();
        rates.restart();
        beginStream(next);
    }

    private void countPacket(final long[] figures, final int bytes)
    {
        figures[QualityFigures.PACKETS]++;
        figures[QualityFigures.BYTES] += bytes;
        totals[TrafficCounter.PACKETS.ordinal()]++;
        totals[TrafficCounter.BYTES.ordinal()] += bytes;
    }

    // the flow cache classifies the addresses of a key's first packet only, and says how
    private void cachePacket(
        final long bucketStartSecond, final long timestampNs, final DecodedPacket packet, final long[] figures)
    {
        final int bytes = packet.ipBytes;
        final int classes = cache.add(bucketStartSecond, packet);
        if (FlowCache.REFUSED == classes)
        {
            figures[QualityFigures.RING_DROPS]++;
            totals[TrafficCounter.RING_DROPS.ordinal()]++;
            return;
        }

        if (0 == classes)
        {
            figures[QualityFigures.TRANSIT_PACKETS]++;
            figures[QualityFigures.TRANSIT_BYTES] += bytes;
            totals[TrafficCounter.TRANSIT_PACKETS.ordinal()]++;
        }
        countPacket(figures, bytes);
        rates.onPacket(
            timestampNs, bytes, 0 != (classes & FlowCache.DESTINATION_LOCAL), 0 != (classes & FlowCache.SOURCE_LOCAL));
    }

    // Off the per-packet path: every flush interval by the wall clock, so the live view of the open buckets lags by
    // no more than that; a live source whose rings are still spilling keeps its records until they drain.
    private int flushCacheOnTime()
    {
        if (nowNs - nextCacheFlushNs < 0)
        {
            return 0;
        }

        nextCacheFlushNs = nowNs + cacheFlushIntervalNs;
        if (live && hasSpill())
        {
            return 0;
        }

        return cache.flush(Long.MAX_VALUE);
    }

    // the first frame of a stream: off the per-packet path
    private void firstFrame(final long timestampNs)
    {
        if (!clock.isStarted())
        {
            startClock(timestampNs);
        }
        streamFirstNs = timestampNs;
        streamIndex();
    }

    private void startClock(final long timeNs)
    {
        clock.start(timeNs);
        if (pendingKernelDrops > 0)
        {
            clock.open(currentBucket())[QualityFigures.KERNEL_DROPS] += pendingKernelDrops;
            pendingKernelDrops = 0;
        }
    }

    /**
     * A bucket sealed by the clock: write out the flow cache's entries of it and up to it, a seal record to every
     * shard, and the bucket's figures to the flush agent.
     *
     * @param bucketStartSecond the bucket's start.
     * @param part              0 for the bucket's regular contribution, above 0 for a late one.
     * @param figures           the bucket's data-quality figures.
     */
    public void onSeal(final long bucketStartSecond, final int part, final long[] figures)
    {
        cache.flush(bucketStartSecond);

        for (final RecordWriter writer : shardWriters)
        {
            writer.claim(SEAL_MSG_TYPE_ID, SEAL_LENGTH);
            writer.buffer().putLong(writer.offset() + BUCKET_START_OFFSET, bucketStartSecond);
            writer.commit();
        }

        final int streamIndex = streamIndex();
        qualityWriter.claim(QualityRecordDescriptor.QUALITY_MSG_TYPE_ID, QualityRecordDescriptor.QUALITY_LENGTH);
        final MutableDirectBuffer buffer = qualityWriter.buffer();
        final int offset = qualityWriter.offset();
        buffer.putLong(offset + QualityRecordDescriptor.BUCKET_START_OFFSET, bucketStartSecond);
        buffer.putLong(offset + QualityRecordDescriptor.SEAL_TIME_OFFSET, nowNs);
        buffer.putInt(offset + QualityRecordDescriptor.STREAM_INDEX_OFFSET, streamIndex);
        buffer.putInt(offset + QualityRecordDescriptor.PART_OFFSET, part);
        for (int i = 0; i < QualityFigures.LENGTH; i++)
        {
            buffer.putLong(offset + QualityRecordDescriptor.figureOffset(i), figures[i]);
        }
        qualityWriter.commit();
    }

    // the stream the frames belong to; a source that announced none is one run, registered when it first counts
    private int streamIndex()
    {
        if (null == stream)
        {
            stream = streams.add(CaptureStream.newRun(source.name()));
        }

        return stream.index;
    }

    private void beginStream(final CaptureStream next)
    {
        stream = streams.add(next);
        // a contribution's numbers depend on its own packets only, so a replayed file counts as it did
        cache.forgetServers();
        streamFirstNs = Long.MAX_VALUE;
        publishedStreamFrames = -1;
        streamBase[STREAM_FRAMES] = totals[TrafficCounter.FRAMES.ordinal()];
        streamBase[STREAM_PACKETS] = totals[TrafficCounter.PACKETS.ordinal()];
        streamBase[STREAM_BYTES] = totals[TrafficCounter.BYTES.ordinal()];
        streamBase[STREAM_LATE_PACKETS] = totals[TrafficCounter.LATE_PACKETS.ordinal()];
    }

    // seal every bucket of the stream, late one included, and write out what the flow cache holds
    private void endStream()
    {
        clock.sealAll();
        cache.flush(Long.MAX_VALUE);
        publishStream(true);
    }

    private void publishStream(final boolean ended)
    {
        final StreamRegistry.Entry entry = stream;
        final long frames = totals[TrafficCounter.FRAMES.ordinal()] - streamBase[STREAM_FRAMES];
        if (null == entry || (frames == publishedStreamFrames && !ended))
        {
            return;
        }

        publishedStreamFrames = frames;
        if (frames > 0)
        {
            entry.firstTimestampNs = streamFirstNs;
            entry.lastTimestampNs = clock.timeNs();
        }
        entry.frames = frames;
        entry.packets = totals[TrafficCounter.PACKETS.ordinal()] - streamBase[STREAM_PACKETS];
        entry.bytes = totals[TrafficCounter.BYTES.ordinal()] - streamBase[STREAM_BYTES];
        entry.latePackets = totals[TrafficCounter.LATE_PACKETS.ordinal()] - streamBase[STREAM_LATE_PACKETS];
        if (ended)
        {
            entry.ended = true;
        }
    }

    private void sealByWallClock()
    {
        if (!clock.isStarted())
        {
            startClock(nowNs);
        }
        clock.sealBefore(nowNs);
    }

    // the bucket of counts that belong to no frame, such as kernel drops
    private long currentBucket()
    {
        return clock.currentBucket(live ? Math.max(clock.timeNs(), nowNs) : clock.timeNs());
    }

    private int poll()
    {
        try
        {
            return source.poll(this, POLL_LIMIT);
        }
        catch (final Exception ex)
        {
            sourceFailure = ex;
            errorHandler.onError(ex);
            finish();
            return 1;
        }
    }

    // Off the per-packet path: at most once per refresh period, and a new LocalNetworks only when the source's
    // prefixes changed. Files know none, so replaying a file stays deterministic.
    private void refreshLocalPrefixes()
    {
        if (prefixesAsked && nowNs - nextPrefixRefreshNs < 0)
        {
            return;
        }
        prefixesAsked = true;
        nextPrefixRefreshNs = nowNs + CaptureSource.LOCAL_PREFIXES_REFRESH_NS;

        try
        {
            final List<String> prefixes = source.localPrefixes();
            if (!prefixes.equals(learnedPrefixes))
            {
                localNetworks = prefixes.isEmpty() ? configuredNetworks : configuredNetworks.with(prefixes);
                learnedPrefixes = List.copyOf(prefixes);
                // the cache's entries were classified by the old networks
                cache.flush(Long.MAX_VALUE);
                cache.localNetworks(localNetworks);
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void updateKernelDrops()
    {
        if (ended)
        {
            return;
        }

        final long drops = source.kernelDrops();
        final long delta = drops - lastKernelDrops;
        if (delta > 0)
        {
            lastKernelDrops = drops;
            totals[TrafficCounter.KERNEL_DROPS.ordinal()] += delta;
            if (clock.isStarted())
            {
                clock.open(currentBucket())[QualityFigures.KERNEL_DROPS] += delta;
            }
            else
            {
                pendingKernelDrops += delta;
            }
        }
    }

    private void finish()
    {
        endStream();

        for (final RecordWriter writer : shardWriters)
        {
            writer.claim(END_OF_STREAM_MSG_TYPE_ID, END_OF_STREAM_LENGTH);
            writer.buffer().putLong(writer.offset(), 0);
            writer.commit();
        }

        qualityWriter.claim(
            QualityRecordDescriptor.END_OF_STREAM_MSG_TYPE_ID, QualityRecordDescriptor.END_OF_STREAM_LENGTH);
        qualityWriter.buffer().putLong(qualityWriter.offset(), 0);
        qualityWriter.commit();
        ended = true;
    }

    private int drainSpills()
    {
        int moved = 0;
        for (final RecordWriter writer : shardWriters)
        {
            if (writer.hasSpill())
            {
                moved += writer.drain();
            }
        }

        if (qualityWriter.hasSpill())
        {
            moved += qualityWriter.drain();
        }

        return moved;
    }

    boolean hasSpill()
    {
        for (final RecordWriter writer : shardWriters)
        {
            if (writer.hasSpill())
            {
                return true;
            }
        }

        return qualityWriter.hasSpill();
    }

    private void publishCounters()
    {
        rates.publish();
        publishStream(false);
        for (int i = 0; i < totals.length; i++)
        {
            if (totals[i] != published[i])
            {
                counters.addOrdered(TrafficCounter.get(i), totals[i] - published[i]);
                published[i] = totals[i];
            }
        }
    }
}
