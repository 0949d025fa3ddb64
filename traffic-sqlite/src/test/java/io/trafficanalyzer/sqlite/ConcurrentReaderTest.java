package io.trafficanalyzer.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentReaderTest
{
    private static final String ROWS = "SELECT count(*) FROM host_traffic";
    private static final String BYTES = "SELECT SUM(in_bytes) FROM port_traffic";

    @TempDir
    Path dir;

    @Test
    void shouldCommitEveryBatchWhileAReaderHoldsALongReadTransaction() throws Exception
    {
        final Path path = dir.resolve("shared.db");
        final List<TestBatch> first = Traffic.series(T0, T0 + 100, 10, 21);
        final List<TestBatch> second = Traffic.series(T0 + 100, T0 + 700, 10, 21);
        // a short busy timeout: a lock conflict would fail fast instead of waiting it out
        try (SqliteSink sink = Traffic.sink(path).busyTimeout(Duration.ofMillis(100))
            .rawRetention(Duration.ofMinutes(5)).build())
        {
            for (final TestBatch batch : first)
            {
                batch.writeTo(sink);
            }

            final SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(100);
            try (Connection reader = config.createConnection("jdbc:sqlite:" + path);
                Statement statement = reader.createStatement())
            {
                statement.execute("BEGIN");
                final long rowsBefore = Traffic.scalar(reader, ROWS);
                final long bytesBefore = Traffic.scalar(reader, BYTES);
                assertEquals(countHostRows(first), rowsBefore);

                for (final TestBatch batch : second)
                {
                    batch.writeTo(sink);
                }
                assertEquals(first.size() + second.size(), sink.batchesWritten());
                assertEquals(0, sink.maintenanceFailures());

                assertEquals(rowsBefore, Traffic.scalar(reader, ROWS));
                assertEquals(bytesBefore, Traffic.scalar(reader, BYTES));
                statement.execute("COMMIT");

                final List<TestBatch> all = new ArrayList<>(first);
                all.addAll(second);
                assertEquals(sumPortInBytes(all), Traffic.scalar(reader, BYTES));
            }
        }
    }

    @Test
    void shouldAnswerQueriesWhileTheSinkWritesWithoutLockErrors() throws Exception
    {
        final Path path = dir.resolve("busy.db");
        final List<TestBatch> batches = Traffic.series(T0, T0 + 3600, 10, 22);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> readerError = new AtomicReference<>();
        final AtomicLong queries = new AtomicLong();
        try (SqliteSink sink = Traffic.sink(path).busyTimeout(Duration.ofMillis(100))
            .rawRetention(Duration.ofMinutes(10)).build())
        {
            batches.get(0).writeTo(sink);
            final Thread reader = new Thread(() ->
            {
                try (TrafficStore store = TrafficStore.open(path, Duration.ofMillis(100)))
                {
                    long lastPackets = 0;
                    while (writing.get())
                    {
                        final long packets = store.totals(Instant.ofEpochSecond(0), Instant.ofEpochSecond(T0 + 3600))
                            .packets();
                        assertTrue(packets >= lastPackets, packets + " < " + lastPackets);
                        lastPackets = packets;
                        store.topHosts(Instant.ofEpochSecond(T0), Instant.ofEpochSecond(T0 + 3600), 3);
                        queries.incrementAndGet();
                    }
                }
                catch (final Throwable ex)
                {
                    readerError.set(ex);
                }
            });
            reader.start();
            try
            {
                for (final TestBatch batch : batches.subList(1, batches.size()))
                {
                    batch.writeTo(sink);
                }
            }
            finally
            {
                writing.set(false);
                reader.join();
            }
            assertEquals(batches.size(), sink.batchesWritten());
            assertEquals(0, sink.maintenanceFailures());
        }

        assertNull(readerError.get());
        assertTrue(queries.get() > 0);
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(batches.stream().mapToLong(b -> b.quality().packets()).sum(),
                store.totals(Instant.ofEpochSecond(0), Instant.ofEpochSecond(T0 + 3600)).packets());
        }
    }

    private static long countHostRows(final List<TestBatch> batches)
    {
        return batches.stream().flatMap(b -> b.rows().stream()).filter(r -> r.view().equals("hosts")).count();
    }

    private static long sumPortInBytes(final List<TestBatch> batches)
    {
        return batches.stream().flatMap(b -> b.rows().stream()).filter(r -> r.view().equals("ports"))
            .mapToLong(TestRow::inBytes).sum();
    }
}
