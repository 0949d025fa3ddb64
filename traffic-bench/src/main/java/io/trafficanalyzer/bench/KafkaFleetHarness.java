package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.kafka.KafkaCollector;
import io.trafficanalyzer.kafka.KafkaSink;
import io.trafficanalyzer.sqlite.SqliteSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Rows per second of a fleet through Kafka, side by side in one run with the same rows written by the SQLite sink
 * directly: synthetic sealed buckets of several agents are written (1) by a {@link SqliteSink}, (2) published by one
 * {@link KafkaSink} per agent, each on its own thread, (3) applied by a {@link KafkaCollector} to a fresh SQLite
 * store, and (4) applied by a collector to a sink that only counts, which is the collector's own rate.
 * <pre>
 *   traffic-kafka/scripts/kafka-broker.sh start
 *   java -cp traffic-bench/target/benchmarks.jar io.trafficanalyzer.bench.KafkaFleetHarness \
 *       bootstrap=127.0.0.1:9092 agents=3 buckets=40 hosts=8 peers=400
 * </pre>
 */
public final class KafkaFleetHarness
{
    private static final List<String> VIEWS = List.of(StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS);
    private static final long START = 1_795_687_200L;

    private KafkaFleetHarness()
    {
    }

    /**
     * Run the comparison and print one line per path.
     *
     * @param args {@code name=value} settings: bootstrap, agents, buckets, hosts (local hosts per agent), peers
     *             (peers per host and bucket), partitions, durable (whether the stores sync each commit), dir.
     * @throws Exception when a path fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> settings = new java.util.HashMap<>(Map.of(
            "bootstrap", "127.0.0.1:9092", "agents", "3", "buckets", "40", "hosts", "8", "peers", "400",
            "partitions", "6", "durable", "true", "dir", System.getProperty("java.io.tmpdir")));
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        final String bootstrap = settings.get("bootstrap");
        final int agents = Integer.parseInt(settings.get("agents"));
        final Path dir = Files.createTempDirectory(Path.of(settings.get("dir")), "kafka-fleet");
        // false: commits not synced to disk, to show what the commits' fsync costs each path
        final boolean durable = Boolean.parseBoolean(settings.get("durable"));

        final List<List<SealedBucket>> fleet = new ArrayList<>();
        long rows = 0;
        for (int agent = 0; agent < agents; agent++)
        {
            final List<SealedBucket> buckets = buckets("agent-" + agent, agent,
                Integer.parseInt(settings.get("buckets")), Integer.parseInt(settings.get("hosts")),
                Integer.parseInt(settings.get("peers")));
            fleet.add(buckets);
            for (final SealedBucket bucket : buckets)
            {
                rows += bucket.rowCount();
            }
        }
        System.out.printf(Locale.ROOT, "%d agents, %d buckets, %d rows%n", agents,
            agents * Integer.parseInt(settings.get("buckets")), rows);

        final long direct = time(() ->
        {
            try (SqliteSink sink = SqliteSink.builder(dir.resolve("direct.db")).freeSpaceFloor(0)
                .durableCommits(durable).build())
            {
                for (final List<SealedBucket> buckets : fleet)
                {
                    for (final SealedBucket bucket : buckets)
                    {
                        bucket.deliverTo(sink);
                    }
                }
            }
        });
        report("agents -> SQLite sink directly", rows, direct);

        final String topic = "bench-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic(topic, Integer.parseInt(settings.get("partitions")), (short)1)))
                .all().get(30, TimeUnit.SECONDS);
        }
        final String uri = "kafka://" + bootstrap + "/" + topic;
        final long publish = time(() ->
        {
            final List<Thread> threads = new ArrayList<>();
            final List<Exception> failures = new ArrayList<>();
            for (final List<SealedBucket> buckets : fleet)
            {
                final Thread thread = new Thread(() ->
                {
                    try (KafkaSink sink = KafkaSink.fromUri(uri).build())
                    {
                        for (final SealedBucket bucket : buckets)
                        {
                            bucket.deliverTo(sink);
                        }
                    }
                    catch (final Exception ex)
                    {
                        synchronized (failures)
                        {
                            failures.add(ex);
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (!failures.isEmpty())
            {
                throw failures.get(0);
            }
        });
        report("agents -> KafkaSink -> broker", rows, publish);

        final long intoSqlite = collect(uri, "bench-sqlite", rows,
            SqliteSink.builder(dir.resolve("collected.db")).freeSpaceFloor(0).durableCommits(durable).build());
        report("broker -> KafkaCollector -> SQLite sink", rows, intoSqlite);
        final long counting = collect(uri, "bench-count", rows, new Counting());
        report("broker -> KafkaCollector -> counting sink", rows, counting);
        System.out.printf(Locale.ROOT, "collector into SQLite / SQLite directly: %.2f of the direct rate%n",
            (double)direct / intoSqlite);
    }

    private static long collect(final String uri, final String group, final long rows, final StatsSink sink)
        throws Exception
    {
        try (KafkaCollector collector = KafkaCollector.builder(uri).groupId(group).sink(sink).build())
        {
            final Thread thread = new Thread(collector::run, "collector");
            final long start = System.nanoTime();
            thread.start();
            while (collector.rowsApplied() < rows)
            {
                Thread.sleep(1);
                if (!thread.isAlive())
                {
                    throw new IllegalStateException("the collector stopped at " + collector.rowsApplied() + " rows");
                }
            }
            final long elapsed = System.nanoTime() - start;
            collector.close();
            thread.join();
            return elapsed;
        }
    }

    // one agent's buckets: each local host talks with its peers over a few service ports
    private static List<SealedBucket> buckets(
        final String agent, final int index, final int count, final int hosts, final int peers)
    {
        final Random random = new Random(index);
        final BucketBuilder builder = new BucketBuilder(VIEWS);
        final CaptureStream stream = CaptureStream.newRun(agent);
        final List<SealedBucket> buckets = new ArrayList<>();
        for (int b = 0; b < count; b++)
        {
            for (int h = 0; h < hosts; h++)
            {
                final long hostLo = DecodedPacket.ipv4MappedLo(0x0A00_0000 | (index << 16) | (h + 1));
                for (int p = 0; p < peers; p++)
                {
                    final long peerLo = DecodedPacket.ipv4MappedLo(0xC612_0000 | random.nextInt(1 << 16));
                    final long bytes = 60 + random.nextInt(100_000);
                    final int port = 443 + (p % 20);
                    builder.addRow(0, 0, hostLo, 0, 0, 6, 0, false, 0, false, bytes, 10, bytes / 3, 7);
                    builder.addRow(1, 0, hostLo, 0, 0, 6, port, false, 0, false, bytes, 10, bytes / 3, 7);
                    builder.addRow(2, 0, hostLo, 0, peerLo, 6, 0, false, 0, false, bytes, 10, bytes / 3, 7);
                }
            }
            buckets.add(builder.build(agent, stream, 0, START + 10L * b, 10, QualityFigures.EMPTY));
        }
        return buckets;
    }

    private static long time(final Work work) throws Exception
    {
        final long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static void report(final String path, final long rows, final long nanos)
    {
        System.out.printf(Locale.ROOT, "%-45s %8.2f s %,12.0f rows/s%n", path, nanos / 1e9, rows * 1e9 / nanos);
    }

    @FunctionalInterface
    private interface Work
    {
        void run() throws Exception;
    }

    private static final class Counting implements StatsSink
    {
        private long rows;

        public void onBatchStart(final StatsBatch batch)
        {
        }

        public void onRow(final StatsRow row)
        {
            rows += row.inBytes() > 0 ? 1 : 0;
        }

        public void onBatchEnd(final StatsBatch batch)
        {
        }
    }
}
