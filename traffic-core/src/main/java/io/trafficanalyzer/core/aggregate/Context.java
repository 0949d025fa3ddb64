package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.ThreadingMode;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every setting of an analyzer with its default, written once, and what {@link #conclude()} makes of them: checked
 * all at once (the first bad one rejected as {@code setting=value: reason}), the source and the sinks opened, the
 * counters and the sinks' workers made. The pipeline and each of its agents take the concluded context whole.
 * <p>
 * Set on one thread, concluded once, then only read.
 */
public final class Context implements Cloneable
{
    /** Entries of the capture agent's flow cache unless set. */
    public static final int DEFAULT_FLOW_CACHE_ENTRIES = 16 * 1024;

    static final Duration MIN_BUCKET = Duration.ofSeconds(1);
    static final Duration MAX_BUCKET = Duration.ofHours(1);
    static final int MAX_SHARDS = 64;
    static final int MAX_KEYS = 1 << 24;
    static final int MIN_RING_CAPACITY = 4096;
    static final int MAX_RING_CAPACITY = 1 << 30;
    static final int MAX_SINK_QUEUE = 65536;
    static final int MAX_AGENT_LENGTH = 64;
    private static final long LIVE_INTERVAL_NS = 1_000_000_000L;
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    /**
     * A sink as the user gave it: by URI or as an instance.
     *
     * @param uri  the URI, or null.
     * @param sink the instance, or null.
     */
    private record SinkChoice(String uri, StatsSink sink)
    {
        String name()
        {
            return null != uri ? uri : sink.getClass().getName();
        }
    }

    // the settings, with their defaults
    private String sourceUri;
    private CaptureSource source;
    private String agent;
    private String[] localNetworks;
    private boolean localNetworksGiven;
    private Duration bucket = Duration.ofSeconds(10);
    private Duration lateness = Duration.ofSeconds(2);
    private List<SinkChoice> sinks = new ArrayList<>();
    private List<BucketListener> listeners = new ArrayList<>();
    private int shards = 1;
    private ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    private Supplier<IdleStrategy> idleStrategy = Context::defaultIdleStrategy;
    private boolean idleStrategyChosen;
    private String[] views = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };
    private List<AggregatorProvider> aggregators = new ArrayList<>();
    private int maxKeysPerBucket = 16 * 1024;
    private int ringBufferCapacity = 4 * 1024 * 1024;
    private int flowCacheEntries = DEFAULT_FLOW_CACHE_ENTRIES;
    private int sinkQueueCapacity = 64;
    private Duration maxMergedWidth;
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private boolean liveView = true;
    private Duration liveWindow = Duration.ofSeconds(60);
    private long liveIntervalNs = LIVE_INTERVAL_NS;
    private EpochNanoClock clock = new SystemEpochNanoClock();
    private ErrorHandler errorHandler = Throwable::printStackTrace;
    private TrafficCounters counters;

    // what conclude() makes of them
    private boolean concluded;
    private String agentName;
    private LocalNetworks networks;
    private List<AggregatorProvider> providers;
    private List<String> viewNames;
    private CaptureSource openSource;
    private List<SinkWorker> sinkWorkers;
    private ErrorHandler countingErrorHandler;
    private List<AutoCloseable> opened = new ArrayList<>();

    /**
     * The capture source by URI, found by its scheme among the {@link CaptureSourceProvider}s on the class path.
     *
     * @param uri the source URI.
     * @return this for a fluent API.
     */
    public Context source(final String uri)
    {
        sourceUri = uri;
        source = null;
        return this;
    }

    /**
     * The capture source, e.g. a user's own.
     *
     * @param source the source.
     * @return this for a fluent API.
     */
    public Context source(final CaptureSource source)
    {
        this.source = source;
        sourceUri = null;
        return this;
    }

    /**
     * Name of the analyzer instance, carried by every contribution; default the host name.
     *
     * @param agent the name.
     * @return this for a fluent API.
     */
    public Context agent(final String agent)
    {
        this.agent = agent;
        return this;
    }

    /**
     * The local networks as CIDR prefixes; default the private, shared, loopback and link-local ranges.
     *
     * @param cidrs the prefixes.
     * @return this for a fluent API.
     */
    public Context localNetworks(final String... cidrs)
    {
        localNetworksGiven = true;
        localNetworks = null == cidrs ? null : cidrs.clone();
        return this;
    }

    /**
     * Width of a time bucket; default 10 s.
     *
     * @param width the width.
     * @return this for a fluent API.
     */
    public Context bucket(final Duration width)
    {
        bucket = width;
        return this;
    }

    /**
     * How long past its end a bucket stays open for packets out of order; default 2 s.
     *
     * @param lateness the allowed lateness.
     * @return this for a fluent API.
     */
    public Context allowedLateness(final Duration lateness)
    {
        this.lateness = lateness;
        return this;
    }

    /**
     * Add a sink by URI, found by its scheme among the {@link StatsSinkProvider}s on the class path.
     *
     * @param uri the sink URI.
     * @return this for a fluent API.
     */
    public Context sink(final String uri)
    {
        sinks.add(new SinkChoice(uri, null));
        return this;
    }

    /**
     * Add a sink.
     *
     * @param sink the sink.
     * @return this for a fluent API.
     */
    public Context sink(final StatsSink sink)
    {
        sinks.add(new SinkChoice(null, sink));
        return this;
    }

    /**
     * Add a listener told of every sealed bucket, on the flush thread.
     *
     * @param listener the listener.
     * @return this for a fluent API.
     */
    public Context listener(final BucketListener listener)
    {
        listeners.add(listener);
        return this;
    }

    /**
     * Number of aggregator shards; default 1.
     *
     * @param shards the count.
     * @return this for a fluent API.
     */
    public Context shards(final int shards)
    {
        this.shards = shards;
        return this;
    }

    /**
     * Threads of the packet path; default {@link ThreadingMode#DEDICATED}.
     *
     * @param mode the mode.
     * @return this for a fluent API.
     */
    public Context threadingMode(final ThreadingMode mode)
    {
        threadingMode = mode;
        return this;
    }

    /**
     * Idle strategy of every agent thread, one new instance per thread; default a back-off that parks.
     *
     * @param idleStrategy makes an idle strategy.
     * @return this for a fluent API.
     */
    public Context idleStrategy(final Supplier<IdleStrategy> idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        idleStrategyChosen = true;
        return this;
    }

    /**
     * The views by name, in order; default hosts, ports and peers.
     *
     * @param views view names.
     * @return this for a fluent API.
     */
    public Context views(final String... views)
    {
        this.views = null == views ? null : views.clone();
        return this;
    }

    /**
     * Add a view of one's own after the named ones.
     *
     * @param provider creates the view's aggregators.
     * @return this for a fluent API.
     */
    public Context aggregator(final AggregatorProvider provider)
    {
        aggregators.add(provider);
        return this;
    }

    /**
     * Most keys per bucket and view before a host's further keys fold; default 16384.
     *
     * @param maxKeys the limit.
     * @return this for a fluent API.
     */
    public Context maxKeysPerBucket(final int maxKeys)
    {
        maxKeysPerBucket = maxKeys;
        return this;
    }

    /**
     * Entries of the capture agent's flow cache, 0 for none; default {@link #DEFAULT_FLOW_CACHE_ENTRIES}.
     *
     * @param entries the number of entries.
     * @return this for a fluent API.
     */
    public Context flowCacheEntries(final int entries)
    {
        flowCacheEntries = entries;
        return this;
    }

    /**
     * Capacity in bytes of each ring buffer between the agents; default 4 MiB.
     *
     * @param capacity the capacity.
     * @return this for a fluent API.
     */
    public Context ringBufferCapacity(final int capacity)
    {
        ringBufferCapacity = capacity;
        return this;
    }

    /**
     * Most buckets waiting for each sink; default 64.
     *
     * @param capacity the bound.
     * @return this for a fluent API.
     */
    public Context sinkQueueCapacity(final int capacity)
    {
        sinkQueueCapacity = capacity;
        return this;
    }

    /**
     * Widest bucket that merging pending buckets may produce; default the larger of 1 h and two buckets.
     *
     * @param width the limit.
     * @return this for a fluent API.
     */
    public Context sinkMaxMergedWidth(final Duration width)
    {
        maxMergedWidth = width;
        return this;
    }

    /**
     * Back-off between retries of a failing sink; default 100 ms to 30 s.
     *
     * @param min the first delay.
     * @param max the longest delay.
     * @return this for a fluent API.
     */
    public Context sinkRetryBackoff(final Duration min, final Duration max)
    {
        minBackoff = min;
        maxBackoff = max;
        return this;
    }

    /**
     * How long closing waits for the flush and the sinks; default 10 s.
     *
     * @param timeout the bound.
     * @return this for a fluent API.
     */
    public Context closeTimeout(final Duration timeout)
    {
        closeTimeout = timeout;
        return this;
    }

    /**
     * Whether to keep the live view; default true.
     *
     * @param enabled false to save its small per-packet cost.
     * @return this for a fluent API.
     */
    public Context liveView(final boolean enabled)
    {
        liveView = enabled;
        return this;
    }

    /**
     * Window of the live view's rates and top lists; default 60 s.
     *
     * @param window the window.
     * @return this for a fluent API.
     */
    public Context liveWindow(final Duration window)
    {
        liveWindow = window;
        return this;
    }

    /**
     * The wall clock, for sealing the buckets of live sources and measuring the flush lag.
     *
     * @param clock the clock.
     * @return this for a fluent API.
     */
    public Context clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * Told of every runtime error; default prints to standard error.
     *
     * @param errorHandler the handler.
     * @return this for a fluent API.
     */
    public Context errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /**
     * The counters to count in; default new ones at {@link #conclude()}.
     *
     * @param counters the counters.
     * @return this for a fluent API.
     */
    public Context counters(final TrafficCounters counters)
    {
        this.counters = counters;
        return this;
    }

    // how often the capture agent flushes its flow cache and the shards publish their open leaders
    Context liveIntervalNs(final long intervalNs)
    {
        liveIntervalNs = intervalNs;
        return this;
    }

    /**
     * A copy of the settings, not concluded, for another analyzer of the same settings.
     *
     * @return the copy.
     */
    public Context copy()
    {
        if (concluded)
        {
            throw new IllegalStateException("concluded");
        }

        try
        {
            final Context copy = (Context)super.clone();
            copy.sinks = new ArrayList<>(sinks);
            copy.listeners = new ArrayList<>(listeners);
            copy.aggregators = new ArrayList<>(aggregators);
            copy.opened = new ArrayList<>();
            return copy;
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Check every setting, open the source and the sinks, make the counters and the sinks' workers; on a bad setting
     * close what was opened.
     *
     * @return this, concluded.
     * @throws ConfigurationException naming the first invalid setting and its value.
     * @throws IllegalStateException  when concluded already.
     */
    public Context conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("concluded already");
        }

        agentName = agentName();
        checkScalars();
        networks = resolveLocalNetworks();
        providers = Collections.unmodifiableList(aggregatorProviders());
        final List<String> names = new ArrayList<>();
        for (final AggregatorProvider provider : providers)
        {
            names.add(provider.view());
        }
        viewNames = Collections.unmodifiableList(names);

        try
        {
            openSource = openSource();
            final List<StatsSink> statsSinks = openSinks();

            if (null == counters)
            {
                counters = new TrafficCounters();
            }
            final TrafficCounters counting = counters;
            final ErrorHandler delegate = errorHandler;
            countingErrorHandler = (throwable) ->
            {
                counting.addAtomic(TrafficCounter.ERRORS, 1);
                delegate.onError(throwable);
            };

            final List<SinkWorker> workers = new ArrayList<>();
            for (int i = 0; i < statsSinks.size(); i++)
            {
                workers.add(new SinkWorker(
                    sinks.get(i).name(), statsSinks.get(i), viewNames, sinkQueueCapacity, maxMergedWidthSeconds(),
                    minBackoff.toNanos(), maxBackoff.toNanos(), counters, countingErrorHandler,
                    new SystemNanoClock()));
            }
            sinkWorkers = Collections.unmodifiableList(workers);
        }
        catch (final RuntimeException ex)
        {
            closeOpened();
            throw ex;
        }

        concluded = true;
        return this;
    }

    /**
     * Close the source and the sinks {@link #conclude()} opened, quietly: the analyzer could not be assembled.
     */
    public void closeOpened()
    {
        for (final AutoCloseable closeable : opened)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // the build already fails with its own error; a second failure would hide it
            }
        }
    }

    /**
     * The opened capture source.
     *
     * @return the source.
     */
    public CaptureSource source()
    {
        return openSource;
    }

    /**
     * The agent name every contribution carries.
     *
     * @return the name.
     */
    public String agent()
    {
        return agentName;
    }

    /**
     * The local networks.
     *
     * @return the networks.
     */
    public LocalNetworks localNetworks()
    {
        return networks;
    }

    /**
     * Width of a bucket.
     *
     * @return seconds.
     */
    public int bucketWidthSeconds()
    {
        return (int)bucket.getSeconds();
    }

    /**
     * The allowed lateness.
     *
     * @return nanoseconds.
     */
    public long latenessNs()
    {
        return lateness.toNanos();
    }

    /**
     * Most buckets open at once in the capture agent, the shards and the views' tables: those within the allowed
     * lateness and one of late packets.
     *
     * @return the count.
     */
    public int openBuckets()
    {
        return BucketClock.openBuckets(bucketWidthSeconds(), latenessNs()) + BucketClock.LATE_BUCKETS;
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
     * The views' providers, in order.
     *
     * @return the unmodifiable list.
     */
    public List<AggregatorProvider> aggregators()
    {
        return providers;
    }

    /**
     * Names of the views, in order.
     *
     * @return the unmodifiable list.
     */
    public List<String> views()
    {
        return viewNames;
    }

    /**
     * Most keys per bucket and view, all shards together.
     *
     * @return the limit.
     */
    public int maxKeysPerBucket()
    {
        return maxKeysPerBucket;
    }

    /**
     * Entries of the flow cache.
     *
     * @return the count, 0 for none.
     */
    public int flowCacheEntries()
    {
        return flowCacheEntries;
    }

    /**
     * Capacity of each ring buffer between the agents.
     *
     * @return bytes.
     */
    public int ringBufferCapacity()
    {
        return ringBufferCapacity;
    }

    /**
     * The listeners of sealed buckets.
     *
     * @return the list.
     */
    public List<BucketListener> listeners()
    {
        return listeners;
    }

    /**
     * One worker per sink, in the order the sinks were given.
     *
     * @return the unmodifiable list.
     */
    public List<SinkWorker> sinkWorkers()
    {
        return sinkWorkers;
    }

    /**
     * The counters.
     *
     * @return the counters.
     */
    public TrafficCounters counters()
    {
        return counters;
    }

    /**
     * The error handler of the agents: counts each error, then tells the configured handler.
     *
     * @return the handler.
     */
    public ErrorHandler errorHandler()
    {
        return null != countingErrorHandler ? countingErrorHandler : errorHandler;
    }

    /**
     * The wall clock.
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
     * @return true when kept.
     */
    public boolean liveView()
    {
        return liveView;
    }

    /**
     * Window of the live view.
     *
     * @return seconds.
     */
    public int liveWindowSeconds()
    {
        return (int)liveWindow.getSeconds();
    }

    long liveIntervalNs()
    {
        return liveIntervalNs;
    }

    /**
     * Threads of the packet path.
     *
     * @return the mode.
     */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * A new idle strategy for an agent thread of the shared or invoker modes, or for every thread once chosen.
     *
     * @return the strategy.
     */
    public IdleStrategy newIdleStrategy()
    {
        return idleStrategy.get();
    }

    /**
     * The capture thread's idle strategy in {@code DEDICATED} mode: as its source says unless one was chosen.
     *
     * @return the strategy.
     */
    public IdleStrategy newCaptureIdleStrategy()
    {
        final IdleStrategy sourceStrategy = idleStrategyChosen ? null : openSource.idleStrategy();
        return null != sourceStrategy ? sourceStrategy : idleStrategy.get();
    }

    /**
     * The idle strategy of an aggregator or flush thread in {@code DEDICATED} mode: parks longer unless one was
     * chosen.
     *
     * @return the strategy.
     */
    public IdleStrategy newBackgroundIdleStrategy()
    {
        return idleStrategyChosen ? idleStrategy.get() : backgroundIdleStrategy();
    }

    /**
     * How long closing waits for the flush and the sinks.
     *
     * @return nanoseconds.
     */
    public long closeTimeoutNs()
    {
        return closeTimeout.toNanos();
    }

    /**
     * The default idle strategy: spin a little, yield once, then park for doubling periods from 100 us to 100 ms.
     *
     * @return a new idle strategy.
     */
    public static IdleStrategy defaultIdleStrategy()
    {
        // yielding more costs a core at moderate packet rates (a thread woken every 50 us would spend most of its
        // time in sched_yield); parking at least 100 us lets a thread that is not saturated take records in batches
        return new BackoffIdleStrategy(10, 1, 100_000, 100_000_000);
    }

    /**
     * The host's name, the default agent name: {@code HOSTNAME}, the kernel's host name, or what the JDK resolves.
     *
     * @return the name, "localhost" when nothing knows it.
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
            final String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"));
            if (!kernel.isBlank())
            {
                return kernel.trim();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: fall back to the JDK, which may ask a resolver
        }

        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final IOException ex)
        {
            return "localhost";
        }
    }

    // The aggregator and flush threads of DEDICATED mode park from 1 ms: their work is not urgent (buckets last
    // seconds) and the rings hold milliseconds of records, while every wake-up costs a context switch; woken every
    // 100 us at a modest packet rate, each spent a sixth of a core in the scheduler on this project's machines.
    private static IdleStrategy backgroundIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 1, 1_000_000, 100_000_000);
    }

    private long maxMergedWidthSeconds()
    {
        return null != maxMergedWidth ? maxMergedWidth.getSeconds() : Math.max(3600, 2L * bucketWidthSeconds());
    }

    private void checkScalars()
    {
        require("bucket", bucket);
        if (bucket.compareTo(MIN_BUCKET) < 0 || bucket.compareTo(MAX_BUCKET) > 0 || bucket.getNano() != 0)
        {
            throw new ConfigurationException("bucket", bucket, "must be whole seconds from 1 s to 1 h");
        }

        require("allowedLateness", lateness);
        if (lateness.isNegative() || lateness.compareTo(MAX_BUCKET) > 0)
        {
            throw new ConfigurationException("allowedLateness", lateness, "must be from 0 to 1 h");
        }

        checkRange("shards", shards, 1, MAX_SHARDS);
        require("threadingMode", threadingMode);
        require("idleStrategy", idleStrategy);
        checkRange("maxKeysPerBucket", maxKeysPerBucket, 1, MAX_KEYS);
        checkRange("ringBufferCapacity", ringBufferCapacity, MIN_RING_CAPACITY, MAX_RING_CAPACITY);
        if (Integer.bitCount(ringBufferCapacity) != 1)
        {
            throw new ConfigurationException("ringBufferCapacity", ringBufferCapacity, "must be a power of two");
        }

        if (0 != flowCacheEntries &&
            (flowCacheEntries < 4 || flowCacheEntries > MAX_KEYS || Integer.bitCount(flowCacheEntries) != 1))
        {
            throw new ConfigurationException(
                "flowCacheEntries", flowCacheEntries, "must be 0 (off) or a power of two from 4 to " + MAX_KEYS);
        }

        checkRange("sinkQueueCapacity", sinkQueueCapacity, 2, MAX_SINK_QUEUE);
        if (null != maxMergedWidth &&
            (maxMergedWidth.compareTo(bucket) < 0 || maxMergedWidth.compareTo(Duration.ofDays(1)) > 0))
        {
            throw new ConfigurationException(
                "sinkMaxMergedWidth", maxMergedWidth, "must be from the bucket width (" + bucket + ") to 1 day");
        }

        if (null == minBackoff || null == maxBackoff)
        {
            throw new ConfigurationException("sinkRetryBackoff", minBackoff + ".." + maxBackoff, "must not be null");
        }
        if (minBackoff.compareTo(Duration.ofMillis(1)) < 0 || maxBackoff.compareTo(minBackoff) < 0 ||
            maxBackoff.compareTo(Duration.ofDays(1)) > 0)
        {
            throw new ConfigurationException(
                "sinkRetryBackoff", minBackoff + ".." + maxBackoff, "needs 1 ms <= min <= max <= 1 day");
        }

        require("closeTimeout", closeTimeout);
        if (closeTimeout.isNegative() || closeTimeout.compareTo(Duration.ofDays(1)) > 0)
        {
            throw new ConfigurationException("closeTimeout", closeTimeout, "must be from 0 to 1 day");
        }

        require("liveWindow", liveWindow);
        if (liveWindow.compareTo(MIN_BUCKET) < 0 || liveWindow.compareTo(MAX_BUCKET) > 0 || liveWindow.getNano() != 0)
        {
            throw new ConfigurationException("liveWindow", liveWindow, "must be whole seconds from 1 s to 1 h");
        }

        require("clock", clock);
        require("errorHandler", errorHandler);
    }

    // the name every contribution carries, so a store tells the agents of a fleet apart
    private String agentName()
    {
        final String name = null == agent ? localHostName() : agent;
        final String what = null == agent ? "; the host name is the default, set agent(...)" : "";
        if (name.isBlank())
        {
            throw new ConfigurationException("agent", name, "must not be empty" + what);
        }
        if (name.codePointCount(0, name.length()) > MAX_AGENT_LENGTH)
        {
            throw new ConfigurationException(
                "agent", name, "must be at most " + MAX_AGENT_LENGTH + " characters" + what);
        }
        if (name.codePoints().anyMatch(Character::isISOControl))
        {
            throw new ConfigurationException("agent", name, "must not contain control characters" + what);
        }

        return name;
    }

    private LocalNetworks resolveLocalNetworks()
    {
        if (null == localNetworks)
        {
            if (localNetworksGiven)
            {
                throw new ConfigurationException("localNetworks", null, "must not be null; leave it out for the " +
                    "default private ranges");
            }
            return LocalNetworks.privateRanges();
        }

        try
        {
            return LocalNetworks.of(localNetworks);
        }
        catch (final RuntimeException ex)
        {
            throw new ConfigurationException("localNetworks", Arrays.toString(localNetworks), ex.getMessage(), ex);
        }
    }

    private List<AggregatorProvider> aggregatorProviders()
    {
        require("views", views);
        final Map<String, AggregatorProvider> known = new LinkedHashMap<>();
        for (final AggregatorProvider provider : ServiceLoader.load(AggregatorProvider.class))
        {
            known.putIfAbsent(provider.view(), provider);
        }

        final List<AggregatorProvider> result = new ArrayList<>();
        final TreeSet<String> names = new TreeSet<>();
        for (final String view : views)
        {
            final AggregatorProvider provider = known.get(view);
            if (null == provider)
            {
                throw new ConfigurationException("views", view, "unknown view; known views: " + known.keySet());
            }
            if (!names.add(view))
            {
                throw new ConfigurationException("views", view, "view named twice");
            }
            result.add(provider);
        }

        for (final AggregatorProvider provider : aggregators)
        {
            final String view = null == provider ? null : provider.view();
            if (null == view || view.isEmpty())
            {
                throw new ConfigurationException("aggregator", provider, "must name its view");
            }
            if (!names.add(view))
            {
                throw new ConfigurationException("aggregator", view, "a view of that name is already configured");
            }
            result.add(provider);
        }

        if (result.size() > Short.MAX_VALUE)
        {
            throw new ConfigurationException("views", result.size(), "too many views");
        }

        return result;
    }

    private CaptureSource openSource()
    {
        if (null != source)
        {
            opened.add(source);
            return source;
        }

        if (null == sourceUri)
        {
            throw new ConfigurationException("source", null, "is required: a URI or a CaptureSource");
        }

        final CaptureSourceProvider provider = provider(
            "source", sourceUri, CaptureSourceProvider.class, CaptureSourceProvider::scheme);
        try
        {
            final CaptureSource opening = provider.newSource(sourceUri);
            opened.add(opening);
            return opening;
        }
        catch (final Exception ex)
        {
            throw new ConfigurationException("source", sourceUri, "cannot open: " + ex.getMessage(), ex);
        }
    }

    private List<StatsSink> openSinks()
    {
        final List<StatsSink> result = new ArrayList<>();
        for (final SinkChoice choice : sinks)
        {
            if (null != choice.sink())
            {
                opened.add(choice.sink());
                result.add(choice.sink());
                continue;
            }

            if (null == choice.uri())
            {
                throw new ConfigurationException("sink", null, "must be a URI or a StatsSink");
            }

            final String uri = choice.uri();
            final StatsSinkProvider provider =
                provider("sink", uri, StatsSinkProvider.class, StatsSinkProvider::scheme);
            try
            {
                final StatsSink sink = provider.newSink(uri);
                opened.add(sink);
                result.add(sink);
            }
            catch (final Exception ex)
            {
                throw new ConfigurationException("sink", uri, "cannot open: " + ex.getMessage(), ex);
            }
        }

        return result;
    }

    // the provider of a URI's scheme among those ServiceLoader finds: the first of each scheme, case-insensitive
    private static <P> P provider(
        final String setting, final String uri, final Class<P> type, final Function<P, String> schemeOf)
    {
        final String scheme = scheme(setting, uri);
        final Map<String, P> known = new LinkedHashMap<>();
        for (final P provider : ServiceLoader.load(type))
        {
            known.putIfAbsent(schemeOf.apply(provider).toLowerCase(), provider);
        }

        final P provider = known.get(scheme);
        if (null == provider)
        {
            throw new ConfigurationException(
                setting, uri, "unknown scheme '" + scheme + "'; known schemes: " + new TreeSet<>(known.keySet()));
        }

        return provider;
    }

    private static String scheme(final String setting, final String uri)
    {
        final int colon = uri.indexOf(':');
        if (colon <= 0 || !SCHEME.matcher(uri.substring(0, colon)).matches())
        {
            throw new ConfigurationException(setting, uri, "is not a URI of the form scheme:rest");
        }

        return uri.substring(0, colon).toLowerCase();
    }

    private static void require(final String setting, final Object value)
    {
        if (null == value)
        {
            throw new ConfigurationException(setting, null, "must not be null");
        }
    }

    private static void checkRange(final String setting, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new ConfigurationException(setting, value, "must be from " + min + " to " + max);
        }
    }
}
