package io.trafficanalyzer.core.aggregate;

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

import java.util.Arrays;
import java.util.List;

import static io.trafficanalyzer.core.aggregate.PacketRecordDescriptor.*;

/**
 * Polls the capture source, decodes and classifies each frame, assigns it to its time bucket and writes packet
 * records to the ring buffer of the shard that owns the local host. It alone owns the packet clock and decides
 * every bucket, which makes the result independent of the number of shards and of thread timing:
 * <ul>
 * <li>a frame at time t belongs to bucket {@code floor(t / width)}, always;</li>
 * <li>bucket b is sealed once the packet clock (the latest timestamp seen) reaches {@code end(b) + lateness}, on a
 * live source also once the wall clock does, and at the end of the stream: a seal record goes to every shard and
 * the bucket's data-quality figures to the flush agent. That is the stream's contribution to the bucket, part 0;</li>
 * <li>a frame whose bucket is already sealed is late: it counts in a late bucket of its own timestamp, a further
 * contribution of the stream to that bucket with a part number of its own (1 + the number of buckets the stream had
 * sealed when the late bucket opened: the same each time the same stream is read). One late bucket is open at a
 * time; it is sealed whenever the oldest open bucket moves on, when a late frame of another bucket needs it, and at
 * the end of the stream.</li>
 * </ul>
 * <p>
 * Each capture stream has a clock of its own. When the source announces a new one
 * ({@link #onStreamStart(CaptureStream)}), every open bucket of the stream before is sealed, the flow cache is
 * flushed and the packet clock starts again from the new stream's first frame, so that the frames of each stream
 * count in contributions of their own and an older file after a newer one is never late. The streams are kept, by
 * index, in a {@link StreamRegistry} the flush agent reads; a source that announces none is one run.
 * <p>
 * What stays approximate: memory is bounded by one late bucket, so a stream whose timestamps jump back and forth
 * between many old buckets makes many small contributions (each counted once, but many rows for a store). A live
 * source's buckets are also sealed by the wall clock, so its frames stamped behind it (a clock stepping back, a
 * capture that lags) are late too, and its parts depend on timing; a run is never read again, so nothing has to
 * replace them.
 * <p>
 * Packets of the same key meet in a {@link FlowCache} first (with no entries it passes each packet on as its own
 * record) and cross to their shards as one record per local side: when their entry is wanted for another key,
 * before their bucket's seal, and at least every flush interval, so that the live view lags by no more than that.
 * <p>
 * A file source that finds a ring full waits (records spill in order and polling stops until they drain); a live
 * source drops the packet and counts it. Seals, figures and the records in the cache are never dropped.
 */
final class CaptureAgent implements Agent, FrameHandler
{
    static final int POLL_LIMIT = 256;

    /**
     * Buckets of late packets open at once, besides those within the lateness: shards and views need room for them.
     */
    static final int LATE_BUCKETS = 1;

    private static final long NO_BUCKET = Long.MIN_VALUE;
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
    private final EpochNanoClock clock;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final LiveRates rates;
    private final boolean live;
    private final long widthNs;
    private final long widthSeconds;
    private final long latenessNs;
    private final int openBuckets;
    private final DecodedPacket packet = new DecodedPacket();
    private final long[][] quality;
    private final long[] slotBucket;
    private final boolean[] active;
    private final long[] totals = new long[TrafficCounter.count()];
    private final long[] published = new long[TrafficCounter.count()];
    private final StreamRegistry streams;
    private StreamRegistry.Entry stream;
    private final long[] streamBase = new long[4];
    private long streamFirstNs = Long.MAX_VALUE;
    private long publishedStreamFrames = -1;
    private int streamSeals;
    private long lateBucket = NO_BUCKET;
    private int latePart;
    private final long[] lateFigures = new long[QualityFigures.LENGTH];
    private boolean initialised;
    private long clockNs = Long.MIN_VALUE;
    private long sealedUpTo;
    private long nextSealNs;
    private long cachedBucket = Long.MIN_VALUE;
    private long cachedBucketStartNs = Long.MAX_VALUE;
    private long cachedBucketEndNs = Long.MIN_VALUE;
    private long figuresBucket = NO_BUCKET;
    private long[] bucketFigures;
    private long nowNs;
    private long lastKernelDrops;
    private long pendingKernelDrops;
    private boolean ended;
    private volatile boolean stopRequested;
    private volatile Throwable sourceFailure;

    CaptureAgent(
        final CaptureSource source,
        final PacketDecoder decoder,
        final LocalNetworks localNetworks,
        final RecordWriter[] shardWriters,
        final RecordWriter qualityWriter,
        final int flowCacheEntries,
        final long cacheFlushIntervalNs,
        final int bucketWidthSeconds,
        final long latenessNs,
        final EpochNanoClock clock,
        final TrafficCounters counters,
        final ErrorHandler errorHandler,
        final LiveRates rates,
        final StreamRegistry streams)
    {
        this.source = source;
        this.streams = streams;
        this.decoder = decoder;
        this.configuredNetworks = localNetworks;
        this.localNetworks = localNetworks;
        this.shardWriters = shardWriters;
        this.qualityWriter = qualityWriter;
        this.clock = clock;
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.rates = rates;
        this.live = source.isLive();
        this.cache = new FlowCache(flowCacheEntries, shardWriters, live, localNetworks);
        this.cacheFlushIntervalNs = cacheFlushIntervalNs;
        this.widthSeconds = bucketWidthSeconds;
        this.widthNs = bucketWidthSeconds * 1_000_000_000L;
        this.latenessNs = latenessNs;
        this.openBuckets = openBuckets(bucketWidthSeconds, latenessNs);
        this.quality = new long[openBuckets][QualityFigures.LENGTH];
        this.slotBucket = new long[openBuckets];
        this.active = new boolean[openBuckets];
    }

    /**
     * Most regular buckets open at once: the bucket of the packet clock and those still within the lateness behind
     * it; the late bucket comes on top ({@link #LATE_BUCKETS}).
     *
     * @param bucketWidthSeconds width of a bucket.
     * @param latenessNs         allowed lateness.
     * @return the count.
     */
    static int openBuckets(final int bucketWidthSeconds, final long latenessNs)
    {
        final long widthNs = bucketWidthSeconds * 1_000_000_000L;
        return (int)(1 + (latenessNs + widthNs - 1) / widthNs);
    }

    public String roleName()
    {
        return "traffic-capture";
    }

    public int doWork()
    {
        nowNs = clock.nanoTime();
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
        if (timestampNs > clockNs)
        {
            if (Long.MIN_VALUE == clockNs)
            {
                firstFrame(timestampNs);
            }
            clockNs = timestampNs;
            if (timestampNs >= nextSealNs)
            {
                sealUpTo(Math.floorDiv(timestampNs - latenessNs, widthNs));
            }
        }
        else if (timestampNs < streamFirstNs)
        {
            streamFirstNs = timestampNs;
        }

        final long bucket = bucketOf(timestampNs);
        final boolean late = bucket < sealedUpTo;
        final long[] figures;
        if (bucket == figuresBucket)
        {
            figures = bucketFigures;
        }
        else
        {
            figures = late ? openLate(bucket) : open(bucket);
            figuresBucket = bucket;
            bucketFigures = figures;
        }
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

        cachePacket(bucket * widthSeconds, timestampNs, packet, figures);
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
        initialised = false;
        clockNs = Long.MIN_VALUE;
        figuresBucket = NO_BUCKET;
        streamSeals = 0;
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
        final boolean hasPorts = packet.hasPorts();
        final int servicePort = hasPorts ? Math.min(packet.srcPort, packet.dstPort) : DecodedPacket.NO_PORT;
        final int flags = (packet.fragment ? FRAGMENT_FLAG : 0) |
            (hasPorts && packet.srcPort == servicePort ? FlowCache.SERVICE_AT_SOURCE : 0) |
            (hasPorts && packet.dstPort == servicePort ? FlowCache.SERVICE_AT_DESTINATION : 0);

        final int classes = cache.add(
            bucketStartSecond, packet.srcHi, packet.srcLo, packet.dstHi, packet.dstLo, servicePort, packet.vlanId,
            packet.protocol, flags, packet.ipVersion, packet.dscp, bytes);
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
        if (!initialised)
        {
            initialise(timestampNs);
        }
        streamFirstNs = timestampNs;
        streamIndex();
    }

    private void initialise(final long timeNs)
    {
        initialised = true;
        sealedUpTo = Math.floorDiv(timeNs - latenessNs, widthNs);
        nextSealNs = (sealedUpTo + 1) * widthNs + latenessNs;
        if (pendingKernelDrops > 0)
        {
            open(currentBucket())[QualityFigures.KERNEL_DROPS] += pendingKernelDrops;
            pendingKernelDrops = 0;
        }
    }

    private long[] open(final long bucket)
    {
        final int slot = (int)Math.floorMod(bucket, (long)openBuckets);
        if (active[slot] && slotBucket[slot] != bucket)
        {
            seal(slotBucket[slot]);
        }

        if (!active[slot])
        {
            active[slot] = true;
            slotBucket[slot] = bucket;
        }

        return quality[slot];
    }

    // a frame of a bucket already sealed: into the late bucket, which holds one bucket's late frames at a time
    private long[] openLate(final long bucket)
    {
        if (NO_BUCKET != lateBucket && lateBucket != bucket)
        {
            sealLate();
        }

        if (NO_BUCKET == lateBucket)
        {
            lateBucket = bucket;
            // what the stream has sealed so far decides the part, so a stream read again gives the same parts
            latePart = 1 + streamSeals;
        }

        return lateFigures;
    }

    private void sealUpTo(final long target)
    {
        if (target <= sealedUpTo)
        {
            return;
        }

        if (NO_BUCKET != lateBucket)
        {
            sealLate();
        }

        final long end = Math.min(target, sealedUpTo + openBuckets);
        for (long bucket = sealedUpTo; bucket < end; bucket++)
        {
            seal(bucket);
        }
        sealedUpTo = target;
        nextSealNs = (sealedUpTo + 1) * widthNs + latenessNs;
    }

    private long bucketOf(final long timestampNs)
    {
        if (timestampNs >= cachedBucketStartNs && timestampNs < cachedBucketEndNs)
        {
            return cachedBucket;
        }

        final long bucket = Math.floorDiv(timestampNs, widthNs);
        cachedBucket = bucket;
        cachedBucketStartNs = bucket * widthNs;
        cachedBucketEndNs = cachedBucketStartNs + widthNs;

        return bucket;
    }

    private void seal(final long bucket)
    {
        final int slot = (int)Math.floorMod(bucket, (long)openBuckets);
        if (!active[slot] || slotBucket[slot] != bucket)
        {
            return;
        }

        writeSeal(bucket, 0, quality[slot]);
        active[slot] = false;
    }

    private void sealLate()
    {
        final long bucket = lateBucket;
        lateBucket = NO_BUCKET;
        writeSeal(bucket, latePart, lateFigures);
    }

    private void writeSeal(final long bucket, final int part, final long[] figures)
    {
        final long bucketStartSecond = bucket * widthSeconds;
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

        Arrays.fill(figures, 0);
        streamSeals++;
        figuresBucket = NO_BUCKET;
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
        if (NO_BUCKET != lateBucket)
        {
            sealLate();
        }

        if (initialised)
        {
            sealUpTo(sealedUpTo + openBuckets);
        }

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
            entry.lastTimestampNs = clockNs;
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
        if (!initialised)
        {
            initialise(nowNs);
        }
        sealUpTo(Math.floorDiv(nowNs - latenessNs, widthNs));
    }

    private long currentBucket()
    {
        final long timeNs = live ? Math.max(clockNs, nowNs) : clockNs;
        final long bucket = timeNs == Long.MIN_VALUE ? sealedUpTo : Math.floorDiv(timeNs, widthNs);

        return Math.max(sealedUpTo, Math.min(bucket, sealedUpTo + openBuckets - 1));
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
            if (initialised)
            {
                open(currentBucket())[QualityFigures.KERNEL_DROPS] += delta;
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
