/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar AggregationBenchmark -prof gc
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.view.HostsViewProvider;
import io.trafficanalyzer.core.view.PeersViewProvider;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.view.PortsViewProvider;
import io.trafficanalyzer.core.ShardHarness;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Cost per packet record of one aggregator shard with a given number of distinct keys live in its off-heap tables;
 * records arrive in batches of {@value #BATCH}, as reads of its ring buffer hand them over, and each hits a key
 * chosen at random among the live ones, so the caches help only as far as the tables fit in them.
 * <p>
 * {@code traffic=uniform} is the worst case: {@code keys} local hosts, each with one service port and one peer, so
 * that every view holds {@code keys} keys. {@code traffic=realistic} holds {@code keys} keys in all: a few local
 * hosts ({@code keys * 3 / 1000}) with ten service ports each, and all other keys host/peer pairs, so the hosts
 * and ports views stay small and the peers view is large. {@code traffic=flows} holds the keys of {@code realistic}
 * but sends conversations, as links carry them: each packet belongs to one of 4096 open flows, picked at random, and
 * a flow is some 48 packets of one host/peer pair in both directions before another pair takes its place.
 * <p>
 * {@code oneView} updates the {@code ports} view only; {@code threeViews} the {@code hosts}, {@code ports} and
 * {@code peers} views, as the default configuration does. {@code threeViewsThroughFlowCache} sends packets through the
 * capture agent's flow cache first (16 384 entries, the default), as the pipeline does, so that a packet costs a
 * look-up there and reaches the views only when its record leaves the cache: the score is per packet, the cache's
 * work included. {@code -prof gc} shows no allocation.
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
    private static final int BATCH = 256;
    private static final int FLOWS = 4096;
    private static final int FLOW_PACKETS = 48;
    private static final int PORTS_PER_HOST = 10;
    private static final int TCP_PORTS_PER_HOST = 8;
    private static final long BUCKET = 1_700_000_000L;

    /**
     * Distinct keys live in the views.
     */
    @Param({ "1000", "100000", "1000000" })
    public int keys;

    /**
     * How the keys are spread over the views: {@code uniform} or {@code realistic}.
     */
    @Param({ "uniform", "realistic", "flows" })
    public String traffic;

    private ShardHarness oneView;
    private ShardHarness threeViews;
    private ShardHarness throughCache;
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

        // pair i: local host 10.x.y.z talking to a remote peer of its own, on one of its host's service ports; the
        // first records hit every pair once, so every key is live before the measurement; the direction varies
        final boolean uniform = "uniform".equals(traffic);
        final boolean flows = "flows".equals(traffic);
        final int hosts = uniform ? keys : Math.max(1, keys * 3 / 1000);
        final int pairs = uniform ? keys : keys - hosts * (2 + PORTS_PER_HOST);
        final Random random = new Random(42);
        for (int r = 0; r < RECORDS; r++)
        {
            encode(r, r < pairs ? r : random.nextInt(pairs), hosts, uniform, random);
        }
        throughCache = new ShardHarness(
            List.of(new HostsViewProvider(), new PortsViewProvider(), new PeersViewProvider()), keys, 1)
            .flowCache(TrafficAnalyzer.Builder.DEFAULT_FLOW_CACHE_ENTRIES);
        for (int r = 0; r < RECORDS; r += BATCH)
        {
            oneView.onPackets(records, r * ShardHarness.RECORD_LENGTH, BATCH);
            threeViews.onPackets(records, r * ShardHarness.RECORD_LENGTH, BATCH);
            throughCache.onPacketsThroughCache(records, r * ShardHarness.RECORD_LENGTH, BATCH);
        }
        throughCache.flushFlowCache();

        final Random shuffle = new Random(7);
        if (flows)
        {
            // conversations: a packet of one of FLOWS open flows at a time, each flow a pair's packets, geometric
            // in number with a mean of FLOW_PACKETS, both directions, then a new pair
            final int[] flowPair = new int[FLOWS];
            final int[] flowLeft = new int[FLOWS];
            for (int r = 0; r < RECORDS; r++)
            {
                final int flow = shuffle.nextInt(FLOWS);
                if (0 == flowLeft[flow])
                {
                    flowPair[flow] = shuffle.nextInt(pairs);
                    flowLeft[flow] = 1 + (int)(-FLOW_PACKETS * Math.log(1 - shuffle.nextDouble()));
                }
                flowLeft[flow]--;
                encode(r, flowPair[flow], hosts, false, shuffle);
            }
        }
        else
        {
            for (int r = 0; r < RECORDS; r++)
            {
                encode(r, shuffle.nextInt(pairs), hosts, uniform, shuffle);
            }
        }

    }

    private void encode(final int record, final int pair, final int hosts, final boolean uniform, final Random random)
    {
        final int host = pair % hosts;
        final long hostLo = 0x0000_FFFF_0A00_0000L | (host & 0xFF_FFFFL);
        final long peerLo = 0x0000_FFFF_CB00_0000L | ((pair * 7919L) & 0xFF_FFFFL);
        final int port;
        final int protocol;
        final boolean served;
        if (uniform)
        {
            // one service port and one side (served or client) per host
            port = 1 + (host % 60000);
            protocol = 6;
            served = (host & 1) == 0;
        }
        else
        {
            // each pair uses one of its host's ports, TCP and UDP, so the hosts view holds two keys per host
            final int hostPort = (pair / hosts) % PORTS_PER_HOST;
            port = 1000 + hostPort;
            protocol = hostPort < TCP_PORTS_PER_HOST ? 6 : 17;
            served = (hostPort & 1) == 0;
        }

        oneView.encodePacket(
            records, record * ShardHarness.RECORD_LENGTH, BUCKET, 0, hostLo, 0, peerLo, protocol, port,
            random.nextBoolean(), served, 40 + random.nextInt(1460));
    }

    /**
     * Release the tables.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        oneView.close();
        threeViews.close();
        throughCache.close();
    }

    /**
     * A batch of packet records into one view.
     *
     * @return the first record of the batch, consumed by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int oneView()
    {
        final int record = nextBatch();
        oneView.onPackets(records, record * ShardHarness.RECORD_LENGTH, BATCH);
        return record;
    }

    /**
     * A batch of packet records into the three default views.
     *
     * @return the first record of the batch, consumed by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int threeViews()
    {
        final int record = nextBatch();
        threeViews.onPackets(records, record * ShardHarness.RECORD_LENGTH, BATCH);
        return record;
    }

    /**
     * A batch of packets through the capture agent's flow cache into the three default views, as the pipeline
     * counts them: a packet costs a look-up in the cache, and a count in the views only when its record leaves.
     *
     * @return the first packet of the batch, consumed by JMH.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int threeViewsThroughFlowCache()
    {
        final int record = nextBatch();
        throughCache.onPacketsThroughCache(records, record * ShardHarness.RECORD_LENGTH, BATCH);
        return record;
    }

    private int nextBatch()
    {
        final int record = next;
        next = (record + BATCH) & (RECORDS - 1);
        return record;
    }
}
