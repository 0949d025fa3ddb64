package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live source that never ends, captured into SQLite, stopped by {@link TrafficAnalyzer#close()} from another
 * thread, and by SIGTERM of a child JVM whose analyzer was built with {@link TrafficAnalyzer#closeOnShutdown()}:
 * every packet the source delivered before it was closed is in the store, in the right bucket, once.
 */
class GracefulShutdownTest
{
    private static final long BASE_NS = 1_700_000_000L * 1_000_000_000L;
    private static final int RATE = 2_000;
    private static final long TIMEOUT_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    void shouldStoreEveryCapturedPacketWhenClosedWhileTheSourceRuns() throws Exception
    {
        final Path db = dir.resolve("closed.db");
        final GeneratedTraffic traffic = AnalyzerChildMain.liveTraffic(11, BASE_NS);
        final AtomicLong captured = new AtomicLong(-1);
        final EndlessSource source = new EndlessSource(traffic, RATE, captured::set);
        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(source)
            .clock(source.clock())
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(AnalyzerChildMain.LIVE_WIDTH))
            .allowedLateness(Duration.ZERO)
            .ringBufferCapacity(16 * 1024 * 1024)
            .sink("sqlite:" + db + "?freeSpaceFloor=0")
            .build();
        analyzer.start();
        final long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (analyzer.counter(TrafficCounter.BATCHES_DELIVERED) < 2 && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000);
        }
        assertTrue(analyzer.counter(TrafficCounter.BATCHES_DELIVERED) >= 2, "buckets sealed by the clock");

        analyzer.close();

        final long packets = captured.get();
        assertTrue(packets > 2 * 1_000_000_000L / AnalyzerChildMain.LIVE_INTERVAL_NS, "captured " + packets);
        assertEquals(packets, analyzer.counter(TrafficCounter.FRAMES));
        assertEquals(0, analyzer.counter(TrafficCounter.RING_DROPS));
        assertEquals(0, analyzer.counter(TrafficCounter.LATE_PACKETS));
        assertEquals(traffic.expectedHosts(0, packets, AnalyzerChildMain.LIVE_WIDTH), StoredHosts.read(db));
    }

    @ParameterizedTest
    @ValueSource(strings = {"explicit", "default", "return"})
    void shouldStoreEveryCapturedPacketWhenTheJvmShutsDownWithoutClose(final String how) throws Exception
    {
        final Path db = dir.resolve("terminated-" + how + ".db");
        final long captured;
        try (ChildJvm child = ChildJvm.start(dir, "live", db.toString(), Integer.toString(RATE), "12",
            Long.toString(BASE_NS), how))
        {
            child.expectLine("started", TIMEOUT_MS);
            // buckets sealed by the clock and stored: the capture is well under way
            child.awaitDelivered(2, TIMEOUT_MS);

            if (!"return".equals(how))
            {
                child.terminate();
            }

            final String[] figures = child.expectLine("captured ", TIMEOUT_MS).split(" ");
            captured = Long.parseLong(figures[0]);
            assertEquals(List.of(figures[0], "0", "0"), List.of(figures[1], figures[2], figures[3]),
                "frames counted, ring drops and late packets");
            assertEquals("return".equals(how) ? 0 : 128 + 15, child.waitFor(TIMEOUT_MS),
                "exit status of a JVM ended by SIGTERM, or by its main returning");
        }

        assertTrue(captured > RATE, "captured " + captured);
        assertEquals(List.of("ok"), StoredHosts.integrityCheck(db));
        assertEquals(AnalyzerChildMain.liveTraffic(12, BASE_NS)
            .expectedHosts(0, captured, AnalyzerChildMain.LIVE_WIDTH), StoredHosts.read(db));
    }
}
