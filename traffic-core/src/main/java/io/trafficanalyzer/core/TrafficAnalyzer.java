package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveView;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The traffic analyzer embedded in a JVM service: packets in from a capture source, per-bucket statistics out to
 * sinks, a live view and counters for the host application.
 * <pre>{@code
 * try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
 *         .source("file:/data/capture.pcapng")
 *         .localNetworks("10.0.0.0/8", "fd00::/8")
 *         .bucket(Duration.ofSeconds(10))
 *         .sink(mySink)
 *         .build())
 * {
 *     analyzer.start();
 *     analyzer.awaitCompletion();    // file sources end; live ones run until close()
 * }
 * }</pre>
 * {@link #close()} stops the capture, seals and flushes every open bucket, waits (bounded) for the sinks, and
 * releases the source, the sinks and all memory. The analyzer owns the source and the sinks it was given.
 * <p>
 * Most of this file is the {@link Builder}'s documented settings, nested so that it reads
 * {@code TrafficAnalyzer.Builder}; the engine behind it takes them as one concluded context.
 */
public final class TrafficAnalyzer implements AutoCloseable
{
    private static final long AWAIT_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Context ctx;
    private final Pipeline pipeline;
    private final List<SinkWorker> sinkWorkers;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final List<AgentRunner> runners = new ArrayList<>();
    private AgentInvoker invoker;
    private Thread shutdownHook;
    private boolean started;
    private boolean closed;
    private boolean closeDone;

    TrafficAnalyzer(final Context ctx, final Pipeline pipeline)
    {
        this.ctx = ctx;
        this.pipeline = pipeline;
        this.sinkWorkers = ctx.sinkWorkers();
        this.counters = ctx.counters();
        this.errorHandler = ctx.errorHandler();
    }

    /**
     * The host's name, the agent name an analyzer carries unless one is set.
     *
     * @return the name.
     */
    public static String localHostName()
    {
        return Context.localHostName();
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Start capturing: the threads of the threading mode and one delivery thread per sink.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException when already started or closed.
     */
    public synchronized TrafficAnalyzer start()
    {
        if (started || closed)
        {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        started = true;
        if (ctx.closeOnShutdown())
        {
            closeOnShutdown();
        }

        for (int i = 0; i < sinkWorkers.size(); i++)
        {
            sinkWorkers.get(i).start(daemonThreads("traffic-sink-" + i));
        }

        final List<Agent> agents = pipeline.agents();
        switch (ctx.threadingMode())
        {
            case DEDICATED:
                for (int i = 0; i < agents.size(); i++)
                {
                    // the capture agent comes first, and its source may know how to wait for frames; the others
                    // are not urgent and park longer
                    startRunner(agents.get(i), 0 != i ? ctx.newBackgroundIdleStrategy() : ctx.newCaptureIdleStrategy());
                }
                break;

            case SHARED:
                startRunner(new CompositeAgent(agents), ctx.newIdleStrategy());
                break;

            case INVOKER:
                invoker = new AgentInvoker(errorHandler, null, new CompositeAgent(agents));
                invoker.start();
                break;

            default:
                throw new IllegalStateException("unknown threading mode " + ctx.threadingMode());
        }

        return this;
    }

    /**
     * The invoker through which the host application runs the agents in {@link ThreadingMode#INVOKER} mode: call
     * {@code invoke()} regularly, e.g. from its own duty cycle. {@link #awaitCompletion()} and {@link #close()}
     * invoke it on their calling thread while they wait, so call them from the thread that invokes, or stop
     * invoking before calling them from another.
     *
     * @return the invoker.
     * @throws IllegalStateException when not started in {@link ThreadingMode#INVOKER} mode.
     */
    public synchronized AgentInvoker invoker()
    {
        if (null == invoker)
        {
            throw new IllegalStateException("no invoker: threading mode is " + ctx.threadingMode() +
                (started ? "" : " and the analyzer is not started"));
        }

        return invoker;
    }

    /**
     * Whether everything is done: the source ended (or the analyzer was asked to stop), every bucket was sealed and
     * handed to the sinks, and every sink has taken or dropped its batches.
     *
     * @return true when complete.
     */
    public boolean isComplete()
    {
        if (!pipeline.isFlushed())
        {
            return false;
        }

        for (final SinkWorker worker : sinkWorkers)
        {
            if (!worker.isIdle())
            {
                return false;
            }
        }

        return true;
    }

    /**
     * Wait until {@link #isComplete()}: a file source has been read to its end and every bucket delivered. In
     * {@link ThreadingMode#INVOKER} mode the calling thread runs the agents while it waits. A live source completes
     * only after {@link #close()} from another thread.
     *
     * @throws IllegalStateException when not started.
     */
    public void awaitCompletion()
    {
        awaitCompletion(Long.MAX_VALUE);
    }

    /**
     * Wait until {@link #isComplete()}, at most the given time.
     *
     * @param timeout the longest wait.
     * @return true when complete, false on timeout.
     * @throws IllegalStateException when not started.
     */
    public boolean awaitCompletion(final Duration timeout)
    {
        return awaitCompletion(saturatedNanos(timeout));
    }

    /**
     * Counters of the running analyzer, readable at any time.
     *
     * @return the counters.
     */
    public TrafficCounters counters()
    {
        return counters;
    }

    /**
     * One counter's current value.
     *
     * @param counter the counter.
     * @return its value.
     */
    public long counter(final TrafficCounter counter)
    {
        return counters.get(counter);
    }

    /**
     * Number of sinks, in the order they were given to the builder.
     *
     * @return the count.
     */
    public int sinkCount()
    {
        return sinkWorkers.size();
    }

    /**
     * A sink's name: the URI it was given by, or its class name when it was given as an object.
     *
     * @param index the sink's position, from 0 to {@link #sinkCount()} - 1.
     * @return the name.
     */
    public String sinkName(final int index)
    {
        return sinkWorkers.get(index).name();
    }

    /**
     * Buckets waiting for a sink, including one being delivered or retried; 0 once the sink is closed. Read under
     * the sink's queue lock: for monitoring, not for the packet path.
     *
     * @param index the sink's position, from 0 to {@link #sinkCount()} - 1.
     * @return the queue depth.
     */
    public int sinkQueueDepth(final int index)
    {
        return sinkWorkers.get(index).pending();
    }

    /**
     * The live view: recent rates and top hosts, ports and peers.
     *
     * @return the view.
     */
    public LiveView liveView()
    {
        return pipeline.liveView();
    }

    /**
     * Every capture stream read so far, in order: each file of a file source, or the one run of a live source, with
     * the time span of its frames and how many frames, IP packets, bytes and late packets it brought. A stream's
     * figures are final once it has ended; all are after {@link #awaitCompletion()}.
     *
     * @return an unmodifiable list.
     */
    public List<StreamSummary> streams()
    {
        return pipeline.streams();
    }

    /**
     * Names of the configured views, in order.
     *
     * @return the unmodifiable list.
     */
    public List<String> views()
    {
        return pipeline.views();
    }

    /**
     * Why the source stopped early, when it failed (e.g. a damaged capture file).
     *
     * @return the failure, or null.
     */
    public Throwable sourceFailure()
    {
        return pipeline.sourceFailure();
    }

    /**
     * Close this analyzer when the JVM shuts down in an orderly way (SIGTERM, SIGINT or Ctrl-C, {@code System.exit},
     * the last non-daemon thread ending): a shutdown hook calls {@link #close()}, so every packet captured before the
     * signal is flushed to the sinks within the close timeout. An explicit {@link #close()} removes the hook. Nothing
     * runs on SIGKILL or a crash of the JVM; a store that commits whole buckets (SQLite) then keeps every bucket
     * committed before it.
     * <pre>{@code
     * TrafficAnalyzer analyzer = TrafficAnalyzer.builder().source("pcap:eth0").sink("sqlite:/var/lib/traffic/t.db")
     *     .build()
     *     .closeOnShutdown()
     *     .start();
     * }</pre>
     * In {@link ThreadingMode#INVOKER} mode the hook runs the agents on its own thread while it closes, so the host
     * application should stop invoking when its own shutdown begins.
     *
     * @return this for a fluent API.
     * @throws IllegalStateException when already closed.
     */
    public synchronized TrafficAnalyzer closeOnShutdown()
    {
        if (closed)
        {
            throw new IllegalStateException("closed");
        }
        if (null == shutdownHook)
        {
            final Thread hook = new Thread(this::close, "traffic-analyzer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            shutdownHook = hook;
        }

        return this;
    }

    /**
     * Stop capturing, seal and flush every open bucket, wait for the sinks up to the close timeout, then release
     * the source, the sinks and all memory. Batches a sink has not taken by then are counted as dropped.
     * Idempotent: a call while another thread closes waits until that close is done.
     */
    public void close()
    {
        final Thread hook;
        synchronized (this)
        {
            if (closed)
            {
                awaitCloseDone();
                return;
            }
            closed = true;
            hook = shutdownHook;
            shutdownHook = null;
        }

        try
        {
            removeShutdownHook(hook);
            closeOnce();
        }
        finally
        {
            synchronized (this)
            {
                closeDone = true;
                notifyAll();
            }
        }
    }

    private void closeOnce()
    {
        final long deadlineNs = System.nanoTime() + ctx.closeTimeoutNs();
        if (started)
        {
            pipeline.requestStop();
            while (!pipeline.isFlushed() && System.nanoTime() - deadlineNs < 0)
            {
                if (!invokeOnce())
                {
                    LockSupport.parkNanos(AWAIT_PARK_NS);
                }
            }

            if (!pipeline.isFlushed())
            {
                errorHandler.onError(new IllegalStateException(
                    "pipeline did not flush within the close timeout of " + ctx.closeTimeoutNs() / 1_000_000 + " ms"));
            }

            for (final AgentRunner runner : runners)
            {
                runner.close();
            }

            if (null != invoker)
            {
                invoker.close();
            }
        }
        else
        {
            for (final Agent agent : pipeline.agents())
            {
                closeAgent(agent);
            }
        }

        // the alerts of the last buckets go out before the sinks that store them close
        if (null != ctx.alertMonitor())
        {
            ctx.alertMonitor().close(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())));
        }

        final long sinkTimeoutNs = Math.max(0, deadlineNs - System.nanoTime());
        for (final SinkWorker worker : sinkWorkers)
        {
            worker.requestClose(sinkTimeoutNs);
        }
        for (final SinkWorker worker : sinkWorkers)
        {
            worker.close(sinkTimeoutNs);
        }
    }

    private void awaitCloseDone()
    {
        boolean interrupted = false;
        while (!closeDone)
        {
            try
            {
                wait();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeShutdownHook(final Thread hook)
    {
        if (null != hook && Thread.currentThread() != hook)
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down already: the hook is running or about to, and will find us closed
            }
        }
    }

    private boolean awaitCompletion(final long timeoutNs)
    {
        synchronized (this)
        {
            if (!started)
            {
                throw new IllegalStateException("not started");
            }
        }

        final long startNs = System.nanoTime();
        while (!isComplete())
        {
            if (System.nanoTime() - startNs >= timeoutNs)
            {
                return false;
            }

            if (!invokeOnce())
            {
                LockSupport.parkNanos(AWAIT_PARK_NS);
            }
        }

        return true;
    }

    private boolean invokeOnce()
    {
        final AgentInvoker invoker;
        synchronized (this)
        {
            invoker = this.invoker;
        }

        if (null == invoker || invoker.isClosed())
        {
            return false;
        }

        final int workCount;
        synchronized (invoker)
        {
            workCount = invoker.invoke();
        }

        return workCount > 0;
    }

    private void startRunner(final Agent agent, final IdleStrategy idleStrategy)
    {
        final AgentRunner runner = new AgentRunner(idleStrategy, errorHandler, null, agent);
        runners.add(runner);
        AgentRunner.startOnThread(runner, daemonThreads(agent.roleName()));
    }

    private void closeAgent(final Agent agent)
    {
        try
        {
            agent.onClose();
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private static ThreadFactory daemonThreads(final String name)
    {
        return (runnable) ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * The settings of an analyzer; {@link #build()} checks them all at once and rejects the first bad one with a
     * {@link ConfigurationException} that names it. Fluent setters.
     */
    public static final class Builder
    {
        /** Entries of the flow cache unless {@link #flowCacheEntries(int)} says otherwise. */
        public static final int DEFAULT_FLOW_CACHE_ENTRIES = Context.DEFAULT_FLOW_CACHE_ENTRIES;

        private final Context context = new Context();
        private Function<Context, Pipeline> pipelineFactory = Pipeline::new;

        Builder()
        {
        }

        /**
         * The capture source by URI, found by its scheme among the
         * {@link io.trafficanalyzer.core.capture.CaptureSourceProvider}s on the class path, e.g.
         * {@code "file:/data/capture.pcapng"}.
         *
         * @param uri the source URI.
         * @return this for a fluent API.
         */
        public Builder source(final String uri)
        {
            context.source(uri);
            return this;
        }

        /**
         * The capture source, e.g. a user's own; the analyzer closes it.
         *
         * @param source the source.
         * @return this for a fluent API.
         */
        public Builder source(final io.trafficanalyzer.core.capture.CaptureSource source)
        {
            context.source(source);
            return this;
        }

        /**
         * Name of this analyzer instance, carried by every contribution it makes so that a store that several
         * agents write to counts each agent's apart: 1 to 64 characters, no control characters; default the host
         * name.
         *
         * @param agent the name, e.g. {@code "edge-fra-1"}.
         * @return this for a fluent API.
         */
        public Builder agent(final String agent)
        {
            context.agent(agent);
            return this;
        }

        /**
         * The local networks as CIDR prefixes (IPv4 and IPv6); default: the private, shared, loopback and
         * link-local ranges.
         *
         * @param cidrs e.g. {@code "10.0.0.0/8", "fd00::/8"}.
         * @return this for a fluent API.
         */
        public Builder localNetworks(final String... cidrs)
        {
            context.localNetworks(cidrs);
            return this;
        }

        /**
         * Width of a time bucket, whole seconds from 1 s to 1 h; default 10 s.
         *
         * @param width the width.
         * @return this for a fluent API.
         */
        public Builder bucket(final Duration width)
        {
            context.bucket(width);
            return this;
        }

        /**
         * How long past its end a bucket stays open for packets that arrive out of order, 0 to 1 h; default 2 s.
         *
         * @param lateness the allowed lateness.
         * @return this for a fluent API.
         */
        public Builder allowedLateness(final Duration lateness)
        {
            context.allowedLateness(lateness);
            return this;
        }

        /**
         * Add a sink by URI, found by its scheme among the {@link io.trafficanalyzer.core.sink.StatsSinkProvider}s
         * on the class path, e.g. {@code "sqlite:/var/lib/traffic/stats.db"}.
         *
         * @param uri the sink URI.
         * @return this for a fluent API.
         */
        public Builder sink(final String uri)
        {
            context.sink(uri);
            return this;
        }

        /**
         * Add a sink; the analyzer closes it.
         *
         * @param sink the sink.
         * @return this for a fluent API.
         */
        public Builder sink(final io.trafficanalyzer.core.sink.StatsSink sink)
        {
            context.sink(sink);
            return this;
        }

        /**
         * Add a listener told of every sealed bucket, on the flush thread.
         *
         * @param listener the listener.
         * @return this for a fluent API.
         */
        public Builder listener(final io.trafficanalyzer.core.sink.BucketListener listener)
        {
            context.listener(listener);
            return this;
        }

        /**
         * Evaluate alert rules on each sealed bucket, off the packet path; sinks that implement
         * {@link io.trafficanalyzer.core.alert.AlertAction} store every alert.
         *
         * @param rules the rules, e.g. {@link io.trafficanalyzer.core.alert.AlertRules#parse(java.nio.file.Path)}.
         * @return this for a fluent API.
         */
        public Builder alerts(final io.trafficanalyzer.core.alert.AlertRules rules)
        {
            context.alerts(rules);
            return this;
        }

        /**
         * Number of aggregator shards, 1 to 64; default 1. The statistics are the same for any number.
         *
         * @param shards the count.
         * @return this for a fluent API.
         */
        public Builder shards(final int shards)
        {
            context.shards(shards);
            return this;
        }

        /**
         * Threads of the packet path; default {@link ThreadingMode#DEDICATED}.
         *
         * @param mode the mode.
         * @return this for a fluent API.
         */
        public Builder threadingMode(final ThreadingMode mode)
        {
            context.threadingMode(mode);
            return this;
        }

        /**
         * Idle strategy of each agent thread, one new instance per thread. The default is a
         * {@link org.agrona.concurrent.BackoffIdleStrategy} that spins a little, yields once, then parks for doubling
         * periods from 100 us to 100 ms: a saturated agent never parks, one that is not takes its work in batches
         * instead of waking for every packet, and an analyzer idle for a while wakes each thread ten times a second,
         * which keeps its CPU use near zero. In {@link ThreadingMode#DEDICATED} mode the capture thread waits as its
         * source says ({@link io.trafficanalyzer.core.capture.CaptureSource#idleStrategy()}: a live pcap source
         * sleeps in {@code poll(2)} on its sockets, like tcpdump) and the aggregator and flush threads, whose work is
         * not urgent, park from 1 ms, unless an idle strategy is chosen here, which then applies to every thread. The
         * price of parking is that the first packets after a silence may wait up to 100 ms in the kernel's capture
         * buffer and the ring buffers; choose a shorter maximum for bursty live links with small buffers.
         *
         * @param idleStrategy makes an idle strategy.
         * @return this for a fluent API.
         */
        public Builder idleStrategy(final Supplier<IdleStrategy> idleStrategy)
        {
            context.idleStrategy(idleStrategy);
            return this;
        }

        /**
         * The views by name, in order, found among the
         * {@link io.trafficanalyzer.core.view.AggregatorProvider}s on the class path; default
         * {@code "hosts", "ports", "peers"}. None is allowed (only the figures are kept).
         *
         * @param views view names.
         * @return this for a fluent API.
         */
        public Builder views(final String... views)
        {
            context.views(views);
            return this;
        }

        /**
         * Add a view of one's own after the named ones.
         *
         * @param provider creates the view's aggregators.
         * @return this for a fluent API.
         */
        public Builder aggregator(final io.trafficanalyzer.core.view.AggregatorProvider provider)
        {
            context.aggregator(provider);
            return this;
        }

        /**
         * Most keys per bucket and view before a host's further keys fold into its "other" row, divided among the
         * shards; 1 to 2^24, default 16384.
         *
         * @param maxKeys the limit.
         * @return this for a fluent API.
         */
        public Builder maxKeysPerBucket(final int maxKeys)
        {
            context.maxKeysPerBucket(maxKeys);
            return this;
        }

        /**
         * Entries of the flow cache where the capture agent counts packets of the same key (bucket, local host, peer,
         * protocol, service port, direction, VLAN, DSCP) together before they cross to the aggregators, 64 bytes
         * each: a power of two from 4 to 2^24, or 0 to send every packet on its own; default 16384. Records leave
         * the cache when their entry is needed, before their bucket is sealed and about once a second, so the live
         * view of the open buckets lags by about a second; the statistics are the same with or without it.
         *
         * @param entries the number of entries.
         * @return this for a fluent API.
         */
        public Builder flowCacheEntries(final int entries)
        {
            context.flowCacheEntries(entries);
            return this;
        }

        /**
         * Capacity in bytes of each ring buffer between the agents, a power of two from 4 KiB to 1 GiB; default
         * 4 MiB.
         *
         * @param capacity the capacity.
         * @return this for a fluent API.
         */
        public Builder ringBufferCapacity(final int capacity)
        {
            context.ringBufferCapacity(capacity);
            return this;
        }

        /**
         * Most buckets waiting for each sink, 2 to 65536; default 64. Past it, pending buckets merge.
         *
         * @param capacity the bound.
         * @return this for a fluent API.
         */
        public Builder sinkQueueCapacity(final int capacity)
        {
            context.sinkQueueCapacity(capacity);
            return this;
        }

        /**
         * Pending buckets at which a file source waits for a sink that keeps up but slowly, from 1 to the sink queue's
         * capacity; default 0: it never waits, and pending buckets merge past the queue's capacity. Waiting keeps the
         * heap to a few buckets and every bucket its own width however slow the store; a failing sink (one whose
         * oldest bucket is being retried) is never waited for. Live sources never wait.
         *
         * @param buckets the pending buckets, or 0.
         * @return this for a fluent API.
         */
        public Builder sinkWaitDepth(final int buckets)
        {
            context.sinkWaitDepth(buckets);
            return this;
        }

        /**
         * Widest bucket that merging pending buckets may produce, from the bucket width to 1 day; default the larger
         * of 1 h and twice the bucket width. Beyond it, the oldest pending bucket is dropped and counted.
         *
         * @param width the limit.
         * @return this for a fluent API.
         */
        public Builder sinkMaxMergedWidth(final Duration width)
        {
            context.sinkMaxMergedWidth(width);
            return this;
        }

        /**
         * Back-off between retries of a failing sink: doubles from the minimum up to the maximum; default 100 ms to
         * 30 s.
         *
         * @param min the first delay, at least 1 ms.
         * @param max the longest delay, at least min.
         * @return this for a fluent API.
         */
        public Builder sinkRetryBackoff(final Duration min, final Duration max)
        {
            context.sinkRetryBackoff(min, max);
            return this;
        }

        /**
         * How long {@link TrafficAnalyzer#close()} waits for the flush and the sinks; default 10 s.
         *
         * @param timeout the bound.
         * @return this for a fluent API.
         */
        public Builder closeTimeout(final Duration timeout)
        {
            context.closeTimeout(timeout);
            return this;
        }

        /**
         * Whether {@link TrafficAnalyzer#start()} registers a shutdown hook that closes the analyzer when the JVM shuts
         * down in an orderly way (see {@link TrafficAnalyzer#closeOnShutdown()}); default true, so a {@code main}
         * that returns or a service stopped by SIGTERM without calling {@link TrafficAnalyzer#close()} still flushes
         * its open buckets. A service that closes the analyzer in its own shutdown sequence may turn it off.
         *
         * @param enabled false to leave closing to the embedding service alone.
         * @return this for a fluent API.
         */
        public Builder closeOnShutdown(final boolean enabled)
        {
            context.closeOnShutdown(enabled);
            return this;
        }

        /**
         * Whether to keep the live view; default true.
         *
         * @param enabled false to save its small per-packet cost.
         * @return this for a fluent API.
         */
        public Builder liveView(final boolean enabled)
        {
            context.liveView(enabled);
            return this;
        }

        /**
         * Window of the live view's top lists, and the longest its rates may be asked for, whole seconds from 1 s
         * to 1 h; default 60 s.
         *
         * @param window the window.
         * @return this for a fluent API.
         */
        public Builder liveWindow(final Duration window)
        {
            context.liveWindow(window);
            return this;
        }

        /**
         * Window of the live view's {@link LiveView#rates()}, whole seconds from 1 s to 1 h; default 5 s.
         *
         * @param window the window.
         * @return this for a fluent API.
         */
        public Builder liveRateWindow(final Duration window)
        {
            context.liveRateWindow(window);
            return this;
        }

        /**
         * The wall clock, for sealing buckets of live sources and measuring the flush lag; tests give their own.
         *
         * @param clock the clock.
         * @return this for a fluent API.
         */
        public Builder clock(final EpochNanoClock clock)
        {
            context.clock(clock);
            return this;
        }

        /**
         * Told of every runtime error (source failure, failing sink, failing listener); by default each goes to the
         * library's log (SLF4J when bound, else one line on standard error; see {@code Logging}).
         *
         * @param errorHandler the handler.
         * @return this for a fluent API.
         */
        public Builder errorHandler(final ErrorHandler errorHandler)
        {
            context.errorHandler(errorHandler);
            return this;
        }

        /**
         * Check every setting, open the source and sinks given by URI, and assemble the analyzer. Once started, the
         * analyzer closes itself when the JVM shuts down in an orderly way, flushing its open buckets, unless
         * {@link #closeOnShutdown(boolean)} turned that off: its threads are daemons and would not hold the JVM.
         *
         * @return the analyzer, not started.
         * @throws ConfigurationException naming the first invalid setting and its value.
         */
        public TrafficAnalyzer build()
        {
            // a copy, so that the builder can build again
            final Context ctx = context.copy().conclude();
            try
            {
                return new TrafficAnalyzer(ctx, pipelineFactory.apply(ctx));
            }
            catch (final RuntimeException ex)
            {
                ctx.closeOpened();
                throw ex;
            }
        }

        Builder pipelineFactory(final Function<Context, Pipeline> factory)
        {
            pipelineFactory = factory;
            return this;
        }
    }
}
