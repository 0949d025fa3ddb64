package io.trafficanalyzer.core;

import io.trafficanalyzer.core.aggregate.AggregatorProvider;
import io.trafficanalyzer.core.aggregate.Pipeline;
import io.trafficanalyzer.core.aggregate.PipelineSettings;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;
import io.trafficanalyzer.core.status.Logging;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The settings behind {@link TrafficAnalyzer.Builder} and their one-time check.
 */
final class BuilderSettings
{
    static final Duration MIN_BUCKET = Duration.ofSeconds(1);
    static final Duration MAX_BUCKET = Duration.ofHours(1);
    static final int MAX_SHARDS = 64;
    static final int MAX_KEYS = 1 << 24;
    static final int MIN_RING_CAPACITY = 4096;
    static final int MAX_RING_CAPACITY = 1 << 30;
    static final int MAX_SINK_QUEUE = 65536;
    static final int MAX_AGENT_LENGTH = 64;
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    String sourceUri;
    CaptureSource source;
    String agent;
    String[] localNetworks;
    boolean localNetworksGiven;
    Duration bucket = Duration.ofSeconds(10);
    Duration lateness = Duration.ofSeconds(2);
    final List<Object> sinks = new ArrayList<>();
    final List<BucketListener> listeners = new ArrayList<>();
    int shards = 1;
    ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    Supplier<IdleStrategy> idleStrategy = BuilderSettings::defaultIdleStrategy;
    boolean idleStrategyChosen;
    String[] views = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };
    final List<AggregatorProvider> aggregators = new ArrayList<>();
    int maxKeys = 16 * 1024;
    int ringCapacity = 4 * 1024 * 1024;
    int flowCacheEntries = PipelineSettings.DEFAULT_FLOW_CACHE_ENTRIES;
    int sinkQueueCapacity = 64;
    Duration maxMergedWidth;
    Duration minBackoff = Duration.ofMillis(100);
    Duration maxBackoff = Duration.ofSeconds(30);
    Duration closeTimeout = Duration.ofSeconds(10);
    boolean liveView = true;
    Duration liveWindow = Duration.ofSeconds(60);
    EpochNanoClock clock = new SystemEpochNanoClock();
    ErrorHandler errorHandler = Logging.errorHandler();
    boolean closeOnShutdown = true;
    Function<PipelineSettings, Pipeline> pipelineFactory = Pipeline::new;

    TrafficAnalyzer build()
    {
        final String agentName = agentName();
        final int widthSeconds = checkScalars();
        final LocalNetworks networks = localNetworks();
        final List<AggregatorProvider> providers = aggregatorProviders();

        final List<AutoCloseable> opened = new ArrayList<>();
        try
        {
            final CaptureSource captureSource = openSource(opened);
            final List<StatsSink> statsSinks = openSinks(opened);
            return assemble(agentName, widthSeconds, networks, providers, captureSource, statsSinks);
        }
        catch (final RuntimeException ex)
        {
            for (final AutoCloseable closeable : opened)
            {
                closeQuietly(closeable);
            }
            throw ex;
        }
    }

    private TrafficAnalyzer assemble(
        final String agentName,
        final int widthSeconds,
        final LocalNetworks networks,
        final List<AggregatorProvider> providers,
        final CaptureSource captureSource,
        final List<StatsSink> statsSinks)
    {
        final TrafficCounters counters = new TrafficCounters();
        final ErrorHandler delegate = errorHandler;
        final ErrorHandler countingHandler = (throwable) ->
        {
            counters.addAtomic(TrafficCounter.ERRORS, 1);
            delegate.onError(throwable);
        };

        final List<String> viewNames = new ArrayList<>();
        for (final AggregatorProvider provider : providers)
        {
            viewNames.add(provider.view());
        }

        final long mergedWidth = null != maxMergedWidth ?
            maxMergedWidth.getSeconds() : Math.max(3600, 2L * widthSeconds);
        final List<SinkWorker> workers = new ArrayList<>();
        for (int i = 0; i < statsSinks.size(); i++)
        {
            final Object given = sinks.get(i);
            final String name = given instanceof String ? (String)given : given.getClass().getName();
            workers.add(new SinkWorker(
                name, statsSinks.get(i), viewNames, sinkQueueCapacity, mergedWidth, minBackoff.toNanos(),
                maxBackoff.toNanos(), counters, countingHandler, new SystemNanoClock()));
        }

        final PipelineSettings pipelineSettings = new PipelineSettings()
            .source(captureSource)
            .agent(agentName)
            .localNetworks(networks)
            .bucketWidthSeconds(widthSeconds)
            .latenessNs(lateness.toNanos())
            .shards(shards)
            .aggregators(providers)
            .maxKeysPerBucket(maxKeys)
            .ringBufferCapacity(ringCapacity)
            .flowCacheEntries(flowCacheEntries)
            .listeners(listeners)
            .sinkWorkers(workers)
            .counters(counters)
            .errorHandler(countingHandler)
            .clock(clock)
            .liveView(liveView)
            .liveWindowSeconds((int)liveWindow.getSeconds());

        final TrafficAnalyzer.Builder.Resolved resolved = new TrafficAnalyzer.Builder.Resolved();
        resolved.threadingMode = threadingMode;
        resolved.idleStrategy = idleStrategy;
        resolved.captureIdleStrategy = idleStrategyChosen ? null : captureSource.idleStrategy();
        resolved.backgroundIdleStrategy = idleStrategyChosen ? idleStrategy : BuilderSettings::backgroundIdleStrategy;
        resolved.closeTimeoutNs = closeTimeout.toNanos();
        resolved.closeOnShutdown = closeOnShutdown;

        return new TrafficAnalyzer(
            resolved, pipelineFactory.apply(pipelineSettings), workers, counters, countingHandler);
    }

    /**
     * The default: spin a little, yield once, then park for doubling periods from 100 us to 100 ms. Yielding more
     * costs a core at moderate packet rates (a thread woken every 50 us would spend most of its time in
     * {@code sched_yield}); parking at least 100 us lets a thread that is not saturated take its records in batches.
     *
     * @return a new idle strategy.
     */
    static IdleStrategy defaultIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 1, 100_000, 100_000_000);
    }

    /**
     * The default of the aggregator and flush threads in {@code DEDICATED} mode: as {@link #defaultIdleStrategy()}
     * but parking from 1 ms. Their work is not urgent (buckets last seconds) and the ring buffers hold milliseconds
     * of records, while every wake-up costs a context switch: woken every 100 us at a modest packet rate, each of
     * them spent a sixth of a core in the scheduler on this project's virtual machines.
     *
     * @return a new idle strategy.
     */
    static IdleStrategy backgroundIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 1, 1_000_000, 100_000_000);
    }

    private int checkScalars()
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
        checkRange("maxKeysPerBucket", maxKeys, 1, MAX_KEYS);
        checkRange("ringBufferCapacity", ringCapacity, MIN_RING_CAPACITY, MAX_RING_CAPACITY);
        if (Integer.bitCount(ringCapacity) != 1)
        {
            throw new ConfigurationException("ringBufferCapacity", ringCapacity, "must be a power of two");
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

        return (int)bucket.getSeconds();
    }

    // the name every contribution carries, so a store tells the agents of a fleet apart
    private String agentName()
    {
        final String name = null == agent ? PipelineSettings.localHostName() : agent;
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

    private LocalNetworks localNetworks()
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

        final List<AggregatorProvider> providers = new ArrayList<>();
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
            providers.add(provider);
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
            providers.add(provider);
        }

        if (providers.size() > Short.MAX_VALUE)
        {
            throw new ConfigurationException("views", providers.size(), "too many views");
        }

        return providers;
    }

    private CaptureSource openSource(final List<AutoCloseable> opened)
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

        final String scheme = scheme("source", sourceUri);
        final Map<String, CaptureSourceProvider> known = new LinkedHashMap<>();
        for (final CaptureSourceProvider provider : ServiceLoader.load(CaptureSourceProvider.class))
        {
            known.putIfAbsent(provider.scheme().toLowerCase(), provider);
        }

        final CaptureSourceProvider provider = known.get(scheme);
        if (null == provider)
        {
            throw new ConfigurationException(
                "source", sourceUri,
                "unknown scheme '" + scheme + "'; known schemes: " + new TreeSet<>(known.keySet()));
        }

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

    private List<StatsSink> openSinks(final List<AutoCloseable> opened)
    {
        final Map<String, StatsSinkProvider> known = new LinkedHashMap<>();
        final List<StatsSink> result = new ArrayList<>();
        for (final Object given : sinks)
        {
            if (given instanceof StatsSink)
            {
                opened.add((StatsSink)given);
                result.add((StatsSink)given);
                continue;
            }

            if (!(given instanceof String))
            {
                throw new ConfigurationException("sink", given, "must be a URI or a StatsSink");
            }

            final String uri = (String)given;
            final String scheme = scheme("sink", uri);
            if (known.isEmpty())
            {
                for (final StatsSinkProvider provider : ServiceLoader.load(StatsSinkProvider.class))
                {
                    known.putIfAbsent(provider.scheme().toLowerCase(), provider);
                }
            }

            final StatsSinkProvider provider = known.get(scheme);
            if (null == provider)
            {
                throw new ConfigurationException(
                    "sink", uri, "unknown scheme '" + scheme + "'; known schemes: " + new TreeSet<>(known.keySet()));
            }

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

    private static void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ignore)
        {
            // the build already fails with the configuration error; a second failure would hide it
        }
    }
}
