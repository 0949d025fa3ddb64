package io.trafficanalyzer.examples;

import io.trafficanalyzer.examples.ResultTable.Kind;
import io.trafficanalyzer.sqlite.LinkPoint;
import io.trafficanalyzer.sqlite.TrafficPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
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
    private static final long[] STEPS =
        { 1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800 };
    private static final int MAX_AUTO_POINTS = 60;

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
        if (null != step && (step.getNano() != 0 || step.getSeconds() < 1))
        {
            throw CliException.usage("--step=" + Durations.format(step) + ": must be whole seconds, at least 1s");
        }

        try (StoreQueries queries = StoreQueries.open(db.path(), agent))
        {
            final StoreQueries.Span span = queries.span();
            final RangeOptions.Range resolved = null == span ? null : range.resolve(span);
            final long stepSeconds = null != step ? wholeBuckets(queries, resolved, step.getSeconds()) :
                (null == resolved ? 60 : autoStep(resolved.seconds(), span.finestSeconds()));
            final ResultTable table = newTable(queries, resolved, stepSeconds);
            if (null != resolved)
            {
                if (null == host)
                {
                    fillLink(queries, resolved, stepSeconds, table);
                }
                else
                {
                    fillHost(queries, resolved, stepSeconds, table);
                }
            }
            table.print(format, context.out());
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }

    static long autoStep(final long rangeSeconds, final long finestSeconds)
    {
        for (final long candidate : STEPS)
        {
            if (candidate >= finestSeconds && (rangeSeconds + candidate - 1) / candidate <= MAX_AUTO_POINTS)
            {
                return candidate;
            }
        }

        return STEPS[STEPS.length - 1];
    }

    /*
     * A step is a whole number of the finest buckets stored in the range: a finer or unaligned one would show
     * whole buckets at steps that do not hold them, so it is rounded up, and the user told.
     */
    private long wholeBuckets(final StoreQueries queries, final RangeOptions.Range resolved, final long stepSeconds)
    {
        final long finest = null == resolved ? 0 : queries.finestBucketSeconds(resolved.from(), resolved.to());
        if (finest <= 1 || stepSeconds % finest == 0)
        {
            return stepSeconds;
        }

        final long rounded = (stepSeconds + finest - 1) / finest * finest;
        context.err().println("note: --step=" + Durations.format(Duration.ofSeconds(stepSeconds)) + " rounded up to " +
            Durations.format(Duration.ofSeconds(rounded)) + ": steps are whole buckets, and the finest stored in " +
            "this range are " + Durations.format(Duration.ofSeconds(finest)));
        context.err().flush();
        return rounded;
    }

    private ResultTable newTable(final StoreQueries queries, final RangeOptions.Range resolved, final long stepSeconds)
    {
        final String stepText = Durations.format(Duration.ofSeconds(stepSeconds));
        final ResultTable table = new ResultTable(
            "Traffic of " + (null == host ? "the link" : host) + " per " + stepText + " in " + queries.path() +
            (null == agent ? "" : ", agent " + agent) + (null == resolved ? "" : ", " + resolved.describe()))
            .meta("db", queries.path().toString())
            .meta("agent", agent)
            .meta("host", host)
            .meta("step_seconds", stepSeconds)
            .meta("from", null == resolved ? null : resolved.from())
            .meta("to", null == resolved ? null : resolved.to())
            .emptyNote(null == resolved ? "(the store holds no traffic yet)" : "(no traffic in this range)")
            .column("time", "TIME", Kind.TIME);

        if (null == host)
        {
            table.column("packets", "PACKETS", Kind.COUNT)
                .column("bytes", "BYTES", Kind.BYTES);
        }

        table.column("in_bytes", "IN", Kind.BYTES)
            .column("out_bytes", "OUT", Kind.BYTES)
            .column("in_packets", "PKTS IN", Kind.COUNT)
            .column("out_packets", "PKTS OUT", Kind.COUNT)
            .column("bits_per_second", "RATE", Kind.RATE);

        if (null == host)
        {
            table.column("complete", "COMPLETE", Kind.FLAG);
        }

        return table;
    }

    private void fillHost(
        final StoreQueries queries, final RangeOptions.Range resolved, final long stepSeconds, final ResultTable table)
    {
        final Map<Instant, Long> seconds = rateSeconds(queries, resolved, stepSeconds);
        for (final TrafficPoint point : queries.store().hostSeries(
            queries.agent(), host, resolved.from(), resolved.to(), Duration.ofSeconds(stepSeconds)))
        {
            table.row(point.start(), point.inBytes(), point.outBytes(), point.inPackets(), point.outPackets(),
                (point.inBytes() + point.outBytes()) * 8.0 / seconds.getOrDefault(point.start(), stepSeconds));
        }
    }

    private static void fillLink(
        final StoreQueries queries, final RangeOptions.Range resolved, final long stepSeconds, final ResultTable table)
    {
        final Map<Instant, Long> seconds = rateSeconds(queries, resolved, stepSeconds);
        final Map<Instant, long[]> inOut = new TreeMap<>();
        for (final Object[] row : queries.linkInOut(resolved.from(), resolved.to(), stepSeconds))
        {
            inOut.put(Instant.ofEpochSecond(((Number)row[0]).longValue()),
                new long[]{ (Long)row[1], (Long)row[2], (Long)row[3], (Long)row[4] });
        }

        for (final LinkPoint point : queries.store().linkSeries(
            queries.agent(), resolved.from(), resolved.to(), Duration.ofSeconds(stepSeconds)))
        {
            final long[] local = inOut.getOrDefault(point.start(), new long[4]);
            table.row(point.start(), point.packets(), point.bytes(), local[0], local[2], local[1], local[3],
                point.bytes() * 8.0 / seconds.getOrDefault(point.start(), stepSeconds), point.complete());
        }
    }

    private static Map<Instant, Long> rateSeconds(
        final StoreQueries queries, final RangeOptions.Range resolved, final long stepSeconds)
    {
        final Map<Instant, Long> seconds = new TreeMap<>();
        for (final Object[] row : queries.widestBuckets(resolved.from(), resolved.to(), stepSeconds))
        {
            seconds.put(Instant.ofEpochSecond(((Number)row[0]).longValue()), Math.max(stepSeconds, (Long)row[1]));
        }
        return seconds;
    }
}
