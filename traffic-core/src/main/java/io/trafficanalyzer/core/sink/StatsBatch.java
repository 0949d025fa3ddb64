package io.trafficanalyzer.core.sink;

/**
 * One contribution to a time bucket as seen by a {@link StatsSink}: who made it, its time range and its data-quality
 * figures. Its rows are delivered through {@link StatsSink#onRow(StatsRow)}.
 * <p>
 * A contribution is identified by {@link #agent()}, {@link #stream()}'s id, {@link #startEpochSecond()} and
 * {@link #part()}. One stream contributes once to each bucket (part 0), and again (a higher part) for each group of
 * its packets that arrived after the bucket was sealed. Contributions of different identities add up; a
 * contribution delivered again (a retry, a replay of the same file) replaces the one of the same identity.
 */
public interface StatsBatch
{
    /**
     * Name of the analyzer instance that captured the packets, e.g. the host name.
     *
     * @return the agent name.
     */
    String agent();

    /**
     * The stream of frames the packets came from: a capture file or a run of a live capture.
     *
     * @return the stream.
     */
    io.trafficanalyzer.core.capture.CaptureStream stream();

    /**
     * 0 for the stream's contribution to the bucket when the bucket was sealed; a higher number, unique within the
     * stream and the same when the stream is read again, for packets that arrived after that (late packets).
     *
     * @return the part number.
     */
    int part();

    /**
     * Start of the bucket, seconds since the Unix epoch (UTC), a multiple of {@link #widthSeconds()} for
     * ordinary buckets.
     *
     * @return the start.
     */
    long startEpochSecond();

    /**
     * Width of the bucket in seconds; larger than the configured width when pending buckets were merged
     * while a sink was failing.
     *
     * @return the width.
     */
    int widthSeconds();

    /**
     * Data-quality figures of the bucket.
     *
     * @return the figures.
     */
    BucketQuality quality();

    /**
     * Number of rows the batch holds across all views.
     *
     * @return the row count.
     */
    int rowCount();
}
