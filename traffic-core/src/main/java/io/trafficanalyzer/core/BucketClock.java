package io.trafficanalyzer.core;

import io.trafficanalyzer.core.sink.QualityFigures;

import java.util.Arrays;

/**
 * The capture agent's packet clock: which bucket a timestamp falls in, which buckets are open, when each is sealed,
 * and the data-quality figures of every open bucket. The open buckets live in a ring of slots, bucket b in slot
 * {@code b mod openBuckets}; frames of a bucket already sealed count in the one late bucket. Sealing a bucket hands
 * its figures to a {@link SealHandler}, then clears them.
 * <p>
 * Single-threaded: the capture agent's. Nothing allocates after construction. The rules:
 * <ul>
 * <li>a frame at time t belongs to bucket {@code floor(t / width)}, always;</li>
 * <li>bucket b is sealed once the packet clock (the latest timestamp seen) reaches {@code end(b) + lateness}, on a
 * live source also once the wall clock does ({@link #sealBefore(long)}), and at the end of the stream
 * ({@link #sealAll()}): that is the stream's contribution to the bucket, part 0;</li>
 * <li>a frame whose bucket is already sealed is late: it counts in a late bucket of its own timestamp, a further
 * contribution of the stream to that bucket with a part number of its own (1 + the number of buckets the stream had
 * sealed when the late bucket opened: the same each time the same stream is read). One late bucket is open at a
 * time; it is sealed whenever the oldest open bucket moves on, when a late frame of another bucket needs it, and at
 * the end of the stream.</li>
 * </ul>
 * What stays approximate: memory is bounded by one late bucket, so a stream whose timestamps jump back and forth
 * between many old buckets makes many small contributions (each counted once, but many rows for a store). A live
 * source's frames stamped behind the wall clock are late too, and its parts depend on timing; a run is never read
 * again, so nothing has to replace them.
 */
final class BucketClock
{
    /**
     * Buckets of late packets open at once, besides those within the lateness: shards and views need room for them.
     */
    static final int LATE_BUCKETS = 1;

    private static final long NO_BUCKET = Long.MIN_VALUE;

    /**
     * Receives each sealed bucket: the stream's contribution to it.
     */
    @FunctionalInterface
    interface SealHandler
    {
        /**
         * One bucket sealed; its figures are cleared when this returns.
         *
         * @param bucketStartSecond the bucket's start.
         * @param part              0 for the bucket's regular contribution, above 0 for a late one.
         * @param figures           the bucket's data-quality figures, {@link QualityFigures} indices.
         */
        void onSeal(long bucketStartSecond, int part, long[] figures);
    }

    private final SealHandler handler;
    private final long widthNs;
    private final long widthSeconds;
    private final long latenessNs;
    private final int openBuckets;
    private final long[][] quality;
    private final long[] slotBucket;
    private final boolean[] active;
    private final long[] lateFigures = new long[QualityFigures.LENGTH];
    private long lateBucket = NO_BUCKET;
    private int latePart;
    private int streamSeals;
    private boolean started;
    private long timeNs = Long.MIN_VALUE;
    private long sealedUpTo;
    private long nextSealNs;
    private long cachedBucket = Long.MIN_VALUE;
    private long cachedBucketStartNs = Long.MAX_VALUE;
    private long cachedBucketEndNs = Long.MIN_VALUE;
    private long figuresBucket = NO_BUCKET;
    private long[] bucketFigures;

    /**
     * A clock of buckets of a given width.
     *
     * @param bucketWidthSeconds width of a bucket.
     * @param latenessNs         how long a bucket stays open after its end.
     * @param handler            receives each sealed bucket.
     */
    BucketClock(final int bucketWidthSeconds, final long latenessNs, final SealHandler handler)
    {
        this.handler = handler;
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

    /**
     * Whether the clock has a first time, from a frame or the wall clock.
     *
     * @return true once started.
     */
    boolean isStarted()
    {
        return started;
    }

    /**
     * Start the clock at a time: the buckets before it, less the lateness, count as sealed.
     *
     * @param startNs the time, nanoseconds since the epoch.
     */
    void start(final long startNs)
    {
        started = true;
        sealedUpTo = Math.floorDiv(startNs - latenessNs, widthNs);
        nextSealNs = (sealedUpTo + 1) * widthNs + latenessNs;
    }

    /**
     * The packet clock: the latest frame time of the stream.
     *
     * @return nanoseconds since the epoch, or {@link Long#MIN_VALUE} before the stream's first frame.
     */
    long timeNs()
    {
        return timeNs;
    }

    /**
     * Move the packet clock on to a later frame time, sealing the buckets it leaves behind past the lateness.
     *
     * @param frameNs a time after {@link #timeNs()}.
     */
    void advanceTo(final long frameNs)
    {
        timeNs = frameNs;
        if (frameNs >= nextSealNs)
        {
            sealUpTo(Math.floorDiv(frameNs - latenessNs, widthNs));
        }
    }

    /**
     * The bucket of a time.
     *
     * @param timestampNs nanoseconds since the epoch.
     * @return the bucket number, {@code floor(t / width)}.
     */
    long bucketOf(final long timestampNs)
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

    /**
     * The start of a bucket.
     *
     * @param bucket the bucket number.
     * @return seconds since the epoch.
     */
    long startSecond(final long bucket)
    {
        return bucket * widthSeconds;
    }

    /**
     * Whether a bucket was sealed already, so that its frames are late.
     *
     * @param bucket the bucket number.
     * @return true for a late bucket.
     */
    boolean isLate(final long bucket)
    {
        return bucket < sealedUpTo;
    }

    /**
     * The figures a frame of a bucket counts in: the bucket's own while it is open, the late bucket's once sealed.
     *
     * @param bucket the bucket number.
     * @return the figures, {@link QualityFigures} indices.
     */
    long[] figures(final long bucket)
    {
        if (bucket == figuresBucket)
        {
            return bucketFigures;
        }

        final long[] figures = bucket < sealedUpTo ? openLate(bucket) : open(bucket);
        figuresBucket = bucket;
        bucketFigures = figures;

        return figures;
    }

    /**
     * The bucket the clock stands in now, kept within the open buckets: for counts that belong to no frame.
     *
     * @param nowNs the time now, or {@link Long#MIN_VALUE} for the last bucket sealed up to.
     * @return the bucket number.
     */
    long currentBucket(final long nowNs)
    {
        final long bucket = nowNs == Long.MIN_VALUE ? sealedUpTo : Math.floorDiv(nowNs, widthNs);

        return Math.max(sealedUpTo, Math.min(bucket, sealedUpTo + openBuckets - 1));
    }

    /**
     * Open a regular bucket, sealing the one before it in its slot.
     *
     * @param bucket the bucket number, not late.
     * @return its figures.
     */
    long[] open(final long bucket)
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

    /**
     * Seal the buckets that end, with the lateness, before a time: for a live source's wall clock.
     *
     * @param nowNs nanoseconds since the epoch.
     */
    void sealBefore(final long nowNs)
    {
        sealUpTo(Math.floorDiv(nowNs - latenessNs, widthNs));
    }

    /**
     * Seal every open bucket, the late one included: the stream ends.
     */
    void sealAll()
    {
        if (NO_BUCKET != lateBucket)
        {
            sealLate();
        }

        if (started)
        {
            sealUpTo(sealedUpTo + openBuckets);
        }
    }

    /**
     * Start again for a new stream, after {@link #sealAll()}: no time, no seals yet.
     */
    void restart()
    {
        started = false;
        timeNs = Long.MIN_VALUE;
        figuresBucket = NO_BUCKET;
        streamSeals = 0;
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

    private void seal(final long bucket)
    {
        final int slot = (int)Math.floorMod(bucket, (long)openBuckets);
        if (!active[slot] || slotBucket[slot] != bucket)
        {
            return;
        }

        seal(bucket, 0, quality[slot]);
        active[slot] = false;
    }

    private void sealLate()
    {
        final long bucket = lateBucket;
        lateBucket = NO_BUCKET;
        seal(bucket, latePart, lateFigures);
    }

    private void seal(final long bucket, final int part, final long[] figures)
    {
        handler.onSeal(bucket * widthSeconds, part, figures);
        Arrays.fill(figures, 0);
        streamSeals++;
        figuresBucket = NO_BUCKET;
    }
}
