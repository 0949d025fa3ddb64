package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.List;

/**
 * What the {@link SinkWorker}s of one analyzer share: the view names of their buckets, the bound of each queue, the
 * widest bucket a merge may make, the retry back-off, and the counters, error handler and clock they report to.
 * Filled in once and read by each worker as it is made; it has no defaults, the analyzer's configuration has them.
 */
public final class SinkWorkerSettings
{
    private List<String> views;
    private int queueCapacity;
    private long maxMergedWidthSeconds;
    private long minBackoffNs;
    private long maxBackoffNs;
    private TrafficCounters counters;
    private ErrorHandler errorHandler;
    private NanoClock clock;

    /**
     * The view names of the buckets, for merging.
     *
     * @param views the names, in the buckets' order.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings views(final List<String> views)
    {
        this.views = views;
        return this;
    }

    /**
     * The view names of the buckets.
     *
     * @return the names.
     */
    public List<String> views()
    {
        return views;
    }

    /**
     * The most buckets a worker keeps pending.
     *
     * @param queueCapacity at least 2.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings queueCapacity(final int queueCapacity)
    {
        this.queueCapacity = queueCapacity;
        return this;
    }

    /**
     * The most buckets a worker keeps pending.
     *
     * @return the capacity.
     */
    public int queueCapacity()
    {
        return queueCapacity;
    }

    /**
     * The widest bucket a merge of two pending buckets may produce.
     *
     * @param maxMergedWidthSeconds the width in seconds.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings maxMergedWidthSeconds(final long maxMergedWidthSeconds)
    {
        this.maxMergedWidthSeconds = maxMergedWidthSeconds;
        return this;
    }

    /**
     * The widest bucket a merge may produce.
     *
     * @return the width in seconds.
     */
    public long maxMergedWidthSeconds()
    {
        return maxMergedWidthSeconds;
    }

    /**
     * The delay before the first retry of a failed delivery.
     *
     * @param minBackoffNs the delay in nanoseconds.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings minBackoffNs(final long minBackoffNs)
    {
        this.minBackoffNs = minBackoffNs;
        return this;
    }

    /**
     * The delay before the first retry.
     *
     * @return the delay in nanoseconds.
     */
    public long minBackoffNs()
    {
        return minBackoffNs;
    }

    /**
     * The longest delay between retries; a shorter one than {@link #minBackoffNs()} counts as that.
     *
     * @param maxBackoffNs the delay in nanoseconds.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings maxBackoffNs(final long maxBackoffNs)
    {
        this.maxBackoffNs = maxBackoffNs;
        return this;
    }

    /**
     * The longest delay between retries.
     *
     * @return the delay in nanoseconds.
     */
    public long maxBackoffNs()
    {
        return maxBackoffNs;
    }

    /**
     * Where the workers add their delivery counters.
     *
     * @param counters the analyzer's counters.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings counters(final TrafficCounters counters)
    {
        this.counters = counters;
        return this;
    }

    /**
     * Where the workers add their delivery counters.
     *
     * @return the counters.
     */
    public TrafficCounters counters()
    {
        return counters;
    }

    /**
     * What the workers tell of every failed delivery.
     *
     * @param errorHandler the handler.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * What the workers tell of every failed delivery.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * The clock of the back-off and the close timeout.
     *
     * @param clock a nanosecond clock.
     * @return this for a fluent API.
     */
    public SinkWorkerSettings clock(final NanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * The clock of the back-off and the close timeout.
     *
     * @return the clock.
     */
    public NanoClock clock()
    {
        return clock;
    }
}
