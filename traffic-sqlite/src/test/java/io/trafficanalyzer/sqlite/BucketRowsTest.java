package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketRowsTest
{
    private static final long MINUTE = 60;
    private static final int HOSTS = 131;
    private static final String[] VIEWS = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };

    @TempDir
    Path dir;

    @Test
    void shouldStoreEveryRowOnceWhenBucketSpansSeveralChunksWithRowsSharingAStoredKey() throws Exception
    {
        final Path path = dir.resolve("chunks.db");
        final TestBatch first = bucket(T0, 10, 1);
        final TestBatch second = bucket(T0 + 10, 10, 2);
        assertRowCounts(first);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            first.writeTo(sink);
            second.writeTo(sink);
            // a retry of the same bucket replaces it, chunk by chunk as well
            first.writeTo(sink);
        }

        try (Connection connection = Traffic.connect(path))
        {
            for (final TestBatch batch : List.of(first, second))
            {
                final long start = batch.startEpochSecond();
                for (final String view : VIEWS)
                {
                    Traffic.assertSums(Traffic.expected(List.of(batch), view, s -> true, keyOf(view)),
                        Traffic.actual(connection, view, "", start, start + 10), view + " at " + start);
                }
            }
        }
    }

    @Test
    void shouldAddEveryRowToTheCoarserRowsWhenALateBucketSpanningSeveralChunksIsMerged() throws Exception
    {
        final Path path = dir.resolve("late.db");
        final List<TestBatch> batches = new ArrayList<>();
        for (long start = T0; start < T0 + 20 * MINUTE; start += MINUTE)
        {
            batches.add(bucket(start, (int)MINUTE, 3));
        }
        // late packets of the same stream: a later part of the bucket
        final TestBatch late = bucket(T0 + 3 * MINUTE + 30, 30, 4).part(1);
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofMinutes(5)).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            late.writeTo(sink);
            assertEquals(1, sink.lateBatchesMerged());
        }

        final long from = T0 + 3 * MINUTE;
        final List<TestBatch> minute = List.of(batches.get(3), late);
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : VIEWS)
            {
                Traffic.assertSums(Traffic.expected(minute, view, s -> true, keyOf(view)),
                    Traffic.actual(connection, view, "", from, from + MINUTE), view + " of the late minute");
            }
        }
    }

    /*
     * Row counts per table that are not multiples of the chunk size, in shuffled order; a folded port and a real
     * port 0 of the same host and protocol share a stored key, and so do a peer row and its repeat.
     */
    private static TestBatch bucket(final long start, final int width, final long seed)
    {
        final Random random = new Random(seed);
        final List<TestRow> rows = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++)
        {
            final String host = "10.1." + (h / 100) + "." + (h % 100 + 1);
            rows.add(TestRow.host(host, 6, bytes(random), packets(random), bytes(random), packets(random)));
            rows.add(TestRow.host(host, 17, bytes(random), packets(random), bytes(random), packets(random)));
            rows.add(TestRow.port(host, 6, 80, true, bytes(random), packets(random), bytes(random),
                packets(random)));
            rows.add(TestRow.port(host, 6, 443, false, bytes(random), packets(random), bytes(random),
                packets(random)));
            if (h % 3 == 0)
            {
                rows.add(TestRow.foldedPort(host, 17, bytes(random), packets(random), bytes(random),
                    packets(random)));
                rows.add(TestRow.port(host, 17, 0, false, bytes(random), packets(random), bytes(random),
                    packets(random)));
            }
            for (int p = 0; p < 3; p++)
            {
                final String peer = "2001:db8::" + Integer.toHexString(h * 3 + p + 1);
                rows.add(TestRow.peer(host, peer, p == 2 ? 17 : 6, bytes(random), packets(random), bytes(random),
                    packets(random)));
            }
            if (h % 5 == 0)
            {
                rows.add(TestRow.foldedPeer(host, 6, bytes(random), packets(random), bytes(random),
                    packets(random)));
            }
            if (h % 7 == 0)
            {
                rows.add(TestRow.peer(host, "2001:db8::" + Integer.toHexString(h * 3 + 1), 6, bytes(random),
                    packets(random), bytes(random), packets(random)));
            }
        }
        Collections.shuffle(rows, random);

        return new TestBatch(start, width, TestQuality.EMPTY, rows);
    }

    private static void assertRowCounts(final TestBatch batch)
    {
        final int[] counts = new int[VIEWS.length];
        for (final TestRow row : batch.rows())
        {
            counts[List.of(VIEWS).indexOf(row.view())]++;
        }
        for (final int count : counts)
        {
            assertTrue(count > 2 * BucketRows.CHUNK && count % BucketRows.CHUNK != 0, "rows " + count);
        }
    }

    private static BiFunction<TestBatch, TestRow, List<Object>> keyOf(final String view)
    {
        switch (view)
        {
            case StatsRow.HOSTS:
                return Traffic.hostKey();
            case StatsRow.PORTS:
                return Traffic.portKey();
            default:
                return Traffic.peerKey();
        }
    }

    private static long bytes(final Random random)
    {
        return 40 + random.nextInt(1 << 20);
    }

    private static long packets(final Random random)
    {
        return 1 + random.nextInt(1000);
    }
}
