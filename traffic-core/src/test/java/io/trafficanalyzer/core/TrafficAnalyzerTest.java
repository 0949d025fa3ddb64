package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.trafficanalyzer.core.ExpectedTraffic.snapshots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficAnalyzerTest
{
    static final long S = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * S;
    static final Duration WAIT = Duration.ofSeconds(60);

    private final List<SealedBucket> sealed = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private TrafficAnalyzer.Builder builder(final CaptureSource source)
    {
        return TrafficAnalyzer.builder()
            .pipelineFactory(TestPipelines.withTestFrames())
            .source(source)
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .allowedLateness(Duration.ofSeconds(2))
            .ringBufferCapacity(64 * 1024)
            .maxKeysPerBucket(20_000)
            .sinkRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .listener(sealed::add)
            .errorHandler(errors::add);
    }

    private static List<TestPacket> traffic(final long seed, final int count)
    {
        return new TrafficGenerator(seed, 200, 300).generate(count, T0, 5 * S / 1000, 3 * S);
    }

    // no packet out of order, so no late contribution: one batch per bucket, for the tests of the sinks' queues
    private static List<TestPacket> inOrder(final long seed, final int count)
    {
        return new TrafficGenerator(seed, 200, 300).generate(count, T0, 5 * S / 1000, 0);
    }

    private static Map<Long, ExpectedTraffic.Snapshot> expected(final List<TestPacket> packets)
    {
        return new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets();
    }

    private static long totalBytes(final Map<Long, ExpectedTraffic.Snapshot> buckets)
    {
        long bytes = 0;
        for (final ExpectedTraffic.Snapshot snapshot : buckets.values())
        {
            for (final Map.Entry<ExpectedTraffic.RowKey, ExpectedTraffic.Measures> row : snapshot.rows().entrySet())
            {
                if (row.getKey().view().equals("hosts"))
                {
                    bytes += row.getValue().inBytes() + row.getValue().outBytes();
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @CsvSource({ "DEDICATED, 1", "DEDICATED, 3", "SHARED, 1", "SHARED, 3", "INVOKER, 1", "INVOKER, 3" })
    void shouldDeliverExactBucketsInEveryThreadingModeAndShardCount(final ThreadingMode mode, final int shards)
    {
        final List<TestPacket> packets = traffic(5, 10_000);
        final CollectingSink sink = new CollectingSink();
        final CollectingSink other = new CollectingSink();

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .threadingMode(mode).shards(shards).sink(sink).sink(other).build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(WAIT));

            final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
            assertEquals(expected, sink.snapshots());
            assertEquals(expected, other.snapshots());
            assertEquals(expected, snapshots(sealed));
            assertEquals(10_000, analyzer.counter(TrafficCounter.FRAMES));
            assertTrue(sealed.size() > expected.size(), "late packets must make contributions of their own");
            assertEquals(2L * sealed.size(), analyzer.counter(TrafficCounter.BATCHES_DELIVERED));
            assertEquals(List.of("hosts", "ports", "peers"), analyzer.views());
        }

        assertTrue(sink.closed);
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void shouldRetryASinkThatThrowsForAWhileAndLoseNothing()
    {
        final List<TestPacket> packets = traffic(6, 5_000);
        final CollectingSink failing = new CollectingSink().failFirst(5);

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets)).sink(failing).build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(WAIT));

            assertEquals(expected(packets), failing.snapshots());
            assertEquals(5, analyzer.counter(TrafficCounter.SINK_FAILURES));
            assertEquals(1, errors.size(), "five times the same failure is reported once: " + errors);
        }
    }

    @Test
    void shouldKeepCapturingAndFeedingOtherSinksWhileOneSinkIsBlocked() throws Exception
    {
        final List<TestPacket> packets = traffic(7, 5_000);
        final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
        final CollectingSink blocked = new CollectingSink().blockUntilReleased();
        final CollectingSink healthy = new CollectingSink();

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .sink(blocked).sink(healthy).sinkQueueCapacity(1024).build())
        {
            analyzer.start();
            blocked.awaitBlocked();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (!expected.equals(healthy.snapshots()) && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }

            assertEquals(expected, healthy.snapshots());
            assertEquals(5_000, analyzer.counter(TrafficCounter.FRAMES));
            assertFalse(analyzer.isComplete());
            assertEquals(0, blocked.commits.get());
            assertEquals(2, analyzer.sinkCount());
            assertEquals(CollectingSink.class.getName(), analyzer.sinkName(0));
            assertEquals(healthy.commits.get(), analyzer.sinkQueueDepth(0),
                "every contribution the other sink took waits here, the first at the sink");
            assertEquals(0, analyzer.sinkQueueDepth(1));

            blocked.release();
            assertTrue(analyzer.awaitCompletion(WAIT));
            assertEquals(0, analyzer.sinkQueueDepth(0));
            assertEquals(expected, blocked.snapshots());
            // each sink is delivered to on a thread of its own, named after its place in the configuration
            assertEquals(Set.of("traffic-sink-0"), blocked.threads);
            assertEquals(Set.of("traffic-sink-1"), healthy.threads);
        }
    }

    @Test
    void shouldMergePendingBucketsOfASlowSinkWithATinyQueue() throws Exception
    {
        final List<TestPacket> packets = inOrder(8, 5_000);
        final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
        final CollectingSink slow = new CollectingSink().blockUntilReleased();

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .sink(slow).sinkQueueCapacity(2).build())
        {
            analyzer.start();
            awaitSealed(expected.size());
            slow.release();
            assertTrue(analyzer.awaitCompletion(WAIT));

            // the first bucket was in flight; the others merged, pairwise from the oldest, into one
            final Map<Long, ExpectedTraffic.Snapshot> delivered = slow.snapshots();
            assertEquals(2, delivered.size());
            assertEquals(expected.size() - 2, analyzer.counter(TrafficCounter.SINK_MERGES));
            assertEquals(0, analyzer.counter(TrafficCounter.SINK_DROPS));
            final long first = expected.keySet().iterator().next();
            assertEquals(expected.get(first), delivered.get(first));
            assertEquals(first + 10, delivered.get(first + 10).start());
            assertEquals(10 * (expected.size() - 1), delivered.get(first + 10).width());
            assertEquals(totalBytes(expected), totalBytes(delivered));
        }
    }

    @Test
    void shouldMakeAFileWaitForASlowSinkWhenASinkWaitDepthIsSet() throws Exception
    {
        final List<TestPacket> packets = inOrder(8, 20_000);
        final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
        final CollectingSink slow = new CollectingSink().blockUntilReleased();

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .sink(slow).sinkQueueCapacity(2).sinkWaitDepth(2).build())
        {
            analyzer.start();
            awaitSealed(2);
            slow.awaitBlocked();
            // one bucket in flight and one pending: the file waits instead of sealing the others into merges
            TimeUnit.MILLISECONDS.sleep(200);
            assertEquals(2, sealed.size());

            slow.release();
            assertTrue(analyzer.awaitCompletion(WAIT));
            assertEquals(expected, slow.snapshots());
            assertEquals(expected.size(), slow.commits.get());
            assertEquals(0, analyzer.counter(TrafficCounter.SINK_MERGES));
            assertEquals(0, analyzer.counter(TrafficCounter.SINK_DROPS));
            assertTrue(errors.isEmpty(), errors.toString());
        }
    }

    @Test
    void shouldNotWaitForAFailingSinkWhenASinkWaitDepthIsSet() throws Exception
    {
        final List<TestPacket> packets = inOrder(8, 20_000);
        final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
        final CollectingSink failing = new CollectingSink().failFirst(1_000_000);

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .sink(failing).sinkQueueCapacity(2).sinkWaitDepth(2)
            .sinkRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(50)).build())
        {
            analyzer.start();
            // a failing sink's backlog merges as without the setting: the file is read to its end meanwhile
            awaitSealed(expected.size());
            assertEquals(packets.size(), analyzer.counter(TrafficCounter.FRAMES));
            // the listeners hear of a bucket just before the sinks' queues take it
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (analyzer.counter(TrafficCounter.SINK_MERGES) < expected.size() - 2 && System.nanoTime() < deadline)
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertEquals(expected.size() - 2, analyzer.counter(TrafficCounter.SINK_MERGES));
            failing.failFirst(0);
            assertTrue(analyzer.awaitCompletion(WAIT));
            assertEquals(totalBytes(expected), totalBytes(failing.snapshots()));
        }
    }

    @Test
    void shouldDropAndCountWhatASlowSinkCannotMergeWithinTheWidestAllowed() throws Exception
    {
        final List<TestPacket> packets = inOrder(9, 5_000);
        final Map<Long, ExpectedTraffic.Snapshot> expected = expected(packets);
        final CollectingSink slow = new CollectingSink().blockUntilReleased();

        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(packets))
            .sink(slow).sinkQueueCapacity(2).sinkMaxMergedWidth(Duration.ofSeconds(10)).build())
        {
            analyzer.start();
            awaitSealed(expected.size());
            slow.release();
            assertTrue(analyzer.awaitCompletion(WAIT));

            final Map<Long, ExpectedTraffic.Snapshot> delivered = slow.snapshots();
            final long first = expected.keySet().iterator().next();
            final long last = ((java.util.TreeMap<Long, ExpectedTraffic.Snapshot>)expected).lastKey();
            assertEquals(Map.of(first, expected.get(first), last, expected.get(last)), delivered);
            assertEquals(expected.size() - 2, analyzer.counter(TrafficCounter.SINK_DROPS));
            assertEquals(expected.size() - 2, errors.size());
        }
    }

    @Test
    void shouldFlushEveryOpenBucketOfALiveSourceOnClose() throws Exception
    {
        final List<TestPacket> packets = traffic(10, 3_000);
        final MemoryCaptureSource live = new MemoryCaptureSource(true).add(packets);
        final CollectingSink sink = new CollectingSink();
        // rings large enough for every record, so the live source never has to drop
        final TrafficAnalyzer analyzer = builder(live).sink(sink).clock(new ManualClock(T0))
            .ringBufferCapacity(1024 * 1024).build();
        analyzer.start();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (analyzer.counter(TrafficCounter.FRAMES) < packets.size() && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertFalse(analyzer.isComplete());

        analyzer.close();

        assertEquals(expected(packets), sink.snapshots());
        assertTrue(sink.closed);
        assertTrue(live.isClosed());
        assertTrue(analyzer.isComplete());
    }

    @Test
    void shouldReportAFailingSourceAndDeliverWhatWasReadBeforeIt()
    {
        final List<TestPacket> packets = traffic(11, 1_000);
        final MemoryCaptureSource good = MemoryCaptureSource.file(packets);
        final CaptureSource failing = new CaptureSource()
        {
            private boolean failed;

            public String name()
            {
                return "failing";
            }

            public boolean isLive()
            {
                return false;
            }

            public int poll(final FrameHandler handler, final int limit) throws CaptureFileException
            {
                final int count = good.poll(handler, limit);
                if (0 == count)
                {
                    failed = true;
                    throw new CaptureFileException(Path.of("damaged.pcap"), 1234, "bad block");
                }
                return count;
            }

            public boolean isEndOfStream()
            {
                return failed;
            }

            public void close()
            {
            }
        };
        final CollectingSink sink = new CollectingSink();

        try (TrafficAnalyzer analyzer = builder(failing).sink(sink).threadingMode(ThreadingMode.SHARED).build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(WAIT));

            assertEquals(expected(packets), sink.snapshots());
            assertNotNull(analyzer.sourceFailure());
            assertEquals(1, analyzer.counter(TrafficCounter.ERRORS));
            assertEquals(1, errors.size());
        }
    }

    @Test
    void shouldDeliverToTheOtherSinksOnCloseWhileOneSinkStaysBlocked() throws Exception
    {
        final List<TestPacket> packets = inOrder(12, 2_000);
        final CollectingSink blocked = new CollectingSink().blockUntilReleased();
        final CollectingSink healthy = new CollectingSink().blockUntilReleased();
        final MemoryCaptureSource file = MemoryCaptureSource.file(packets);
        // close() closes the source first: the healthy sink is released while close() runs, never before
        final CaptureSource releasingOnClose = new CaptureSource()
        {
            public String name()
            {
                return file.name();
            }

            public boolean isLive()
            {
                return file.isLive();
            }

            public int poll(final FrameHandler handler, final int limit) throws IOException
            {
                return file.poll(handler, limit);
            }

            public boolean isEndOfStream()
            {
                return file.isEndOfStream();
            }

            public void close()
            {
                file.close();
                healthy.release();
            }
        };
        final TrafficAnalyzer analyzer = builder(releasingOnClose)
            .sink(blocked).sink(healthy).closeTimeout(Duration.ofSeconds(2)).build();
        analyzer.start();
        awaitSealed(expected(packets).size());
        blocked.awaitBlocked();
        healthy.awaitBlocked();

        analyzer.close();

        assertEquals(expected(packets), healthy.snapshots());
        assertEquals(0, blocked.commits.get());
        assertTrue(analyzer.counter(TrafficCounter.SINK_DROPS) > 0);
        blocked.release();
    }

    @Test
    void shouldRefuseInvokerOutsideInvokerModeAndWaitingBeforeStart()
    {
        try (TrafficAnalyzer analyzer = builder(MemoryCaptureSource.file(List.of())).build())
        {
            assertThrows(IllegalStateException.class, analyzer::awaitCompletion);
            analyzer.start();
            assertThrows(IllegalStateException.class, analyzer::invoker);
            assertThrows(IllegalStateException.class, analyzer::start);
            assertTrue(analyzer.awaitCompletion(WAIT));
        }
    }

    @Test
    void shouldCloseSourceAndSinksWhenClosedWithoutStarting()
    {
        final MemoryCaptureSource source = MemoryCaptureSource.file(traffic(1, 10));
        final CollectingSink sink = new CollectingSink();

        builder(source).sink(sink).build().close();

        assertTrue(source.isClosed());
        assertTrue(sink.closed);
        assertEquals(0, sink.commits.get());
    }

    private void awaitSealed(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (sealed.size() < count && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        assertEquals(count, sealed.size());
    }
}
