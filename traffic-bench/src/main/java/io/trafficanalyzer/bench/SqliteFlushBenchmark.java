package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.sqlite.SqliteSink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Flush latency of one bucket into the SQLite store: one transaction of sorted multi-row inserts (a new contribution
 * of one stream: its ledger record, its rows, its quality row), then the sink's bounded maintenance (rollups,
 * retention), with durable (synchronous=FULL) commits as configured by default. Each flush is a new 10 s bucket, so
 * the minute rollup of six 100 000-row buckets is part of every sixth sample.
 * <p>
 * Rows per second = rows / mean flush time. Run:
 * <pre>
 * mvn -B -o -pl traffic-bench -am package -DskipTests
 * java -jar traffic-bench/target/benchmarks.jar SqliteFlushBenchmark
 * java -jar traffic-bench/target/benchmarks.jar SqliteFlushBenchmark -p rows=100000 -p order=hashed
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class SqliteFlushBenchmark
{
    private static final int WIDTH = 10;
    private static final int HOST_ROWS = 5;
    private static final int PORT_ROWS = 15;
    private static final int PEER_ROWS = 30;
    private static final int ROWS_PER_HOST = HOST_ROWS + PORT_ROWS + PEER_ROWS;
    private static final int[] PROTOCOLS = { 6, 17, 1, 58, 47 };
    // a prime not dividing any row count used: i -> i * HASH_STRIDE mod rows is a permutation
    private static final long HASH_STRIDE = 7_919;

    /**
     * Rows per bucket, across the hosts, ports and peers views.
     */
    @Param({ "1000", "100000" })
    public int rows;

    /**
     * Order in which a bucket's rows reach the sink: {@code sorted} by local host, or {@code hashed}, a fixed
     * permutation standing for the aggregator's hash-table order.
     */
    @Param({ "sorted", "hashed" })
    public String order;

    private Path directory;
    private SqliteSink sink;
    private final Bucket bucket = new Bucket();
    private final Row row = new Row();
    private long stride;

    /**
     * Opens a store in a fresh temporary directory.
     *
     * @throws IOException when the directory cannot be created.
     */
    @Setup(Level.Trial)
    public void open() throws IOException
    {
        directory = Files.createTempDirectory("sqlite-flush");
        sink = SqliteSink.builder(directory.resolve("bench.db")).freeSpaceFloor(0).build();
        bucket.start = 1_795_687_200L;
        bucket.rowCount = rows;
        stride = "hashed".equals(order) ? HASH_STRIDE : 1;
    }

    /**
     * Closes the store and deletes its files.
     *
     * @throws IOException when a file cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void close() throws IOException
    {
        sink.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }

    /**
     * Writes one new bucket of {@link #rows} rows and commits it.
     *
     * @return rows written so far, so that nothing is optimised away.
     * @throws Exception when the sink fails.
     */
    @Benchmark
    public long flush() throws Exception
    {
        bucket.start += WIDTH;
        sink.onBatchStart(bucket);
        for (int i = 0; i < rows; i++)
        {
            sink.onRow(row.at((int)(i * stride % rows)));
        }
        sink.onBatchEnd(bucket);

        return sink.rowsWritten();
    }

    /**
     * The i-th row of a bucket, computed in place: 50 rows per local host (5 protocols, 15 service ports, 30 peers),
     * local hosts in 10.0.0.0/8, peers across the IPv4 space and some IPv6.
     */
    static final class Row implements StatsRow
    {
        private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

        private int index;
        private int host;
        private int slot;

        Row at(final int index)
        {
            this.index = index;
            host = index / ROWS_PER_HOST;
            slot = index % ROWS_PER_HOST;
            return this;
        }

        public String view()
        {
            return slot < HOST_ROWS ? HOSTS : slot < HOST_ROWS + PORT_ROWS ? PORTS : PEERS;
        }

        public long hostHi()
        {
            return 0;
        }

        public long hostLo()
        {
            return IPV4_MAPPED | 0x0A00_0000L | host;
        }

        public long peerHi()
        {
            return slot % 3 == 0 ? 0x2001_0DB8_0000_0000L : 0;
        }

        public long peerLo()
        {
            final long peer = (long)host * PEER_ROWS + slot;
            return slot % 3 == 0 ? peer : IPV4_MAPPED | (0x5000_0000L + peer * 7919 % 0x2000_0000L);
        }

        public int protocol()
        {
            return slot < HOST_ROWS ? PROTOCOLS[slot] : slot % 2 == 0 ? 6 : 17;
        }

        public int port()
        {
            return slot < HOST_ROWS + PORT_ROWS ? 1_000 + slot : 0;
        }

        public boolean served()
        {
            return (slot & 1) == 0;
        }

        public long key()
        {
            return 0;
        }

        public boolean isFolded()
        {
            return false;
        }

        public long inBytes()
        {
            return 1_000L + index;
        }

        public long inPackets()
        {
            return 10 + (index & 7);
        }

        public long outBytes()
        {
            return 2_000L + index;
        }

        public long outPackets()
        {
            return 20 + (index & 3);
        }
    }

    static final class Bucket implements StatsBatch, BucketQuality
    {
        private static final CaptureStream STREAM = CaptureStream.newRun("benchmark");

        private long start;
        private int rowCount;

        public String agent()
        {
            return "bench";
        }

        public CaptureStream stream()
        {
            return STREAM;
        }

        public int part()
        {
            return 0;
        }

        public long startEpochSecond()
        {
            return start;
        }

        public int widthSeconds()
        {
            return WIDTH;
        }

        public BucketQuality quality()
        {
            return this;
        }

        public int rowCount()
        {
            return rowCount;
        }

        public long frames()
        {
            return 1_000_000;
        }

        public long packets()
        {
            return 999_000;
        }

        public long bytes()
        {
            return 700_000_000;
        }

        public long transitPackets()
        {
            return 0;
        }

        public long transitBytes()
        {
            return 0;
        }

        public long frames(final FrameOutcome outcome)
        {
            return outcome == FrameOutcome.NON_IP ? 1_000 : 0;
        }

        public long latePackets()
        {
            return 0;
        }

        public long ringDrops()
        {
            return 0;
        }

        public long kernelDrops()
        {
            return 0;
        }

        public long foldedKeys()
        {
            return 0;
        }
    }
}
