package io.trafficanalyzer.core.sink;

/**
 * One sealed time bucket as seen by a {@link StatsSink}: its time range and its data-quality figures.
 * Its rows are delivered through {@link StatsSink#onRow(StatsRow)}.
 */
public interface StatsBatch
{
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
