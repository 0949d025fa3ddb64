package io.trafficanalyzer.core;

import io.trafficanalyzer.core.alert.AlertAction;
import io.trafficanalyzer.core.alert.AlertMonitor;
import io.trafficanalyzer.core.alert.AlertRules;
import io.trafficanalyzer.core.view.AggregatorProvider;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.sink.SinkWorkerSettings;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.Logging;
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
import java.util.function.Supplier;

/**
 * Every setting of an analyzer with its default, written once, and what {@link #conclude()} makes of them: checked
 * all at once (the first bad one rejected as {@code setting=value: reason}), the source and the sinks opened, the
 * counters and the sinks' workers made. The pipeline and each of its agents take the concluded context whole.
 * <p>
 * Set on one thread, concluded once, then only read. Long because it lists every setting, as Aeron's
 * {@code MediaDriver.Context} does; the engine reads it through package-private accessors.
 */
final class Context implements Cloneable
{
    static final int DEFAULT_FLOW_CACHE_ENTRIES = 16 * 1024;
    static final Duration MIN_BUCKET = Duration.ofSeconds(1);
    static final Duration MAX_BUCKET = Duration.ofHours(1);
    static final int MAX_SHARDS = 64;
    static final int MAX_KEYS = 1 << 24;
    static final int MIN_RING_CAPACITY = 4096;
    static final int MAX_RING_CAPACITY = 1 << 30;
    static final int MAX_SINK_QUEUE = 65536;
    static final int MAX_AGENT_LENGTH = 64;
    private static final long LIVE_INTERVAL_NS = 1_000_000_000L;

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
    private AlertRules alertRules;
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
    private int sinkWaitDepth;
    private Duration maxMergedWidth;
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(10);
    private boolean closeOnShutdown = true;
    private boolean liveView = true;
    private Duration liveWindow = Duration.ofSeconds(60);
    private Duration liveRateWindow = Duration.ofSeconds(5);
    private long liveIntervalNs = LIVE_INTERVAL_NS;
    private EpochNanoClock clock = new SystemEpochNanoClock();
    private ErrorHandler errorHandler = Logging.errorHandler();
    private TrafficCounters counters;

    // what conclude() makes of them
    private boolean concluded;
    private String agentName;
    private LocalNetworks networks;
    private List<AggregatorProvider> providers;
    private List<String> viewNames;
    private CaptureSource openSource;
    private List<SinkWorker> sinkWorkers;
    private AlertMonitor alertMonitor;
    private ErrorHandler countingErrorHandler;
    private List<AutoCloseable> opened = new ArrayList<>();

    Context source(final String uri)
    {
        sourceUri = uri;
        source = null;
        return this;
    }

    Context source(final CaptureSource source)
    {
        this.source = source;
        sourceUri = null;
        return this;
    }

    Context agent(final String agent)
    {
        this.agent = agent;
        return this;
    }

    Context localNetworks(final String... cidrs)
    {
        localNetworksGiven = true;
        localNetworks = null == cidrs ? null : cidrs.clone();
        return this;
    }

    Context bucket(final Duration width)
    {
        bucket = width;
        return this;
    }

    Context allowedLateness(final Duration lateness)
    {
        this.lateness = lateness;
        return this;
    }

    Context sink(final String uri)
    {
        sinks.add(new SinkChoice(uri, null));
        return this;
    }

    Context sink(final StatsSink sink)
    {
        sinks.add(new SinkChoice(null, sink));
        return this;
    }

    Context listener(final BucketListener listener)
    {
        listeners.add(listener);
        return this;
    }

    Context alerts(final AlertRules rules)
    {
        alertRules = rules;
        return this;
    }

    Context shards(final int shards)
    {
        this.shards = shards;
        return this;
    }

    Context threadingMode(final ThreadingMode mode)
    {
        threadingMode = mode;
        return this;
    }

    Context idleStrategy(final Supplier<IdleStrategy> idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        idleStrategyChosen = true;
        return this;
    }

    Context views(final String... views)
    {
        this.views = null == views ? null : views.clone();
        return this;
    }

    Context aggregator(final AggregatorProvider provider)
    {
        aggregators.add(provider);
        return this;
    }

    Context maxKeysPerBucket(final int maxKeys)
    {
        maxKeysPerBucket = maxKeys;
        return this;
    }

    Context flowCacheEntries(final int entries)
    {
        flowCacheEntries = entries;
        return this;
    }

    Context ringBufferCapacity(final int capacity)
    {
        ringBufferCapacity = capacity;
        return this;
    }

    Context sinkQueueCapacity(final int capacity)
    {
        sinkQueueCapacity = capacity;
        return this;
    }

    Context sinkWaitDepth(final int depth)
    {
        sinkWaitDepth = depth;
        return this;
    }

    Context sinkMaxMergedWidth(final Duration width)
    {
        maxMergedWidth = width;
        return this;
    }

    Context sinkRetryBackoff(final Duration min, final Duration max)
    {
        minBackoff = min;
        maxBackoff = max;
        return this;
    }

    Context closeTimeout(final Duration timeout)
    {
        closeTimeout = timeout;
        return this;
    }

    Context closeOnShutdown(final boolean enabled)
    {
        closeOnShutdown = enabled;
        return this;
    }

    Context liveView(final boolean enabled)
    {
        liveView = enabled;
        return this;
    }

    Context liveWindow(final Duration window)
    {
        liveWindow = window;
        return this;
    }

    Context liveRateWindow(final Duration window)
    {
        liveRateWindow = window;
        return this;
    }

    Context clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    Context errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    Context counters(final TrafficCounters counters)
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

    Context copy()
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

    Context conclude()
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

            final SinkWorkerSettings workerSettings = new SinkWorkerSettings()
                .views(viewNames)
                .queueCapacity(sinkQueueCapacity)
                .maxMergedWidthSeconds(maxMergedWidthSeconds())
                .minBackoffNs(minBackoff.toNanos())
                .maxBackoffNs(maxBackoff.toNanos())
                .counters(counters)
                .errorHandler(countingErrorHandler)
                .clock(new SystemNanoClock());
            final List<SinkWorker> workers = new ArrayList<>();
            for (int i = 0; i < statsSinks.size(); i++)
            {
                workers.add(new SinkWorker(sinks.get(i).name(), statsSinks.get(i), workerSettings));
            }
            sinkWorkers = Collections.unmodifiableList(workers);

            if (null != alertRules)
            {
                // a sink that can store alerts is told of each one, besides the rules' own actions
                final List<AlertAction> recorders = new ArrayList<>();
                for (final StatsSink sink : statsSinks)
                {
                    if (sink instanceof AlertAction)
                    {
                        recorders.add((AlertAction)sink);
                    }
                }
                alertMonitor = new AlertMonitor(alertRules, viewNames, recorders, counters, countingErrorHandler);
                opened.add(alertMonitor);
                listeners.add(alertMonitor);
            }
        }
        catch (final RuntimeException ex)
        {
            closeOpened();
            throw ex;
        }

        concluded = true;
        return this;
    }

    void closeOpened()
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

    int sinkWaitDepth()
    {
        return sinkWaitDepth;
    }

    CaptureSource source()
    {
        return openSource;
    }

    String agent()
    {
        return agentName;
    }

    LocalNetworks localNetworks()
    {
        return networks;
    }

    int bucketWidthSeconds()
    {
        return (int)bucket.getSeconds();
    }

    long latenessNs()
    {
        return lateness.toNanos();
    }

    int openBuckets()
    {
        return BucketClock.openBuckets(bucketWidthSeconds(), latenessNs()) + BucketClock.LATE_BUCKETS;
    }

    int shards()
    {
        return shards;
    }

    List<AggregatorProvider> aggregators()
    {
        return providers;
    }

    List<String> views()
    {
        return viewNames;
    }

    int maxKeysPerBucket()
    {
        return maxKeysPerBucket;
    }

    int flowCacheEntries()
    {
        return flowCacheEntries;
    }

    int ringBufferCapacity()
    {
        return ringBufferCapacity;
    }

    List<BucketListener> listeners()
    {
        return listeners;
    }

    AlertMonitor alertMonitor()
    {
        return alertMonitor;
    }

    List<SinkWorker> sinkWorkers()
    {
        return sinkWorkers;
    }

    TrafficCounters counters()
    {
        return counters;
    }

    ErrorHandler errorHandler()
    {
        return null != countingErrorHandler ? countingErrorHandler : errorHandler;
    }

    EpochNanoClock clock()
    {
        return clock;
    }

    boolean liveView()
    {
        return liveView;
    }

    int liveWindowSeconds()
    {
        return (int)liveWindow.getSeconds();
    }

    int liveRateWindowSeconds()
    {
        return (int)liveRateWindow.getSeconds();
    }

    long liveIntervalNs()
    {
        return liveIntervalNs;
    }

    ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    IdleStrategy newIdleStrategy()
    {
        return idleStrategy.get();
    }

    IdleStrategy newCaptureIdleStrategy()
    {
        final IdleStrategy sourceStrategy = idleStrategyChosen ? null : openSource.idleStrategy();
        return null != sourceStrategy ? sourceStrategy : idleStrategy.get();
    }

    IdleStrategy newBackgroundIdleStrategy()
    {
        return idleStrategyChosen ? idleStrategy.get() : backgroundIdleStrategy();
    }

    long closeTimeoutNs()
    {
        return closeTimeout.toNanos();
    }

    boolean closeOnShutdown()
    {
        return closeOnShutdown;
    }

    static IdleStrategy defaultIdleStrategy()
    {
        // yielding more costs a core at moderate packet rates (a thread woken every 50 us would spend most of its
        // time in sched_yield); parking at least 100 us lets a thread that is not saturated take records in batches
        return new BackoffIdleStrategy(10, 1, 100_000, 100_000_000);
    }

    static String localHostName()
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
        checkRange("sinkWaitDepth", sinkWaitDepth, 0, sinkQueueCapacity);
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

        require("liveRateWindow", liveRateWindow);
        if (liveRateWindow.compareTo(MIN_BUCKET) < 0 || liveRateWindow.compareTo(MAX_BUCKET) > 0 ||
            liveRateWindow.getNano() != 0)
        {
            throw new ConfigurationException("liveRateWindow", liveRateWindow, "must be whole seconds from 1 s to 1 h");
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

        final CaptureSource opening = Providers.openSource(sourceUri);
        opened.add(opening);
        return opening;
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

            final StatsSink sink = Providers.openSink(choice.uri());
            opened.add(sink);
            result.add(sink);
        }

        return result;
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
