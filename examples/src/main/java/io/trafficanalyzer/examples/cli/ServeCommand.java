package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.TrafficDashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code serve}: the read-only web dashboard, JSON API and metrics of a store, until Ctrl-C or the duration.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Serve a read-only web dashboard of a store written by 'replay' or 'capture' (the link over time, top " +
            "hosts, ports and peers, each host's page, data quality), its JSON API (/api/top and /api/report give " +
            "the documents of 'top' and 'report --format json') and /metrics (Prometheus text).",
        "Listens on loopback unless told otherwise; an address beyond loopback needs --credentials or --no-auth." })
final class ServeCommand implements Callable<Integer>
{
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = "traffic.db",
        converter = Converters.StoreConverter.class,
        description = "The store to serve: a path or a sqlite: URI. Default: ${DEFAULT-VALUE}.")
    StoreOption db;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
        description = "Where to listen. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Mixin
    DashboardOptions web;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop after this long. Default: until Ctrl-C.")
    Duration duration;

    private final CommandContext context;

    ServeCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        if (!Files.exists(db.path()))
        {
            throw CliException.usage("--db=" + db + ": no such file (write one with 'replay' or 'capture')");
        }

        final long endNs = null == duration ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        try (StopSignal stop = new StopSignal();
            TrafficDashboard ignored = web.start("--listen", DashboardOptions.address("--listen", listen),
                db.path(), null, context))
        {
            while (!stop.isRequested() && System.nanoTime() - endNs < 0)
            {
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
        catch (final InterruptedException ex)
        {
            // run in-process (a test, an embedding program): an interrupt asks to stop, like Ctrl-C
            Thread.currentThread().interrupt();
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }
}
