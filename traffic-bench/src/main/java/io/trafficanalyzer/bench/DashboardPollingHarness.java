/*
 * Run (after mvn -pl traffic-bench -am package -DskipTests):
 *   java -cp traffic-bench/target/benchmarks.jar io.trafficanalyzer.bench.DashboardPollingHarness \
 *       [FPS] [SECONDS] [ROUNDS]
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.SqliteSink;
import io.trafficanalyzer.web.TrafficDashboard;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Does a dashboard being watched slow the capture? A live source at a fixed rate feeds an analyzer writing a SQLite
 * store, with a dashboard over both, in three conditions taken in turn in the same JVM: nobody polls ({@code idle});
 * a client polls the live page's document every second as the live page does ({@code live}); a client loads the
 * store's documents every second, as the link page does on each range change ({@code store}: report, top hosts,
 * ports and peers, quality). For each it prints the CPU time of the analyzer's own threads per frame, the whole
 * process's CPU per frame, and drops; then the medians over the rounds as ratios to {@code idle}.
 * <p>
 * Arguments: frames per second (default 20000), seconds per run (default 8), rounds (default 3).
 */
public final class DashboardPollingHarness
{
    private static final String[] LIVE = { "api/live" };
    private static final String[] STORE = { "api/report?last=15m", "api/top?by=hosts&last=15m&limit=20",
        "api/top?by=ports&last=15m&limit=20", "api/top?by=peers&last=15m&limit=20", "api/quality?last=15m" };

    private DashboardPollingHarness()
    {
    }

    /**
     * Run the rounds and print the results.
     *
     * @param args frames per second, seconds per run, rounds.
     * @throws Exception when a run fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int fps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final Path dir = Files.createTempDirectory("dashboard-polling");
        final String[] conditions = { "idle", "live", "store" };
        final double[][] analyzerNs = new double[conditions.length][rounds];
        final double[][] processNs = new double[conditions.length][rounds];

        System.out.printf(Locale.ROOT, "%d frames/s, %d s per run, %d rounds (after one warm-up round)%n",
            fps, seconds, rounds);
        System.out.printf(Locale.ROOT, "%-6s %5s %10s %18s %18s %8s %6s %8s%n",
            "run", "round", "frames", "analyzer ns/frame", "process ns/frame", "drops", "polls", "ms/poll");
        for (int round = -1; round < rounds; round++)
        {
            for (int c = 0; c < conditions.length; c++)
            {
                final String[] paths = c == 0 ? null : c == 1 ? LIVE : STORE;
                final Result result = run(dir.resolve("run-" + (round + 1) + "-" + conditions[c] + ".db"), fps,
                    seconds, paths);
                if (round >= 0)
                {
                    analyzerNs[c][round] = result.analyzerNs / result.frames;
                    processNs[c][round] = result.processNs / result.frames;
                }
                System.out.printf(Locale.ROOT, "%-6s %5s %10d %18.0f %18.0f %8d %6d %8.1f%n", conditions[c],
                    round < 0 ? "warm" : Integer.toString(round + 1), result.frames,
                    result.analyzerNs / result.frames, result.processNs / result.frames, result.drops, result.polls,
                    result.pollMs);
            }
        }

        System.out.println("medians, as ratios to idle (analyzer threads, whole process):");
        for (int c = 0; c < conditions.length; c++)
        {
            System.out.printf(Locale.ROOT, "  %-6s %8.0f ns/frame %6.3f   %8.0f ns/frame %6.3f%n", conditions[c],
                median(analyzerNs[c]), median(analyzerNs[c]) / median(analyzerNs[0]),
                median(processNs[c]), median(processNs[c]) / median(processNs[0]));
        }
    }

    private static Result run(final Path db, final int fps, final int seconds, final String[] paths)
        throws Exception
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        final Set<Long> before = ids(threads);
        final SoakSource source = new SoakSource(fps, 200, 50);
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(source)
            .sink(SqliteSink.builder(db).build())
            .localNetworks("10.0.0.0/8")
            .bucket(Duration.ofSeconds(1))
            .build()
            .start())
        {
            Thread.sleep(1000);
            // the threads the analyzer started: capture, aggregators, flush, the sink's delivery
            final Set<Long> analyzerThreads = ids(threads);
            analyzerThreads.removeAll(before);

            try (TrafficDashboard dashboard = TrafficDashboard.builder()
                .store(db)
                .analyzer(analyzer)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .build()
                .start())
            {
                final String base = "http://127.0.0.1:" + dashboard.address().getPort() + "/";
                final long framesStart = analyzer.counter(TrafficCounter.FRAMES);
                final long dropsStart = analyzer.counter(TrafficCounter.RING_DROPS);
                final long analyzerStart = cpu(threads, analyzerThreads);
                final long processStart = os.getProcessCpuTime();
                final long endNs = System.nanoTime() + seconds * 1_000_000_000L;
                int polls = 0;
                long pollNs = 0;
                if (null != paths)
                {
                    get(base + (paths == LIVE ? "live" : ""));
                }
                while (System.nanoTime() - endNs < 0)
                {
                    final long tickNs = System.nanoTime();
                    if (null != paths)
                    {
                        for (final String path : paths)
                        {
                            get(base + path);
                        }
                        polls++;
                        pollNs += System.nanoTime() - tickNs;
                    }
                    final long sleepMs = 1000 - (System.nanoTime() - tickNs) / 1_000_000;
                    Thread.sleep(Math.max(0, Math.min(sleepMs, (endNs - System.nanoTime()) / 1_000_000)));
                }
                final Result result = new Result(
                    analyzer.counter(TrafficCounter.FRAMES) - framesStart,
                    cpu(threads, analyzerThreads) - analyzerStart,
                    os.getProcessCpuTime() - processStart,
                    analyzer.counter(TrafficCounter.RING_DROPS) - dropsStart,
                    polls,
                    0 == polls ? 0 : pollNs / polls / 1e6);
                return result;
            }
        }
    }

    private static void get(final String url) throws IOException
    {
        final HttpURLConnection connection = (HttpURLConnection)new URL(url).openConnection();
        try (InputStream in = connection.getInputStream())
        {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (connection.getResponseCode() != 200)
        {
            throw new IOException(url + ": HTTP " + connection.getResponseCode());
        }
    }

    private static Set<Long> ids(final ThreadMXBean threads)
    {
        final Set<Long> ids = new HashSet<>();
        for (final long id : threads.getAllThreadIds())
        {
            ids.add(id);
        }
        return ids;
    }

    private static long cpu(final ThreadMXBean threads, final Set<Long> ids)
    {
        long total = 0;
        for (final long id : ids)
        {
            final long time = threads.getThreadCpuTime(id);
            total += Math.max(0, time);
        }
        return total;
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private record Result(long frames, double analyzerNs, double processNs, long drops, int polls, double pollMs)
    {
    }
}
