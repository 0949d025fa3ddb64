package io.trafficanalyzer.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link SqliteFlushBenchmark} of several builds compared in one JVM, for a machine too busy for wall-clock means:
 * each build's benchmarks.jar in a class loader of its own, the builds' flushes interleaved in blocks of six (one
 * minute rollup each), and the thread's CPU time per flush counted (SQLite runs on the calling thread). Load swings
 * hit every build alike; the per-block ratio to the first build is the figure to read.
 * <pre>
 * java -cp traffic-bench/target/benchmarks.jar io.trafficanalyzer.bench.SqliteFlushComparison \
 *     rows=100000 order=sorted blocks=16 /tmp/base/benchmarks.jar traffic-bench/target/benchmarks.jar
 * </pre>
 */
public final class SqliteFlushComparison
{
    private static final int FLUSHES_PER_BLOCK = 6;
    private static final int WARMUP_BLOCKS = 2;

    private SqliteFlushComparison()
    {
    }

    /**
     * Runs the comparison and prints one line per build, then each build's ratio to the first.
     *
     * @param args {@code rows=N}, {@code order=sorted|hashed}, {@code blocks=N}, then two or more benchmark jars.
     * @throws Exception when a jar cannot be loaded or a flush fails.
     */
    public static void main(final String[] args) throws Exception
    {
        int rows = 100_000;
        String order = "sorted";
        int blocks = 16;
        final List<String> jars = new ArrayList<>();
        for (final String arg : args)
        {
            if (arg.startsWith("rows="))
            {
                rows = Integer.parseInt(arg.substring(5));
            }
            else if (arg.startsWith("order="))
            {
                order = arg.substring(6);
            }
            else if (arg.startsWith("blocks="))
            {
                blocks = Integer.parseInt(arg.substring(7));
            }
            else
            {
                jars.add(arg);
            }
        }
        if (jars.size() < 2 || blocks < 4)
        {
            throw new IllegalArgumentException("usage: [rows=N] [order=sorted|hashed] [blocks=N, at least 4] " +
                "BASELINE.jar CANDIDATE.jar...");
        }

        final int builds = jars.size();
        final Object[] benchmarks = new Object[builds];
        final Method[] flush = new Method[builds];
        final Method[] close = new Method[builds];
        for (int b = 0; b < builds; b++)
        {
            final ClassLoader loader = new URLClassLoader(new URL[]{ new File(jars.get(b)).toURI().toURL() },
                ClassLoader.getPlatformClassLoader());
            final Class<?> type = loader.loadClass(SqliteFlushBenchmark.class.getName());
            benchmarks[b] = type.getConstructor().newInstance();
            type.getField("rows").setInt(benchmarks[b], rows);
            type.getField("order").set(benchmarks[b], order);
            type.getMethod("open").invoke(benchmarks[b]);
            flush[b] = type.getMethod("flush");
            close[b] = type.getMethod("close");
        }

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[][] cpuNs = new long[builds][blocks];
        try
        {
            for (int block = -WARMUP_BLOCKS; block < blocks; block++)
            {
                for (int b = 0; b < builds; b++)
                {
                    final long before = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < FLUSHES_PER_BLOCK; i++)
                    {
                        flush[b].invoke(benchmarks[b]);
                    }
                    if (block >= 0)
                    {
                        cpuNs[b][block] = threads.getCurrentThreadCpuTime() - before;
                    }
                }
            }
        }
        finally
        {
            for (int b = 0; b < builds; b++)
            {
                close[b].invoke(benchmarks[b]);
            }
        }

        System.out.printf("%d rows per flush, %s, %d blocks of %d flushes per build, thread CPU time%n", rows, order,
            blocks, FLUSHES_PER_BLOCK);
        for (int b = 0; b < builds; b++)
        {
            final long[] sorted = cpuNs[b].clone();
            Arrays.sort(sorted);
            final double medianMs = sorted[blocks / 2] / 1e6 / FLUSHES_PER_BLOCK;
            System.out.printf("  %s: %.1f ms per flush (median; min %.1f), %.0f rows per CPU second%n", jars.get(b),
                medianMs, sorted[0] / 1e6 / FLUSHES_PER_BLOCK, rows / (medianMs / 1e3));
        }
        for (int b = 1; b < builds; b++)
        {
            final double[] ratios = new double[blocks];
            for (int block = 0; block < blocks; block++)
            {
                ratios[block] = (double)cpuNs[b][block] / cpuNs[0][block];
            }
            Arrays.sort(ratios);
            System.out.printf("  %s / %s, per block: median %.3f, quartiles %.3f .. %.3f%n", jars.get(b), jars.get(0),
                ratios[blocks / 2], ratios[blocks / 4], ratios[3 * blocks / 4]);
        }
    }
}
