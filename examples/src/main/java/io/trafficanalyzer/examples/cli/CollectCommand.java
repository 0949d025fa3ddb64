package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.kafka.KafkaCollector;
import io.trafficanalyzer.sqlite.SqliteSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code collect}: consume the topic a fleet of agents publishes to ({@code replay}/{@code capture --sink kafka://})
 * and apply every bucket to one store, exactly once, until Ctrl-C or, with {@code --until-idle}, until the topic has
 * been quiet that long.
 */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Consume the Kafka topic that agents publish to ('replay' or 'capture' with --sink kafka://...) and apply " +
            "their buckets to a SQLite store, exactly once: a bucket published again (a retry, a capture replayed " +
            "again) replaces itself, the buckets of different agents add up, and each row keeps its agent (see " +
            "'top --agent'). Run one collector per store; a second one of the same --group is a standby.",
        "Runs until Ctrl-C or SIGTERM, which stop it cleanly (what was applied is committed), or with --until-idle " +
            "until no record arrived for that long. Prints a status line every " + CollectCommand.STATUS_SECONDS +
            " seconds on stderr and a summary at the end. A record that cannot be read is skipped, counted and " +
            "logged; a store that fails is retried, and nothing is lost while it does." })
final class CollectCommand implements Callable<Integer>
{
    static final int STATUS_SECONDS = 5;

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Option(names = "--from", paramLabel = "URI", required = true, converter = FromConverter.class,
        description = "The topic: kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?client settings], e.g. " +
        "kafka://broker1:9092/traffic.buckets.v1 or ...?config=/etc/traffic/kafka-client.properties (see " +
        "traffic-kafka's README).")
    String from;

    @Option(names = "--group", paramLabel = "ID",
        description = "The consumer group, whose committed offsets say where a restarted collector resumes. " +
        "Default: " + KafkaCollector.DEFAULT_GROUP_ID + " (or the URI's group.id).")
    String group;

    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = Outputs.DEFAULT_STORE,
        converter = Converters.StoreConverter.class,
        description = "The store to write, created when missing: a path, or a sqlite: URI with the store's " +
        "options, e.g. 'sqlite:fleet.db?raw=P30D' (see traffic-sqlite's README). Default: ${DEFAULT-VALUE}.")
    StoreOption db;

    @Option(names = "--until-idle", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop once no record arrived for this long (counted from joining the group) and exit 0: " +
        "for batch jobs and tests. Default: run until Ctrl-C or SIGTERM.")
    Duration untilIdle;

    private final CommandContext context;

    CollectCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        final KafkaCollector.Builder builder = KafkaCollector.builder(from);
        if (null != group)
        {
            builder.groupId(group);
        }
        final SqliteSink store = db.openSink();
        final KafkaCollector collector;
        try
        {
            collector = builder.sink(store).build();
        }
        catch (final ConfigurationException ex)
        {
            store.close();
            throw CliException.usage(describe(ex), ex);
        }

        final String target = from(from) + " (group " + collector.groupId() + ") into " + store.path();
        context.err().println("collecting from " + target +
            (null == untilIdle ? " until Ctrl-C" : " until idle for " + Durations.format(untilIdle)));
        context.err().flush();

        final Status status = new Status(context.err(), context.terminal());
        final long startNs = System.nanoTime();
        final Throwable failure;
        final boolean stopped;
        try (StopSignal stop = new StopSignal(); KafkaCollector running = collector)
        {
            final Runner runner = new Runner(running, untilIdle);
            runner.start();
            while (runner.isAlive() && !stop.isRequested())
            {
                runner.await(POLL_INTERVAL);
                status.update(running, System.nanoTime());
            }
            stopped = stop.isRequested();
            // stops the run, commits what was applied, then closes the consumer and the store
            running.close();
            runner.await(Duration.ZERO);
            status.breakLine();
            failure = runner.failure();

            summary(running, target, stopped, failure, System.nanoTime() - startNs);
            RunSummary.printRollupNotes(context.out(), store);
        }

        if (null != failure)
        {
            throw CliException.runtime("collecting from " + from(from) + " failed: " + reason(failure), failure);
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }

    private void summary(
        final KafkaCollector collector,
        final String target,
        final boolean stopped,
        final Throwable failure,
        final long elapsedNs)
    {
        final PrintWriter out = context.out();
        out.println((null != failure ? "Failed collecting from " : "Collected from ") + target +
            (stopped ? " (stopped by a signal)" : ""));
        RunSummary.line(out, "records", collector.records(), "read from the topic");
        RunSummary.line(out, "batches", collector.batchesApplied(), "applied to the store, a shard of a published " +
            "bucket each");
        RunSummary.line(out, "rows applied", collector.rowsApplied(), "");
        RunSummary.line(out, "bad records", collector.badRecords(), collector.badRecords() > 0 ?
            "skipped, logged on stderr" : "");
        if (collector.incompleteBatches() > 0)
        {
            RunSummary.line(out, "incomplete", collector.incompleteBatches(),
                "batches applied without all their records, logged on stderr");
        }
        if (collector.sinkFailures() > 0)
        {
            RunSummary.line(out, "store failures", collector.sinkFailures(), "attempts retried");
        }
        RunSummary.line(out, "lag", collector.lag(), "records on the topic not read yet");
        out.printf(Locale.ROOT, "  %-14s %.3f s%n", "elapsed", Math.max(elapsedNs, 1) / 1e9);
        out.flush();
    }

    private String describe(final ConfigurationException ex)
    {
        if (null != group && "group.id".equals(ex.setting()))
        {
            return "--group=" + group + ": " + AnalyzerBuild.problem(ex);
        }

        return "--from=" + from + ": " + SinkOption.problem(ex, "uri");
    }

    /*
     * The message and its causes': Kafka wraps the reason ("No resolvable bootstrap urls") in a generic one.
     */
    private static String reason(final Throwable failure)
    {
        final StringBuilder reason = new StringBuilder();
        for (Throwable t = failure; null != t; t = t.getCause() == t ? null : t.getCause())
        {
            final String message = null != t.getMessage() ? t.getMessage() : t.toString();
            if (reason.indexOf(message) < 0)
            {
                reason.append(reason.length() == 0 ? "" : ": ").append(message);
            }
        }

        return reason.toString();
    }

    /*
     * The topic's URI as messages show it: without the query, which may hold client settings.
     */
    private static String from(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * A {@code kafka://} URI, its syntax checked when the command line is read.
     */
    static final class FromConverter implements ITypeConverter<String>
    {
        public String convert(final String value)
        {
            try
            {
                KafkaCollector.builder(value);
                return value;
            }
            catch (final ConfigurationException ex)
            {
                throw new TypeConversionException(SinkOption.problem(ex, "uri"));
            }
        }
    }

    /**
     * The collector's own thread, so that the command's thread can draw the status and answer Ctrl-C.
     */
    private static final class Runner extends Thread
    {
        private final KafkaCollector collector;
        private final Duration untilIdle;
        private volatile Throwable failure;

        Runner(final KafkaCollector collector, final Duration untilIdle)
        {
            super("traffic-collector");
            this.collector = collector;
            this.untilIdle = untilIdle;
        }

        public void run()
        {
            try
            {
                if (null == untilIdle)
                {
                    collector.run();
                }
                else
                {
                    collector.runUntilIdle(untilIdle);
                }
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
            }
        }

        void await(final Duration timeout)
        {
            try
            {
                if (timeout.isZero())
                {
                    join();
                }
                else
                {
                    join(timeout.toMillis());
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        Throwable failure()
        {
            return failure;
        }
    }

    /**
     * The status line: records read per second over the last interval, batches applied and the lag.
     */
    private static final class Status
    {
        private static final long INTERVAL_NS = STATUS_SECONDS * 1_000_000_000L;

        private final PrintWriter err;
        private final boolean terminal;
        private long lastNs = System.nanoTime();
        private long lastRecords;
        private boolean drawn;

        Status(final PrintWriter err, final boolean terminal)
        {
            this.err = err;
            this.terminal = terminal;
        }

        void update(final KafkaCollector collector, final long nowNs)
        {
            if (nowNs - lastNs < INTERVAL_NS)
            {
                return;
            }

            final long records = collector.records();
            final String line = String.format(Locale.ROOT, "collect: %s records/s  applied %s batches, %s rows  " +
                "lag %d  bad %d", HumanUnits.count(Math.round((records - lastRecords) / ((nowNs - lastNs) / 1e9))),
                HumanUnits.count(collector.batchesApplied()), HumanUnits.count(collector.rowsApplied()),
                collector.lag(), collector.badRecords());
            lastNs = nowNs;
            lastRecords = records;
            if (terminal)
            {
                err.print("\r" + line + "   ");
                drawn = true;
            }
            else
            {
                err.println(line);
            }
            err.flush();
        }

        void breakLine()
        {
            if (drawn)
            {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
