package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.trafficanalyzer.core.TrafficAnalyzer.Builder.DEFAULT_FLOW_CACHE_ENTRIES;

/**
 * One run of the library on a capture file, in a JVM of its own so that the end-to-end harness measures the whole
 * process: {@link TrafficAnalyzer} from a {@code file:} source with the default configuration (10 s buckets, the
 * hosts, ports and peers views, one aggregator shard, dedicated threads) into the SQLite sink or into a
 * {@link CountingSink}.
 * <p>
 * Run as a program: {@code LibraryReplay <capture> <sqlite:DATABASE[?options]|counting> <result-file>}, the
 * {@code sqlite:} argument being a URI of {@link SqliteSink#fromUri(String)}. The result file
 * holds the counting sink's figures (for {@code counting}) and, as {@code info.} figures, the analyzer's counters
 * and the nanoseconds from start to completion.
 */
public final class LibraryReplay
{
    private LibraryReplay()
    {
    }

    /**
     * Replay a capture and write the result file; exits with status 1 when the analyzer reported an error.
     *
     * @param args the capture, the sink ({@code sqlite:DATABASE} or {@code counting}) and the result file.
     */
    public static void main(final String[] args)
    {
        if (3 != args.length)
        {
            System.err.println("usage: LibraryReplay <capture> <sqlite:DATABASE|counting> <result-file>");
            System.exit(2);
        }
        final Path capture = Paths.get(args[0]);
        final CountingSink counting = "counting".equals(args[1]) ? new CountingSink() : null;
        final StatsSink sink;
        if (null != counting)
        {
            sink = counting;
        }
        else if (args[1].startsWith("sqlite:"))
        {
            sink = SqliteSink.fromUri(args[1]).build();
        }
        else
        {
            throw new IllegalArgumentException("sink must be sqlite:DATABASE or counting: " + args[1]);
        }

        final Result result = replay(capture, sink);
        final CaptureTotals totals = null != counting ? counting.totals() : new CaptureTotals();
        result.addTo(totals);
        totals.store(Paths.get(args[2]), "LibraryReplay " + args[0] + " " + args[1]);
        if (!result.errors.isEmpty())
        {
            result.errors.forEach((error) -> error.printStackTrace(System.err));
            System.exit(1);
        }
    }

    /*
     * Run the analyzer on the capture into the sink until every bucket is delivered, then close it.
     */
    static Result replay(final Path capture, final StatsSink sink)
    {
        final Result result = new Result();
        final long startNs;
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture.toAbsolutePath())
            .localNetworks(SyntheticTraffic.LOCAL_NETWORKS)
            .sink(sink)
            .closeTimeout(Duration.ofMinutes(10))
            .flowCacheEntries(Integer.getInteger("traffic.flowCacheEntries", DEFAULT_FLOW_CACHE_ENTRIES))
            .errorHandler(result::onError)
            .build())
        {
            startNs = System.nanoTime();
            analyzer.start();
            analyzer.awaitCompletion();
            result.completedNs = System.nanoTime() - startNs;
            analyzer.close();
            result.closedNs = System.nanoTime() - startNs;
            for (int id = 0; id < TrafficCounter.count(); id++)
            {
                final TrafficCounter counter = TrafficCounter.get(id);
                result.counters[id] = analyzer.counter(counter);
            }
            if (null != analyzer.sourceFailure())
            {
                result.onError(analyzer.sourceFailure());
            }
        }

        return result;
    }

    static final class Result
    {
        final List<Throwable> errors = new ArrayList<>();
        final long[] counters = new long[TrafficCounter.count()];
        long completedNs;
        long closedNs;

        synchronized void onError(final Throwable error)
        {
            errors.add(error);
        }

        long counter(final TrafficCounter counter)
        {
            return counters[counter.id()];
        }

        void addTo(final CaptureTotals totals)
        {
            totals.put("info.completed_ns", completedNs);
            totals.put("info.closed_ns", closedNs);
            totals.put("info.errors", errors.size());
            for (int id = 0; id < counters.length; id++)
            {
                totals.put("info.counter." + TrafficCounter.get(id).label(), counters[id]);
            }
        }
    }
}
