package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.ThreadingMode;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.live.LiveView;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.sqlite.SqliteSink;
import io.trafficanalyzer.web.query.HumanUnits;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The analyzer embedded in a service as a polite guest: the whole packet path on one shared thread, the statistics
 * in a SQLite store, the live view read every few seconds (here printed; a service would export it to its metrics),
 * and a clean shutdown that flushes every open bucket.
 * <pre>
 * sudo java -cp examples/target/traffic-analyzer.jar io.trafficanalyzer.examples.EmbeddingExample pcap:eth0 traffic.db
 * </pre>
 * The service's own life cycle maps onto three calls: {@link #start()} when it starts, {@link #close()} when it stops,
 * and whatever reads {@link #liveView()} in between.
 */
public final class EmbeddingExample implements AutoCloseable
{
    private final TrafficAnalyzer analyzer;
    private final PrintStream out;
    private final Duration reportInterval;
    private final ScheduledExecutorService reporter;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Assemble the analyzer, not yet started.
     *
     * @param sourceUri      e.g. {@code "pcap:eth0"} or {@code "file:/data/capture.pcap"}.
     * @param db             the SQLite store, created when missing.
     * @param reportInterval how often the live view is printed.
     * @param out            where the live view is printed.
     * @throws io.trafficanalyzer.core.ConfigurationException naming a bad setting.
     */
    public EmbeddingExample(final String sourceUri, final Path db, final Duration reportInterval, final PrintStream out)
    {
        this.out = out;
        this.reportInterval = reportInterval;
        this.analyzer = TrafficAnalyzer.builder()
            .source(sourceUri)
            .sink(SqliteSink.builder(db).build())
            .threadingMode(ThreadingMode.SHARED)
            .bucket(Duration.ofSeconds(10))
            .build();
        this.reporter = Executors.newSingleThreadScheduledExecutor((runnable) ->
        {
            final Thread thread = new Thread(runnable, "traffic-report");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Capture until Ctrl-C (or the end of a file source), printing the live view every 5 seconds.
     *
     * @param args the source URI (default {@code pcap:any}) and the store (default {@code traffic.db}).
     */
    public static void main(final String[] args)
    {
        final String source = args.length > 0 ? args[0] : "pcap:any";
        final Path db = Path.of(args.length > 1 ? args[1] : "traffic.db");
        final EmbeddingExample example = new EmbeddingExample(source, db, Duration.ofSeconds(5), System.out);
        final Thread shutdown = new Thread(example::close, "traffic-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        example.start();
        example.awaitCompletion();
        example.close();
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdown);
        }
        catch (final IllegalStateException ignore)
        {
            // Ctrl-C: the hook is closing the example
        }
    }

    /**
     * Start capturing and reporting.
     */
    public void start()
    {
        analyzer.start();
        final long millis = reportInterval.toMillis();
        reporter.scheduleAtFixedRate(this::report, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Wait for a file source to be read and stored; a live source completes only when closed from another thread.
     */
    public void awaitCompletion()
    {
        analyzer.awaitCompletion();
    }

    /**
     * Wait for a file source to be read and stored; a live source completes only when closed.
     *
     * @param timeout the longest wait.
     * @return true when complete.
     */
    public boolean awaitCompletion(final Duration timeout)
    {
        return analyzer.awaitCompletion(timeout);
    }

    /**
     * The live view, for a service's metrics or dashboard.
     *
     * @return the view.
     */
    public LiveView liveView()
    {
        return analyzer.liveView();
    }

    /**
     * Print the live view once: the rates of the last seconds and the top three hosts of the last minute.
     */
    public void report()
    {
        final LiveView view = analyzer.liveView();
        final LiveView.Rates rates = view.rates();
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "last %ds: %d packets, %d bytes (%d in, %d out), %s; top:", rates.seconds(), rates.packets(),
            rates.bytes(), rates.inBytes(), rates.outBytes(), HumanUnits.bitRate(rates.bitsPerSecond())));
        for (final LiveView.Entry host : view.topHosts(3))
        {
            line.append(' ');
            IpAddresses.appendTo(line, host.hostHi(), host.hostLo()).append('=').append(host.totalBytes());
        }
        out.println(line);
    }

    /**
     * Stop capturing, flush every open bucket to the store, and print the live view a last time. Idempotent.
     */
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            reporter.shutdownNow();
            analyzer.close();
            report();
        }
    }
}
