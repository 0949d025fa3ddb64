package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.HostTraffic;
import io.trafficanalyzer.sqlite.TrafficStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Runs the analyzer on a capture source of one's own, found by its URI scheme: {@link GeneratorSourceProvider}
 * serves {@code generator:} because this module lists it in
 * {@code META-INF/services/io.trafficanalyzer.core.capture.CaptureSourceProvider}. The statistics go to a SQLite
 * store, then the top hosts are read back from it.
 * <pre>
 * java -cp examples/target/traffic-analyzer.jar io.trafficanalyzer.examples.CustomSourceExample \
 *     'generator:packets=1000000&amp;hosts=16' generated.db
 * </pre>
 */
public final class CustomSourceExample
{
    private CustomSourceExample()
    {
    }

    /**
     * Generate traffic into a store and print its top hosts.
     *
     * @param args the source URI (default {@code generator:}) and the store (default {@code generated.db}).
     */
    public static void main(final String[] args)
    {
        final String source = args.length > 0 ? args[0] : "generator:";
        final Path db = Path.of(args.length > 1 ? args[1] : "generated.db");
        run(source, db, System.out);
    }

    /**
     * Analyse everything the source delivers into the store, then print the counts and the top five hosts.
     *
     * @param sourceUri e.g. {@code "generator:packets=1000&hosts=4"}.
     * @param db        the SQLite store, created when missing.
     * @param out       where the report goes.
     * @return the top five hosts as stored.
     */
    public static List<HostTraffic> run(final String sourceUri, final Path db, final PrintStream out)
    {
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(sourceUri)
            .sink("sqlite:" + db)
            .build())
        {
            analyzer.start();
            analyzer.awaitCompletion();
            out.printf("%s: %d packets, %d bytes%n", sourceUri, analyzer.counter(TrafficCounter.PACKETS),
                analyzer.counter(TrafficCounter.BYTES));
        }

        try (TrafficStore store = TrafficStore.open(db))
        {
            final List<HostTraffic> top = store.topHosts(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"), 5);
            for (final HostTraffic host : top)
            {
                out.printf("%-15s in %d B / %d packets, out %d B / %d packets%n",
                    host.host(), host.inBytes(), host.inPackets(), host.outBytes(), host.outPackets());
            }
            return top;
        }
    }
}
