package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.kafka.KafkaSink;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code replay} and {@code capture} send their buckets: the {@code --db} store, then every {@code --sink}
 * (without {@code --sink}, the {@code --db} store or its default). Opened before the analyzer is built, which then
 * owns them; what each took goes into the summary.
 */
final class Outputs
{
    static final String DEFAULT_STORE = "traffic.db";

    private final List<StatsSink> opened = new ArrayList<>();
    private final List<String> byUri = new ArrayList<>();
    private final List<String> shown = new ArrayList<>();
    private final List<SqliteSink> stores = new ArrayList<>();
    private final List<KafkaSink> kafkaSinks = new ArrayList<>();
    private final List<String> kafkaShown = new ArrayList<>();
    private final List<Path> created = new ArrayList<>();

    private Outputs()
    {
    }

    /*
     * Open the store and the sinks the options name; on a failure, close what was opened and name the option.
     */
    static Outputs open(final StoreOption db, final List<SinkOption> sinks)
    {
        final Outputs outputs = new Outputs();
        try
        {
            final StoreOption store = null != db ? db : sinks.isEmpty() ? StoreOption.parse(DEFAULT_STORE) : null;
            if (null != store)
            {
                outputs.addStore(store, "--db");
            }
            for (final SinkOption sink : sinks)
            {
                if (null != sink.store())
                {
                    outputs.addStore(sink.store(), "--sink");
                    continue;
                }
                final KafkaSink kafka = sink.openKafka();
                if (null != kafka)
                {
                    outputs.opened.add(kafka);
                    outputs.kafkaSinks.add(kafka);
                    outputs.kafkaShown.add(sink.shown());
                }
                else
                {
                    outputs.byUri.add(sink.toString());
                }
                outputs.shown.add(sink.shown());
            }
        }
        catch (final RuntimeException ex)
        {
            outputs.discard();
            throw ex;
        }

        return outputs;
    }

    /*
     * Hand every sink to the analyzer, which owns them from then on.
     */
    void addTo(final TrafficAnalyzer.Builder builder)
    {
        for (final StatsSink sink : opened)
        {
            builder.sink(sink);
        }
        for (final String uri : byUri)
        {
            builder.sink(uri);
        }
    }

    /*
     * Close the sinks opened here, when no analyzer took them.
     */
    void close()
    {
        for (final StatsSink sink : opened)
        {
            try
            {
                sink.close();
            }
            catch (final Exception ignore)
            {
                // nothing was written to it yet
            }
        }
    }

    /*
     * Close the sinks when the run ends before it began (a bad setting, a file that cannot be read), and remove the
     * stores this run created: nothing was written to them, and a bad option leaves nothing behind.
     */
    void discard()
    {
        close();
        for (final Path path : created)
        {
            for (final String suffix : new String[] {"", "-wal", "-shm", "-journal"})
            {
                try
                {
                    Files.deleteIfExists(path.resolveSibling(path.getFileName() + suffix));
                }
                catch (final IOException ignore)
                {
                    // a store that cannot be removed is only an empty store
                }
            }
        }
    }

    /*
     * The store a dashboard shows: the first one written, the --db store when given; null when every output is a
     * Kafka topic or another sink.
     */
    Path store()
    {
        return stores.isEmpty() ? null : stores.get(0).path();
    }

    /*
     * Where the buckets went, for a headline: "traffic.db", "kafka://b:9092/t and /data/local.db".
     */
    String describe()
    {
        if (shown.size() <= 1)
        {
            return shown.isEmpty() ? "" : shown.get(0);
        }

        return String.join(", ", shown.subList(0, shown.size() - 1)) + " and " + shown.get(shown.size() - 1);
    }

    /*
     * One summary line per store (rows written) and per Kafka sink (batches and records published).
     */
    void printFigures(final PrintWriter out)
    {
        final boolean several = shown.size() > 1;
        for (final SqliteSink store : stores)
        {
            RunSummary.line(out, "rows written", store.rowsWritten(), several ? "into " + store.path() : "");
        }
        for (int i = 0; i < kafkaSinks.size(); i++)
        {
            final KafkaSink kafka = kafkaSinks.get(i);
            RunSummary.line(out, "published", kafka.batchesPublished(), "buckets, " + kafka.recordsPublished() +
                " records, to " + kafkaShown.get(i));
            if (kafka.failures() > 0)
            {
                RunSummary.line(out, "  failures", kafka.failures(), "attempts the broker refused, retried");
            }
        }
    }

    /*
     * The stores' notes on buckets that went straight into their rollups.
     */
    void printNotes(final PrintWriter out)
    {
        for (final SqliteSink store : stores)
        {
            RunSummary.printRollupNotes(out, store);
        }
    }

    private void addStore(final StoreOption option, final String name)
    {
        final boolean exists = Files.exists(option.path());
        final SqliteSink store = option.openSink(name);
        if (!exists)
        {
            created.add(store.path());
        }
        opened.add(store);
        stores.add(store);
        shown.add(store.path().toString());
    }
}
