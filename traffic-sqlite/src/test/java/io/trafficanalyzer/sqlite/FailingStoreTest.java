package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.GeneratedTraffic.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQLite store fails for a while under a running analyzer, in the three ways a file system fails a collector:
 * the disk fills up (a tiny tmpfs filled to the last byte), the file becomes read-only (the immutable attribute,
 * since root ignores file modes), the directory is removed (and cannot be created again for a while). Meanwhile
 * capture goes on; the sealed buckets wait in the sink's bounded queue, merge into wider ones when it fills, and are
 * dropped and counted only beyond the widest merge allowed; once the file system recovers, the queue is written.
 * Every figure is compared with what the test computed from the packets it generated.
 * <p>
 * Needs root (mount, chattr); skipped with a message otherwise, failed under CI.
 */
class FailingStoreTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final long INTERVAL_NS = 10_000_000L;
    private static final int WIDTH = 10;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Test
    void shouldQueueWhileTheDiskIsFullAndWriteEveryBucketOnceSpaceIsFreed() throws Exception
    {
        RootOnly.assumeRoot("disk-full test");
        final Path tiny = dir.resolve("tiny");
        RootOnly.mountTmpfs(tiny, "6m", "disk-full test");
        try
        {
            final Path db = tiny.resolve("store/traffic.db");
            final GeneratedTraffic traffic = new GeneratedTraffic(T0, INTERVAL_NS, 40, 400, 1);
            final GatedSource source = new GatedSource(traffic);
            try (TrafficAnalyzer analyzer = builder(source).sink("sqlite:" + db + "?freeSpaceFloor=0").build())
            {
                analyzer.start();
                deliverFirstBuckets(analyzer, source);

                RootOnly.fill(tiny);
                source.release(packetsBefore(93));
                awaitUntil(() -> analyzer.counter(TrafficCounter.BUCKETS_SEALED) == 9 &&
                    analyzer.counter(TrafficCounter.SINK_FAILURES) >= 2, "sealed and failing");
                assertCapturing(analyzer, source);
                assertEquals(3, analyzer.counter(TrafficCounter.BATCHES_DELIVERED));
                assertEquals(traffic.expectedHosts(0, packetsBefore(30), WIDTH), StoredHosts.read(db));
                assertTrue(String.valueOf(errors.get(0).getCause()).contains("SQLITE_FULL"), errors.get(0).toString());

                RootOnly.free(tiny);
                awaitUntil(() -> analyzer.counter(TrafficCounter.BATCHES_DELIVERED) == 9, "queued buckets written");
                finish(analyzer, source, 120);
                assertEquals(0, analyzer.counter(TrafficCounter.SINK_DROPS));
                assertEquals(0, analyzer.counter(TrafficCounter.SINK_MERGES));
            }

            assertEquals(traffic.expectedHosts(0, packetsBefore(120), WIDTH), StoredHosts.read(db));
            assertEquals(List.of("ok"), StoredHosts.integrityCheck(db));
        }
        finally
        {
            RootOnly.unmount(tiny);
        }
    }

    @Test
    void shouldMergeQueuedBucketsWhileTheFileIsReadOnlyAndLoseNoPacket() throws Exception
    {
        RootOnly.assumeRoot("read-only store test");
        RootOnly.assumeImmutableSupported(dir, "read-only store test");
        final Path db = dir.resolve("store/traffic.db");
        final Path wal = dir.resolve("store/traffic.db-wal");
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, INTERVAL_NS, 40, 400, 2);
        final GatedSource source = new GatedSource(traffic);
        try (TrafficAnalyzer analyzer = builder(source).sink("sqlite:" + db + "?freeSpaceFloor=0")
            .sinkQueueCapacity(3).build())
        {
            analyzer.start();
            deliverFirstBuckets(analyzer, source);

            RootOnly.immutable(true, db, wal);
            try
            {
                source.release(packetsBefore(93));
                awaitUntil(() -> analyzer.counter(TrafficCounter.BUCKETS_SEALED) == 9 &&
                    analyzer.counter(TrafficCounter.SINK_FAILURES) >= 2, "sealed and failing");
                assertCapturing(analyzer, source);
                assertEquals(3, analyzer.counter(TrafficCounter.BATCHES_DELIVERED));
                assertEquals(traffic.expectedHosts(0, packetsBefore(30), WIDTH), StoredHosts.read(db));
            }
            finally
            {
                RootOnly.immutable(false, db, wal);
            }
            awaitQueueWritten(analyzer);
            finish(analyzer, source, 120);
            assertTrue(analyzer.counter(TrafficCounter.SINK_MERGES) >= 3, "merges: " +
                analyzer.counter(TrafficCounter.SINK_MERGES));
            assertEquals(0, analyzer.counter(TrafficCounter.SINK_DROPS));
        }

        // every packet is in the store, the buckets written while failing merged into wider ones
        final TreeMap<Long, TreeMap<String, Totals>> expected = traffic.expectedHosts(0, packetsBefore(120), WIDTH);
        final TreeMap<Long, TreeMap<String, Totals>> stored = StoredHosts.read(db);
        assertEquals(GeneratedTraffic.sumOverBuckets(expected), GeneratedTraffic.sumOverBuckets(stored));
        int widened = 0;
        for (final long[] batch : StoredHosts.batches(db))
        {
            final Map<Long, TreeMap<String, Totals>> covered =
                expected.subMap(batch[0], true, batch[0] + batch[1], false);
            assertEquals(GeneratedTraffic.sumOverBuckets(covered), stored.get(batch[0]), "batch at " + batch[0]);
            widened += batch[1] > WIDTH ? 1 : 0;
        }
        assertTrue(widened >= 1, "a merged bucket is stored");
        assertEquals(List.of("ok"), StoredHosts.integrityCheck(db));
    }

    @Test
    void shouldRecreateARemovedDirectoryAndCountWhatTheBoundedQueueCouldNotHold() throws Exception
    {
        RootOnly.assumeRoot("removed-directory test");
        RootOnly.assumeImmutableSupported(dir, "removed-directory test");
        final Path store = dir.resolve("store");
        final Path db = store.resolve("traffic.db");
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, INTERVAL_NS, 40, 400, 3);
        final GatedSource source = new GatedSource(traffic);
        final SqliteSink sink = SqliteSink.builder(db).freeSpaceFloor(0).build();
        try (TrafficAnalyzer analyzer = builder(source).sink(sink)
            .sinkQueueCapacity(2).sinkMaxMergedWidth(Duration.ofSeconds(WIDTH)).build())
        {
            analyzer.start();
            deliverFirstBuckets(analyzer, source);

            // the operator removes the directory, and for a while it cannot be made again
            deleteTree(store);
            RootOnly.immutable(true, dir);
            try
            {
                source.release(packetsBefore(93));
                awaitUntil(() -> analyzer.counter(TrafficCounter.BUCKETS_SEALED) == 9 &&
                    analyzer.counter(TrafficCounter.SINK_FAILURES) >= 2, "sealed and failing");
                assertCapturing(analyzer, source);
                assertFalse(Files.exists(store));
            }
            finally
            {
                RootOnly.immutable(false, dir);
            }
            awaitQueueWritten(analyzer);
            assertEquals(1, sink.reopens());

            // six buckets were sealed while failing: the queue of two kept two, and counted the four others dropped
            assertEquals(4, analyzer.counter(TrafficCounter.SINK_DROPS), errors.toString());
            assertEquals(4, errors.stream().filter((e) -> String.valueOf(e.getMessage()).contains("dropped")).count());
            assertEquals(2, StoredHosts.read(db).size());

            // the rest arrives at file speed, faster than the store writes, so the queue of two may drop more
            finish(analyzer, source, 120);
            final TreeMap<Long, TreeMap<String, Totals>> expected =
                traffic.expectedHosts(0, packetsBefore(120), WIDTH);
            final TreeMap<Long, TreeMap<String, Totals>> stored = StoredHosts.read(db);
            assertEquals(expected.size() - 3, stored.size() + analyzer.counter(TrafficCounter.SINK_DROPS));
            for (final Map.Entry<Long, TreeMap<String, Totals>> bucket : stored.entrySet())
            {
                assertTrue(bucket.getKey() >= T0 / S + 3 * WIDTH, "only buckets sealed after the removal");
                assertEquals(expected.get(bucket.getKey()), bucket.getValue(), "bucket " + bucket.getKey());
            }
        }
        assertEquals(List.of("ok"), StoredHosts.integrityCheck(db));
    }

    private TrafficAnalyzer.Builder builder(final GatedSource source)
    {
        return TrafficAnalyzer.builder()
            .source(source)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(WIDTH))
            .allowedLateness(Duration.ofSeconds(2))
            .sinkRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50))
            .closeTimeout(WAIT)
            .errorHandler(errors::add);
    }

    // buckets 0, 1 and 2 sealed (the packet clock is past their end plus the lateness) and written, one at a time
    // so that even a queue of two holds them
    private static void deliverFirstBuckets(final TrafficAnalyzer analyzer, final GatedSource source)
    {
        for (int bucket = 1; bucket <= 3; bucket++)
        {
            final int delivered = bucket;
            source.release(packetsBefore(WIDTH * bucket + 3));
            awaitUntil(() -> analyzer.counter(TrafficCounter.BATCHES_DELIVERED) == delivered,
                () -> "first buckets written: " + analyzer.counters());
        }
    }

    private static void assertCapturing(final TrafficAnalyzer analyzer, final GatedSource source)
    {
        awaitUntil(() -> analyzer.counter(TrafficCounter.FRAMES) == packetsBefore(93), "every packet captured");
        assertEquals(packetsBefore(93), source.delivered());
        assertEquals(packetsBefore(93), analyzer.counter(TrafficCounter.PACKETS));
    }

    // every sealed bucket was written, merged into another or dropped: the sink's queue is empty
    private static void awaitQueueWritten(final TrafficAnalyzer analyzer)
    {
        awaitUntil(() -> analyzer.counter(TrafficCounter.BATCHES_DELIVERED) +
            analyzer.counter(TrafficCounter.SINK_MERGES) + analyzer.counter(TrafficCounter.SINK_DROPS) ==
            analyzer.counter(TrafficCounter.BUCKETS_SEALED), "queued buckets written");
    }

    private static void finish(final TrafficAnalyzer analyzer, final GatedSource source, final int seconds)
    {
        source.release(packetsBefore(seconds)).end();
        assertTrue(analyzer.awaitCompletion(WAIT), "completes");
        assertEquals(packetsBefore(seconds), analyzer.counter(TrafficCounter.FRAMES));
    }

    // the number of packets stamped before T0 + seconds
    private static int packetsBefore(final int seconds)
    {
        return (int)(seconds * S / INTERVAL_NS);
    }

    private static void awaitUntil(final BooleanSupplier condition, final String what)
    {
        awaitUntil(condition, () -> what);
    }

    private static void awaitUntil(final BooleanSupplier condition, final Supplier<String> what)
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within " + WAIT + ": " + what.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static void deleteTree(final Path root) throws Exception
    {
        try (var paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
