package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.query.Durations;
import io.trafficanalyzer.web.query.OutputFormat;
import io.trafficanalyzer.web.query.ResultTable;
import io.trafficanalyzer.web.query.StoreReader;
import io.trafficanalyzer.web.query.TimeRange;
import io.trafficanalyzer.web.query.TrafficDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code report}: a time series of the link's or one host's traffic, bytes and packets in and out per step.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "A time series from a store written by 'replay', 'capture' or 'collect': bytes and packets in and out per " +
            "step, for the whole link or for one local host (--host); of one agent's rows (--agent) or of every " +
            "agent's summed.",
        "For the link, PACKETS and BYTES count every IP packet once (transit included); IN and OUT are what the " +
            "local hosts received and sent. RATE is BYTES (for a host IN + OUT) in bits per second over the step, or " +
            "over the bucket when the store keeps only coarser buckets (e.g. hour rollups) for that period: such a " +
            "bucket is shown whole at the step holding its start. Steps without a stored bucket are left out." })
final class ReportCommand implements Callable<Integer>
{
    private static final int MAX_AUTO_POINTS = TrafficDocuments.MAX_AUTO_POINTS;

    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = "traffic.db",
        converter = Converters.StoreConverter.class,
        description = "The store to read: a path or a sqlite: URI. Default: ${DEFAULT-VALUE}.")
    StoreOption db;

    @Option(names = "--host", paramLabel = "IP", converter = Converters.AddressConverter.class,
        description = "Only this local host. Default: the whole link.")
    String host;

    @Option(names = "--step", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Width of a point, whole seconds (10s, 1m, 1h). Default: the finest of 1s, 5s, 10s, 30s, 1m, " +
        "5m, 10m, 15m, 30m, 1h, 3h, 6h, 12h, 1d, 7d that is at least the stored bucket width and gives at most " +
        MAX_AUTO_POINTS + " points.")
    Duration step;

    @Option(names = "--agent", paramLabel = "NAME",
        description = "Only the rows this agent captured (the name given to 'replay' or 'capture' with --agent, " +
        "the host name by default); --last and the default range then count from its own newest bucket. " +
        "Default: every agent's rows, summed.")
    String agent;

    @Mixin
    RangeOptions range;

    @Mixin
    PercentileOptions percentile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    private final CommandContext context;

    ReportCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        if (percentile.requested())
        {
            percentile.print(this, step, context);
            return TrafficAnalyzerCommand.SUCCESS;
        }
        if (null != step && (step.getNano() != 0 || step.getSeconds() < 1))
        {
            throw CliException.usage("--step=" + Durations.format(step) + ": must be whole seconds, at least 1s");
        }

        final ResultTable table = StoreQueries.read(db.path(), reader ->
        {
            reader.checkAgent(agent, "--");
            final StoreReader.Span span = reader.span(agent);
            final TimeRange resolved = null == span ? null : range.resolve(span);
            final TrafficDocuments.Step rounded = TrafficDocuments.reportStep(reader, agent, span, resolved, step);
            if (null != rounded.note("--"))
            {
                context.err().println("note: " + rounded.note("--"));
                context.err().flush();
            }
            return TrafficDocuments.report(reader, agent, resolved, rounded, host);
        });
        table.print(format, context.out());

        return TrafficAnalyzerCommand.SUCCESS;
    }

    static long autoStep(final long rangeSeconds, final long finestSeconds)
    {
        return TrafficDocuments.autoStep(rangeSeconds, finestSeconds);
    }
}
