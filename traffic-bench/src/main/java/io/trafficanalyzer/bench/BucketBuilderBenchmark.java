/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar BucketBuilderBenchmark
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time to seal one bucket: the flush agent adds a bucket's rows to a {@link BucketBuilder} and builds the immutable,
 * key-ordered {@link SealedBucket} (sort, then one column at a time); the sink worker merges two pending buckets the
 * same way. Rows are those of {@link SqliteFlushBenchmark}: 50 per local host (5 protocols, 15 service ports, 30
 * peers), handed over {@code sorted} by local host or {@code hashed}, a fixed permutation standing for a hash-table
 * order.
 * <p>
 * {@code build} adds the rows and builds; {@code merge} merges such a bucket with one of the later half of its rows,
 * whose peer rows are new keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BucketBuilderBenchmark
{
    private static final io.trafficanalyzer.core.capture.CaptureStream STREAM =
        io.trafficanalyzer.core.capture.CaptureStream.newRun("benchmark");
    private static final List<String> VIEWS = List.of("hosts", "ports", "peers");
    private static final int HOST_ROWS = 5;
    private static final int PORT_ROWS = 15;
    private static final int ROWS_PER_HOST = 50;
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;
    // a prime not dividing any row count used: i -> i * HASH_STRIDE mod rows is a permutation
    private static final long HASH_STRIDE = 7_919;

    /**
     * Rows per bucket, across the hosts, ports and peers views.
     */
    @Param({ "1000", "100000" })
    public int rows;

    /**
     * Order in which the rows are added: {@code sorted} by local host, or {@code hashed}.
     */
    @Param({ "sorted", "hashed" })
    public String order;

    private final BucketBuilder builder = new BucketBuilder(VIEWS);
    private int[] views;
    private long[] hosts;
    private long[] peers;
    private int[] protocols;
    private int[] ports;
    private SealedBucket older;
    private SealedBucket newer;

    /**
     * Computes the rows in the order they are added, and the two buckets to merge.
     */
    @Setup
    public void setUp()
    {
        views = new int[rows];
        hosts = new long[rows];
        peers = new long[rows];
        protocols = new int[rows];
        ports = new int[rows];
        final long stride = "hashed".equals(order) ? HASH_STRIDE : 1;
        for (int i = 0; i < rows; i++)
        {
            final int index = (int)(i * stride % rows);
            final int host = index / ROWS_PER_HOST;
            final int slot = index % ROWS_PER_HOST;
            views[i] = slot < HOST_ROWS ? 0 : slot < HOST_ROWS + PORT_ROWS ? 1 : 2;
            hosts[i] = IPV4_MAPPED | 0x0A00_0000L | host;
            final long peer = (long)host * ROWS_PER_HOST + slot;
            peers[i] = views[i] == 2 ? IPV4_MAPPED | (0x5000_0000L + peer * HASH_STRIDE % 0x2000_0000L) : 0;
            protocols[i] = slot < HOST_ROWS ? slot : slot % 2 == 0 ? 6 : 17;
            ports[i] = views[i] == 1 ? 1_000 + slot : 0;
        }
        older = build(0, 0);
        newer = build(rows / 2, 1);
    }

    /**
     * Adds a bucket's rows and builds it.
     *
     * @return the bucket.
     */
    @Benchmark
    public SealedBucket build()
    {
        return build(0, 0);
    }

    /**
     * Merges two buckets into one.
     *
     * @return the merged bucket.
     */
    @Benchmark
    public SealedBucket merge()
    {
        return builder.merge(older, newer);
    }

    private SealedBucket build(final int from, final long peerOffset)
    {
        for (int i = from; i < rows; i++)
        {
            builder.addRow(views[i], 0, hosts[i], 0, peers[i] + (peers[i] == 0 ? 0 : peerOffset), protocols[i],
                ports[i], (ports[i] & 1) == 0, 0, false, i, 1, 0, 0);
        }

        return builder.build("bench", STREAM, 0, 1_795_687_200L, 10, QualityFigures.EMPTY);
    }
}
