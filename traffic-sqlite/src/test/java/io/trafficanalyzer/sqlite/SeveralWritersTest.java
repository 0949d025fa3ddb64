package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.sink.SinkWorkerSettings;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several writers on one store, each a contribution stream of its own over the same buckets: two sinks of one JVM on
 * two threads, two processes, and a writer whose busy timeout runs out. Each waits its turn; the views hold the sum
 * of everything every writer wrote, computed from the rows the test generated.
 */
class SeveralWritersTest
{
    private static final int WIDTH = 10;
    private static final long MINUTE = 60;
    private static final long CHILD_TIMEOUT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void shouldSumEveryContributionWhenTwoSinksWriteOneStoreFromTwoThreads() throws Exception
    {
        final Path path = dir.resolve("threads.db");
        final int count = 90;
        final CountDownLatch start = new CountDownLatch(1);
        // both race for the lock at every bucket, so that each writes after the other committed
        final CyclicBarrier lockstep = new CyclicBarrier(2);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final SqliteSink[] sinks = new SqliteSink[2];
        final Thread[] threads = new Thread[2];
        for (int w = 0; w < 2; w++)
        {
            final int writer = w;
            threads[w] = new Thread(() ->
            {
                try
                {
                    start.await();
                    // both create the store at once, then write interleaved: rollups and retention run in both
                    sinks[writer] = Traffic.sink(path).rawRetention(Duration.ofMinutes(5)).build();
                    for (final TestBatch batch : batches(writer, count))
                    {
                        lockstep.await(1, TimeUnit.MINUTES);
                        batch.writeTo(sinks[writer]);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "writer-" + w);
            threads[w].start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join(CHILD_TIMEOUT_MS);
        }
        assertNull(failure.get());

        try
        {
            for (final SqliteSink sink : sinks)
            {
                assertEquals(count, sink.batchesWritten());
                assertEquals(0, sink.batchesReplaced());
                assertEquals(0, sink.maintenanceFailures());
            }
            assertTrue(sinks[0].othersCommitted() + sinks[1].othersCommitted() >= count,
                sinks[0].othersCommitted() + " + " + sinks[1].othersCommitted());
            sinks[0].maintainFully();
        }
        finally
        {
            sinks[0].close();
            sinks[1].close();
        }

        final List<TestBatch> all = new ArrayList<>(batches(0, count));
        all.addAll(batches(1, count));
        final long rawFrom = T0 + (count * WIDTH) - 5 * MINUTE;
        RollupTest.assertShownPerPeriod(path, all, (s) -> s >= rawFrom ? s : s / MINUTE * MINUTE);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(2 * count, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
            assertEquals(distinctAddresses(all), Traffic.scalar(connection, "SELECT count(*) FROM address"));
        }
    }

    @Test
    void shouldSumEveryContributionWhenTwoProcessesWriteOneStore() throws Exception
    {
        final Path path = dir.resolve("processes.db");
        final int count = 120;
        // a busy timeout far shorter than the other writer's run: each waits while the other commits, and never
        // fails for it
        final String busyMs = "250";
        try (ChildJvm first = ChildJvm.start(dir, "write", path.toString(), "0", Integer.toString(count), busyMs);
            ChildJvm second = ChildJvm.start(dir, "write", path.toString(), "1", Integer.toString(count), busyMs))
        {
            first.expectLine("ready", CHILD_TIMEOUT_MS);
            second.expectLine("ready", CHILD_TIMEOUT_MS);
            first.closeInput();
            second.closeInput();
            final String[] firstDone = first.expectLine("done ", CHILD_TIMEOUT_MS).split(" ");
            final String[] secondDone = second.expectLine("done ", CHILD_TIMEOUT_MS).split(" ");
            assertEquals(0, first.waitFor(CHILD_TIMEOUT_MS), first.stderr());
            assertEquals(0, second.waitFor(CHILD_TIMEOUT_MS), second.stderr());
            assertEquals(List.of(Integer.toString(count), Integer.toString(count)), List.of(firstDone[0],
                secondDone[0]));
            System.out.println("SeveralWritersTest: the writers found the other's commits " + firstDone[1] + " and " +
                secondDone[1] + " times");
        }

        final List<TestBatch> all = new ArrayList<>(batches(0, count));
        all.addAll(batches(1, count));
        SqliteSinkTest.assertViews(path, all);
        try (Connection connection = Traffic.connect(path))
        {
            SqliteSinkTest.assertQuality(connection, all);
            assertEquals(2 * count, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
            assertEquals(distinctAddresses(all), Traffic.scalar(connection, "SELECT count(*) FROM address"));
        }
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(all.stream().mapToLong((b) -> b.quality().packets()).sum(),
                store.totals(Instant.ofEpochSecond(T0), Instant.ofEpochSecond(T0 + count * WIDTH)).packets());
        }
    }

    @Test
    void shouldRetryWithBackOffAndCountWhenTheBusyTimeoutRunsOut() throws Exception
    {
        final Path path = dir.resolve("busy.db");
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final TrafficCounters counters = new TrafficCounters();
        final SqliteSink sink = Traffic.sink(path).busyTimeout(Duration.ofMillis(50)).build();
        final SinkWorker worker = new SinkWorker("sqlite:" + path, sink, new SinkWorkerSettings()
            .views(List.of("hosts", "ports", "peers")).queueCapacity(8).maxMergedWidthSeconds(3600)
            .minBackoffNs(TimeUnit.MILLISECONDS.toNanos(10)).maxBackoffNs(TimeUnit.MILLISECONDS.toNanos(40))
            .counters(counters).errorHandler(errors::add).clock(new SystemNanoClock()));
        worker.start((runnable) -> new Thread(runnable, "busy-sink"));
        try (Connection other = Traffic.connect(path); Statement statement = other.createStatement())
        {
            // another writer holds the write lock for longer than the sink waits
            statement.execute("BEGIN IMMEDIATE");
            worker.onBucketSealed(sealed(T0));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (worker.failures() < 3 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(0, worker.delivered());
            statement.execute("COMMIT");
        }
        assertTrue(worker.close(TimeUnit.SECONDS.toNanos(30)));

        assertEquals(1, worker.delivered());
        assertTrue(counters.get(TrafficCounter.SINK_FAILURES) >= 3, counters.toString());
        // every attempt counted, the same failure reported once
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(String.valueOf(errors.get(0).getCause()).contains("SQLITE_BUSY"), errors.get(0).toString());
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(1_000, Traffic.scalar(connection, "SELECT SUM(in_bytes) FROM host_traffic"));
            assertEquals(1, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
        }
    }

    /*
     * A writer's buckets: a stream of its own, local hosts of its own and remote peers that both writers meet, new
     * ones as time goes on, so that both number the same new addresses at about the same time.
     */
    static List<TestBatch> batches(final int writer, final int count)
    {
        final CaptureStream stream = TestBatch.file("writer-" + writer);
        final List<TestBatch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long start = T0 + (long)i * WIDTH;
            final Random random = new Random(writer * 1_000_003L + i);
            final List<TestRow> rows = new ArrayList<>();
            final String[] hosts = { "10." + writer + ".0.1", "10." + writer + ".0.2", "192.168.1.20" };
            for (final String host : hosts)
            {
                rows.add(TestRow.host(host, 6, 1 + random.nextInt(100_000), 1 + random.nextInt(100),
                    random.nextInt(100_000), random.nextInt(100)));
                rows.add(TestRow.port(host, 6, 443, false, random.nextInt(10_000), random.nextInt(10),
                    random.nextInt(10_000), random.nextInt(10)));
                for (int k = 0; k < 3; k++)
                {
                    rows.add(TestRow.peer(host, "198.51.100." + ((i * 2 + k) % 250 + 1), k == 2 ? 17 : 6,
                        random.nextInt(10_000), random.nextInt(10), random.nextInt(10_000), random.nextInt(10)));
                }
            }
            final TestQuality quality = new TestQuality(1_000 + random.nextInt(100), 900 + random.nextInt(100),
                500_000 + random.nextInt(1000), 0, 0, Map.of(FrameOutcome.NON_IP, (long)random.nextInt(5)), 0, 0,
                0, 0);
            batches.add(new TestBatch(TestBatch.AGENT, stream, 0, start, WIDTH, quality, rows));
        }
        return batches;
    }

    private static long distinctAddresses(final List<TestBatch> batches)
    {
        // and the '*' of folded peers, always there
        return 1 + batches.stream().flatMap((b) -> b.rows().stream())
            .flatMap((r) -> r.peer() == null ? java.util.stream.Stream.of(r.host()) :
                java.util.stream.Stream.of(r.host(), r.peer()))
            .distinct().count();
    }

    private static io.trafficanalyzer.core.sink.SealedBucket sealed(final long start)
    {
        final BucketBuilder builder = new BucketBuilder(List.of("hosts", "ports", "peers"));
        builder.addRow(0, TestRow.word("10.0.0.1", 0), TestRow.word("10.0.0.1", 8), 0, 0, 6, 0, false, 0, false,
            1_000, 10, 2_000, 20);
        return builder.build("busy-agent", CaptureStream.newRun("busy"), 0, start, WIDTH, QualityFigures.EMPTY);
    }
}
