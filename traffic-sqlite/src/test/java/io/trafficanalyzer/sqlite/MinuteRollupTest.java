package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MinuteRollupTest
{
    private static final long MINUTE = 60;
    private static final String[] TABLES = { "host_stats", "port_stats", "peer_stats" };
    private static final String[] KEYS = { "host_id, protocol", "host_id, protocol, port, served",
        "host_id, peer_id, protocol" };

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryMinuteFromMemoryWhenEachBucketOfItPassedThroughTheSink() throws Exception
    {
        final Path path = dir.resolve("minutes.db");
        final List<TestBatch> batches = Traffic.series(T0, T0 + 10 * MINUTE, 10, 3);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            assertEquals(10, sink.history().minutes().minutesWritten());
        }
        assertMinutesAreTheQueryOfTheRawRows(path, 10);
        assertMinuteTotals(path, batches);
    }

    @Test
    void shouldRollTheMinuteUpByQueryWhenABucketOfItWasReplaced() throws Exception
    {
        final Path path = dir.resolve("replaced.db");
        final List<TestBatch> batches = new ArrayList<>(Traffic.series(T0, T0 + 3 * MINUTE, 10, 4));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (int i = 0; i < batches.size(); i++)
            {
                batches.get(i).writeTo(sink);
                if (i == 8)
                {
                    final TestBatch replacement = Traffic.batch(T0 + 80, 10, 77);
                    replacement.writeTo(sink);
                    batches.set(i, replacement);
                }
            }
            assertEquals(1, sink.batchesReplaced());
            assertEquals(2, sink.history().minutes().minutesWritten());
        }
        assertMinutesAreTheQueryOfTheRawRows(path, 3);
        assertMinuteTotals(path, batches);
    }

    @Test
    void shouldRollTheMinuteUpByQueryWhenAnAttemptWasAbandonedOrTheSinkReopened() throws Exception
    {
        final Path path = dir.resolve("reopened.db");
        final List<TestBatch> batches = Traffic.series(T0, T0 + 4 * MINUTE, 10, 5);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (int i = 0; i < 9; i++)
            {
                if (i == 3)
                {
                    // an attempt abandoned half-way: the retry starts the bucket again
                    final TestBatch batch = batches.get(i);
                    sink.onBatchStart(batch);
                    for (final StatsRow row : batch.rows())
                    {
                        sink.onRow(row);
                    }
                }
                batches.get(i).writeTo(sink);
            }
            assertEquals(0, sink.history().minutes().minutesWritten());
        }
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (int i = 9; i < batches.size(); i++)
            {
                batches.get(i).writeTo(sink);
            }
            assertEquals(2, sink.history().minutes().minutesWritten());
        }
        assertMinutesAreTheQueryOfTheRawRows(path, 4);
        assertMinuteTotals(path, batches);
    }

    @Test
    void shouldKeepTheWidestBucketOfEachKeyWhenAMergedBucketSpansMinutes() throws Exception
    {
        final Path path = dir.resolve("wide.db");
        final List<TestBatch> batches = new ArrayList<>();
        batches.add(Traffic.batch(T0, 10, 6));
        batches.add(Traffic.batch(T0 + 10, 110, 7));
        batches.addAll(Traffic.series(T0 + 2 * MINUTE, T0 + 4 * MINUTE, 30, 8));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            assertEquals(3, sink.history().minutes().minutesWritten());
        }
        assertMinutesAreTheQueryOfTheRawRows(path, 3);
        assertMinuteTotals(path, batches);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(110, Traffic.scalar(connection,
                "SELECT MAX(bucket_seconds) FROM peer_stats WHERE level = 1 AND bucket_start = ?", T0));
            assertEquals(60, Traffic.scalar(connection,
                "SELECT MIN(bucket_seconds) FROM host_stats WHERE level = 1 AND bucket_start = ?", T0 + 120));
        }
    }

    /*
     * The stored minute rows are exactly what the rollup query computes from the raw rows, both ways.
     */
    private static void assertMinutesAreTheQueryOfTheRawRows(final Path path, final int minutes) throws Exception
    {
        try (Connection connection = Traffic.connect(path))
        {
            for (int t = 0; t < TABLES.length; t++)
            {
                final String stored = "SELECT bucket_start, " + KEYS[t] + ", bucket_seconds, in_bytes, in_packets, " +
                    "out_bytes, out_packets FROM " + TABLES[t] + " WHERE level = 1";
                final String query = "SELECT (bucket_start / 60) * 60, " + KEYS[t] + ", MAX(60, MAX(bucket_seconds))" +
                    ", SUM(in_bytes), SUM(in_packets), SUM(out_bytes), SUM(out_packets) FROM " + TABLES[t] +
                    " WHERE level = 0 GROUP BY (bucket_start / 60) * 60, " + KEYS[t];
                assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM (" + stored + " EXCEPT " + query +
                    ")"), TABLES[t]);
                assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM (" + query + " EXCEPT " + stored +
                    ")"), TABLES[t]);
                assertEquals(minutes, Traffic.scalar(connection,
                    "SELECT count(DISTINCT bucket_start) FROM " + TABLES[t] + " WHERE level = 1"), TABLES[t]);
            }
        }
    }

    /*
     * Independently of the raw rows: the minute level holds the sums of what the test wrote.
     */
    private static void assertMinuteTotals(final Path path, final List<TestBatch> batches) throws Exception
    {
        final String[] views = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };
        try (Connection connection = Traffic.connect(path))
        {
            for (int t = 0; t < TABLES.length; t++)
            {
                long inBytes = 0;
                long outPackets = 0;
                for (final TestBatch batch : batches)
                {
                    for (final TestRow row : batch.rows())
                    {
                        if (row.view().equals(views[t]))
                        {
                            inBytes += row.inBytes();
                            outPackets += row.outPackets();
                        }
                    }
                }
                assertEquals(inBytes, Traffic.scalar(connection,
                    "SELECT SUM(in_bytes) FROM " + TABLES[t] + " WHERE level = 1"), TABLES[t]);
                assertEquals(outPackets, Traffic.scalar(connection,
                    "SELECT SUM(out_packets) FROM " + TABLES[t] + " WHERE level = 1"), TABLES[t]);
            }
        }
    }
}
