package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.status.Logging;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;

import java.util.ArrayList;
import java.util.List;

/**
 * The already validated settings a {@link Pipeline} is assembled from; filled by the analyzer's builder, which
 * checks every value and names the bad one. Fluent setters, accessors of the same name.
 */
public final class PipelineSettings
{
    /** Flow cache entries unless set: 16 384, 1 MiB. */
    public static final int DEFAULT_FLOW_CACHE_ENTRIES = 16 * 1024;

    private CaptureSource source;
    private String agent = localHostName();
    private LocalNetworks localNetworks = LocalNetworks.privateRanges();
    private int bucketWidthSeconds = 10;
    private long latenessNs = 2_000_000_000L;
    private int shards = 1;
    private List<AggregatorProvider> aggregators = new ArrayList<>();
    private int maxKeysPerBucket = 16 * 1024;
    private int ringBufferCapacity = 4 * 1024 * 1024;
    private int flowCacheEntries = DEFAULT_FLOW_CACHE_ENTRIES;
    private List<BucketListener> listeners = new ArrayList<>();
    private List<SinkWorker> sinkWorkers = new ArrayList<>();
    private TrafficCounters counters = new TrafficCounters();
    private ErrorHandler errorHandler = Logging.errorHandler();
    private EpochNanoClock clock = new SystemEpochNanoClock();
    private boolean liveView = true;
    private int liveWindowSeconds = 60;

    /**
     * The capture source.
     *
     * @param source the source.
     * @return this for a fluent API.
     */
    public PipelineSettings source(final CaptureSource source)
    {
        this.source = source;
        return this;
    }

    /**
     * The capture source.
     *
     * @return the source.
     */
    public CaptureSource source()
    {
        return source;
    }

    /**
     * Name of this analyzer instance, carried by every bucket it seals.
     *
     * @param agent the name, e.g. the host name.
     * @return this for a fluent API.
     */
    public PipelineSettings agent(final String agent)
    {
        this.agent = agent;
        return this;
    }

    /**
     * Name of this analyzer instance, carried by every bucket it seals; the host name unless set.
     *
     * @return the name.
     */
    public String agent()
    {
        return agent;
    }

    /**
     * The local networks that decide direction.
     *
     * @param localNetworks the networks.
     * @return this for a fluent API.
     */
    public PipelineSettings localNetworks(final LocalNetworks localNetworks)
    {
        this.localNetworks = localNetworks;
        return this;
    }

    /**
     * The local networks that decide direction.
     *
     * @return the networks.
     */
    public LocalNetworks localNetworks()
    {
        return localNetworks;
    }

    /**
     * Width of a time bucket.
     *
     * @param seconds 1 to 3600.
     * @return this for a fluent API.
     */
    public PipelineSettings bucketWidthSeconds(final int seconds)
    {
        this.bucketWidthSeconds = seconds;
        return this;
    }

    /**
     * Width of a time bucket.
     *
     * @return seconds.
     */
    public int bucketWidthSeconds()
    {
        return bucketWidthSeconds;
    }

    /**
     * How long past its end a bucket stays open for late packets.
     *
     * @param latenessNs nanoseconds, 0 or more.
     * @return this for a fluent API.
     */
    public PipelineSettings latenessNs(final long latenessNs)
    {
        this.latenessNs = latenessNs;
        return this;
    }

    /**
     * How long past its end a bucket stays open for late packets.
     *
     * @return nanoseconds.
     */
    public long latenessNs()
    {
        return latenessNs;
    }

    /**
     * Number of aggregator shards.
     *
     * @param shards 1 or more.
     * @return this for a fluent API.
     */
    public PipelineSettings shards(final int shards)
    {
        this.shards = shards;
        return this;
    }

    /**
     * Number of aggregator shards.
     *
     * @return the count.
     */
    public int shards()
    {
        return shards;
    }

    /**
     * The views, in order.
     *
     * @param aggregators one provider per view, names unique.
     * @return this for a fluent API.
     */
    public PipelineSettings aggregators(final List<AggregatorProvider> aggregators)
    {
        this.aggregators = new ArrayList<>(aggregators);
        return this;
    }

    /**
     * The views, in order.
     *
     * @return the providers.
     */
    public List<AggregatorProvider> aggregators()
    {
        return aggregators;
    }

    /**
     * Keys per bucket and view before folding, divided among the shards.
     *
     * @param maxKeys 1 or more.
     * @return this for a fluent API.
     */
    public PipelineSettings maxKeysPerBucket(final int maxKeys)
    {
        this.maxKeysPerBucket = maxKeys;
        return this;
    }

    /**
     * Keys per bucket and view before folding, divided among the shards.
     *
     * @return the limit.
     */
    public int maxKeysPerBucket()
    {
        return maxKeysPerBucket;
    }

    /**
     * Entries of the capture agent's flow cache, where packets of the same record key are counted together before
     * they cross to the shards: 0 to send each packet on its own, else a power of two from 4 to 2^24.
     *
     * @param entries the number of entries.
     * @return this for a fluent API.
     */
    public PipelineSettings flowCacheEntries(final int entries)
    {
        this.flowCacheEntries = entries;
        return this;
    }

    /**
     * Entries of the capture agent's flow cache; 0 when it is off.
     *
     * @return the number of entries.
     */
    public int flowCacheEntries()
    {
        return flowCacheEntries;
    }

    /**
     * Capacity of each ring buffer in bytes.
     *
     * @param capacity a power of two, at least 4096.
     * @return this for a fluent API.
     */
    public PipelineSettings ringBufferCapacity(final int capacity)
    {
        this.ringBufferCapacity = capacity;
        return this;
    }

    /**
     * Capacity of each ring buffer in bytes.
     *
     * @return the capacity.
     */
    public int ringBufferCapacity()
    {
        return ringBufferCapacity;
    }

    /**
     * Listeners told of each sealed bucket.
     *
     * @param listeners the listeners.
     * @return this for a fluent API.
     */
    public PipelineSettings listeners(final List<BucketListener> listeners)
    {
        this.listeners = new ArrayList<>(listeners);
        return this;
    }

    /**
     * Listeners told of each sealed bucket.
     *
     * @return the listeners.
     */
    public List<BucketListener> listeners()
    {
        return listeners;
    }

    /**
     * The workers of the sinks.
     *
     * @param sinkWorkers one per sink.
     * @return this for a fluent API.
     */
    public PipelineSettings sinkWorkers(final List<SinkWorker> sinkWorkers)
    {
        this.sinkWorkers = new ArrayList<>(sinkWorkers);
        return this;
    }

    /**
     * The workers of the sinks.
     *
     * @return the workers.
     */
    public List<SinkWorker> sinkWorkers()
    {
        return sinkWorkers;
    }

    /**
     * Where the agents count.
     *
     * @param counters the counters.
     * @return this for a fluent API.
     */
    public PipelineSettings counters(final TrafficCounters counters)
    {
        this.counters = counters;
        return this;
    }

    /**
     * Where the agents count.
     *
     * @return the counters.
     */
    public TrafficCounters counters()
    {
        return counters;
    }

    /**
     * Told of every error of the agents.
     *
     * @param errorHandler the handler.
     * @return this for a fluent API.
     */
    public PipelineSettings errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * Told of every error of the agents.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * The wall clock, for live sealing and the flush lag.
     *
     * @param clock the clock.
     * @return this for a fluent API.
     */
    public PipelineSettings clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * The wall clock, for live sealing and the flush lag.
     *
     * @return the clock.
     */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * Whether the live view is kept.
     *
     * @param enabled true to keep it.
     * @return this for a fluent API.
     */
    public PipelineSettings liveView(final boolean enabled)
    {
        this.liveView = enabled;
        return this;
    }

    /**
     * Whether the live view is kept.
     *
     * @return true when kept.
     */
    public boolean liveView()
    {
        return liveView;
    }

    /**
     * The window of the live view.
     *
     * @param seconds 1 to 3600.
     * @return this for a fluent API.
     */
    public PipelineSettings liveWindowSeconds(final int seconds)
    {
        this.liveWindowSeconds = seconds;
        return this;
    }

    /**
     * The window of the live view.
     *
     * @return seconds.
     */
    public int liveWindowSeconds()
    {
        return liveWindowSeconds;
    }

    /**
     * The name of this host as the system knows it, without asking a name server: the HOSTNAME variable of the
     * environment, else the kernel's host name, else "localhost".
     *
     * @return the host name.
     */
    public static String localHostName()
    {
        final String fromEnvironment = System.getenv("HOSTNAME");
        if (null != fromEnvironment && !fromEnvironment.isBlank())
        {
            return fromEnvironment.trim();
        }

        try
        {
            final String kernel = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"));
            if (!kernel.isBlank())
            {
                return kernel.trim();
            }
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            // not Linux: fall back to the JDK, which may ask a resolver
        }

        try
        {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (final java.io.IOException ex)
        {
            return "localhost";
        }
    }
}
