/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar AggregationBenchmark -prof gc
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.aggregate.HostsViewProvider;
import io.trafficanalyzer.core.aggregate.PeersViewProvider;
import io.trafficanalyzer.core.aggregate.PortsViewProvider;
import io.trafficanalyzer.core.aggregate.ShardHarness;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost per packet record of one aggregator shard, with a given number of distinct keys live in each view's
 * off-heap table: every record hits a key chosen at random among them, the worst case for the caches.
 * {@code oneView} updates the {@code ports} view only; {@code threeViews} the {@code hosts}, {@code ports} and
 * {@code peers} views, as the default configuration does. {@code -prof gc} shows no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AggregationBenchmark
{
    private static final int RECORDS = 1 << 20;
    private static final long BUCKET = 1_700_000_000L;

    /**
     * Distinct keys live in each view.
     */
    @Param({ "1000", "100000", "1000000" })
    public int keys;

    private ShardHarness oneView;
    private ShardHarness threeViews;
    private UnsafeBuffer records;
    private int next;

    /**
     * Build the records, then fill every table with all the keys, outside the measurement.
     */
    @Setup(Level.Trial)
    public void setup()
    {
        oneView = new ShardHarness(List.of(new PortsViewProvider()), keys, 1);
        threeViews = new ShardHarness(
            List.of(new HostsViewProvider(), new PortsViewProvider(), new PeersViewProvider()), keys, 1);
        records = new UnsafeBuffer(ByteBuffer.allocateDirect(RECORDS * ShardHarness.RECORD_LENGTH));

        // key i: local host 10.x.y.z with one remote peer, one service port and one side (served or client) of its
        // own, so each view holds exactly `keys` keys; the direction varies at random
        final Random random = new Random(42);
        for (int r = 0; r < RECORDS; r++)
        {
            final int key = r < keys ? r : random.nextInt(keys);
            encode(r, key, random);
        }
        for (int r = 0; r < RECORDS; r++)
        {
            oneView.onPacket(records, r * ShardHarness.RECORD_LENGTH);
            threeViews.onPacket(records, r * ShardHarness.RECORD_LENGTH);
        }

        final Random shuffle = new Random(7);
        for (int r = 0; r < RECORDS; r++)
        {
            encode(r, shuffle.nextInt(keys), shuffle);
        }
    }

    private void encode(final int record, final int key, final Random random)
    {
        final long host = 0x0000_FFFF_0A00_0000L | (key & 0xFF_FFFFL);
        final long peer = 0x0000_FFFF_CB00_0000L | ((key * 7919L) & 0xFF_FFFFL);
        oneView.encodePacket(
            records, record * ShardHarness.RECORD_LENGTH, BUCKET, 0, host, 0, peer, 6, 1 + (key % 60000),
            random.nextBoolean(), (key & 1) == 0, 40 + random.nextInt(1460));
    }

    /**
     * Release the tables.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        oneView.close();
        threeViews.close();
    }

    /**
     * One packet record into one view.
     *
     * @return the next record, consumed by JMH.
     */
    @Benchmark
    public int oneView()
    {
        final int record = next++ & (RECORDS - 1);
        oneView.onPacket(records, record * ShardHarness.RECORD_LENGTH);
        return record;
    }

    /**
     * One packet record into the three default views.
     *
     * @return the next record, consumed by JMH.
     */
    @Benchmark
    public int threeViews()
    {
        final int record = next++ & (RECORDS - 1);
        threeViews.onPacket(records, record * ShardHarness.RECORD_LENGTH);
        return record;
    }
}
