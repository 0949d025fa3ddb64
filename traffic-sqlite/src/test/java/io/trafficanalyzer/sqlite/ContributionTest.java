package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contribution rules: contributions of different streams, agents or parts add up; a contribution of a stream
 * already stored replaces what that stream stored (a retry, a rerun, a merged batch, its unmerged buckets). Every
 * expected figure is the sum of the rows the test fed, computed by {@link Traffic}.
 */
class ContributionTest
{
    private static final long MINUTE = 60;
    private static final CaptureStream FIRST_HALF = TestBatch.file("first-half");
    private static final CaptureStream SECOND_HALF = TestBatch.file("second-half");
    private static final CaptureStream CAPTURE = TestBatch.file("capture");
    private static final CaptureStream RUN = CaptureStream.newRun("eth0");

    @TempDir
    Path dir;

    @Test
    void shouldAddUpWhenTwoStreamsContributeToTheSameBuckets() throws Exception
    {
        // the two halves of one capture replayed in two runs: the bucket they share holds packets of both
        final Path path = dir.resolve("halves.db");
        final List<TestBatch> first = of(FIRST_HALF, Traffic.series(T0, T0 + 30, 10, 1));
        final List<TestBatch> second = of(SECOND_HALF, Traffic.series(T0 + 20, T0 + 60, 10, 2));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, first);
            writeAll(sink, second);
            assertEquals(0, sink.batchesReplaced());
        }

        final List<TestBatch> all = concat(first, second);
        SqliteSinkTest.assertViews(path, all);
        try (Connection connection = Traffic.connect(path))
        {
            SqliteSinkTest.assertQuality(connection, all);
            assertEquals(6, Traffic.scalar(connection, "SELECT count(*) FROM bucket_quality"));
            assertEquals(7, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
            assertEquals(2, Traffic.scalar(connection, "SELECT count(*) FROM stream"));
            // numbered within their bucket: the shared bucket's second contribution is 2, every other one 1
            assertEquals(List.of(T0 + 20), Traffic.column(connection, "SELECT bucket_start FROM contribution " +
                "WHERE id = 2"));
            assertEquals(List.of(1L, 2L), Traffic.column(connection, "SELECT DISTINCT contribution_id " +
                "FROM peer_stats WHERE level = 0 ORDER BY 1"));
        }
    }

    @Test
    void shouldAddUpWhenTwoAgentsContributeTheSameStreamIdentity() throws Exception
    {
        final Path path = dir.resolve("agents.db");
        final List<TestBatch> east = of(CAPTURE, Traffic.series(T0, T0 + 30, 10, 3));
        final List<TestBatch> west = new ArrayList<>();
        for (final TestBatch batch : of(CAPTURE, Traffic.series(T0, T0 + 30, 10, 4)))
        {
            west.add(batch.of("west"));
        }
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, east);
            writeAll(sink, west);
            assertEquals(0, sink.batchesReplaced());
        }

        SqliteSinkTest.assertViews(path, concat(east, west));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(2, Traffic.scalar(connection, "SELECT count(*) FROM agent"));
            assertEquals(2, Traffic.scalar(connection, "SELECT count(DISTINCT agent_id) FROM host_stats"));
        }
    }

    @Test
    void shouldShowEachAgentInRowsOfItsOwnSummedOverItsContributionsWhenAgentsShareABucket() throws Exception
    {
        // east: two streams into the same buckets, one of them with late packets; west: one stream
        final Path path = dir.resolve("per-agent.db");
        final List<TestBatch> fed = new ArrayList<>();
        fed.addAll(of(CAPTURE, Traffic.series(T0, T0 + 30, 10, 21)));
        fed.addAll(of(RUN, Traffic.series(T0 + 10, T0 + 30, 10, 22)));
        fed.add(Traffic.batch(T0 + 10, 10, 23).of(RUN).part(1));
        for (final TestBatch batch : of(CAPTURE, Traffic.series(T0, T0 + 20, 10, 24)))
        {
            fed.add(batch.of("west"));
        }
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, fed);
            assertEquals(0, sink.batchesReplaced());
        }

        SqliteSinkTest.assertViewsPerAgent(path, fed, (s) -> s);
        SqliteSinkTest.assertViews(path, fed);
        try (Connection connection = Traffic.connect(path))
        {
            // one row per agent and bucket: east has three buckets, west two
            assertEquals(5, Traffic.scalar(connection, "SELECT count(*) FROM bucket_quality"));
            assertEquals(List.of(3L, 2L), Traffic.column(connection, "SELECT count(*) FROM bucket_quality " +
                "GROUP BY agent ORDER BY agent"));
            // one host_traffic row per agent, key and bucket however many contributions it sums
            assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM (SELECT 1 FROM host_traffic " +
                "GROUP BY agent, bucket_start, host, protocol HAVING count(*) > 1)"));
            assertEquals(2, Traffic.scalar(connection, "SELECT count(DISTINCT agent) FROM peer_traffic " +
                "WHERE bucket_start = ?", T0 + 10));
        }
    }

    @Test
    void shouldReplaceOnlyItselfWhenTheSameIdentityIsWrittenAgain() throws Exception
    {
        final Path path = dir.resolve("again.db");
        final List<TestBatch> mine = new ArrayList<>(of(CAPTURE, Traffic.series(T0, T0 + 40, 10, 5)));
        final List<TestBatch> other = of(RUN, Traffic.series(T0, T0 + 40, 10, 6));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, mine);
            writeAll(sink, other);
            // a retry after an unknown commit outcome, with the same content, then with other content
            mine.get(2).writeTo(sink);
            final TestBatch changed = Traffic.batch(T0 + 20, 10, 7).of(CAPTURE);
            changed.writeTo(sink);
            mine.set(2, changed);
            assertEquals(2, sink.batchesReplaced());
        }

        SqliteSinkTest.assertViews(path, concat(mine, other));
        try (Connection connection = Traffic.connect(path))
        {
            SqliteSinkTest.assertQuality(connection, concat(mine, other));
            assertEquals(8, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
        }
    }

    @Test
    void shouldCompleteARerunAfterAKillWithoutCountingTwice() throws Exception
    {
        final Path path = dir.resolve("rerun.db");
        final List<TestBatch> capture = of(CAPTURE, Traffic.series(T0, T0 + 60, 10, 8));
        final List<TestBatch> live = of(RUN, Traffic.series(T0, T0 + 60, 10, 9));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, live);
            // the first run is killed after three buckets, inside the fourth's transaction
            writeAll(sink, capture.subList(0, 3));
            sink.onBatchStart(capture.get(3));
            capture.get(3).rows().subList(0, 10).forEach((row) -> onRow(sink, row));
        }
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, capture);
            assertEquals(3, sink.batchesReplaced());
        }
        SqliteSinkTest.assertViews(path, concat(capture, live));

        // the whole file a third time: nothing changes
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, capture);
            assertEquals(6, sink.batchesReplaced());
        }
        SqliteSinkTest.assertViews(path, concat(capture, live));
        try (Connection connection = Traffic.connect(path))
        {
            SqliteSinkTest.assertQuality(connection, concat(capture, live));
        }
    }

    @Test
    void shouldReplaceAMergedBatchWithTheUnmergedBucketsOfItsStreamAndTheReverse() throws Exception
    {
        final Path path = dir.resolve("merged.db");
        final TestBatch merged = Traffic.batch(T0, 30, 10).of(CAPTURE);
        final List<TestBatch> unmerged = of(CAPTURE, Traffic.series(T0, T0 + 30, 10, 11));
        final List<TestBatch> other = of(RUN, Traffic.series(T0, T0 + 40, 10, 12));
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            writeAll(sink, other);
            merged.writeTo(sink);
            // a rerun that was not merged: its first bucket replaces the merged one, the others fill the range
            writeAll(sink, unmerged);
            assertEquals(1, sink.batchesReplaced());
            SqliteSinkTest.assertViews(path, concat(unmerged, other));

            // and a merged rerun replaces the three buckets it stands for
            merged.writeTo(sink);
            assertEquals(4, sink.batchesReplaced());
        }

        final List<TestBatch> expected = new ArrayList<>(other);
        expected.add(merged);
        SqliteSinkTest.assertViews(path, expected);
        try (Connection connection = Traffic.connect(path))
        {
            // the widest contribution of the bucket; of a key, the widest of those with traffic of that key
            assertEquals(30, Traffic.scalar(connection,
                "SELECT bucket_seconds FROM bucket_quality WHERE bucket_start = ?", T0));
            assertEquals(30, Traffic.scalar(connection,
                "SELECT MAX(bucket_seconds) FROM host_traffic WHERE bucket_start = ?", T0));
            assertEquals(10, Traffic.scalar(connection,
                "SELECT MAX(bucket_seconds) FROM host_traffic WHERE bucket_start = ?", T0 + 30));
        }
    }

    @Test
    void shouldAddLaterPartsToPartZeroAndReplaceEachPartByItself() throws Exception
    {
        final Path path = dir.resolve("parts.db");
        final TestBatch sealed = Traffic.batch(T0, 10, 13).of(CAPTURE);
        final TestBatch late = Traffic.batch(T0, 10, 14).of(CAPTURE).part(1);
        final TestBatch lateAgain = Traffic.batch(T0, 10, 15).of(CAPTURE).part(1);
        final TestBatch later = Traffic.batch(T0, 10, 16).of(CAPTURE).part(2);
        final TestBatch resealed = Traffic.batch(T0, 10, 17).of(CAPTURE);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            sealed.writeTo(sink);
            late.writeTo(sink);
            later.writeTo(sink);
            SqliteSinkTest.assertViews(path, List.of(sealed, late, later));

            lateAgain.writeTo(sink);
            assertEquals(1, sink.batchesReplaced());
            resealed.writeTo(sink);
            assertEquals(2, sink.batchesReplaced());
        }

        SqliteSinkTest.assertViews(path, List.of(resealed, lateAgain, later));
        try (Connection connection = Traffic.connect(path))
        {
            SqliteSinkTest.assertQuality(connection, List.of(resealed, lateAgain, later));
            for (int part = 0; part <= 2; part++)
            {
                assertEquals(1, Traffic.scalar(connection, "SELECT count(*) FROM contribution WHERE part = ?", part));
            }
            assertEquals(3, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
        }
    }

    @Test
    void shouldRecomputeTheRollupOfAPeriodThatGainsAContributionAfterItWasRolledUp() throws Exception
    {
        final Path path = dir.resolve("gains.db");
        final List<TestBatch> capture = of(CAPTURE, Traffic.series(T0, T0 + 20 * MINUTE, 10, 18));
        final TestBatch added = Traffic.batch(T0 + 6 * MINUTE + 20, 10, 19).of(RUN);
        final TestBatch replacing = Traffic.batch(T0 + 7 * MINUTE, 10, 20).of(CAPTURE);
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofMinutes(5)).build())
        {
            writeAll(sink, capture.subList(0, 48));
            // minutes 6 and 7 are rolled up, their raw buckets still kept: one gains a contribution, one a
            // replacement, and both rollups must follow before the raw rows go
            assertEquals(T0 + 8 * MINUTE, sink.history().completeUntil[1]);
            added.writeTo(sink);
            replacing.writeTo(sink);
            writeAll(sink, capture.subList(48, capture.size()));
        }

        final List<TestBatch> expected = new ArrayList<>(capture);
        expected.set(42, replacing);
        expected.add(added);
        final long rawFrom = T0 + 15 * MINUTE;
        RollupTest.assertShownPerPeriod(path, expected, (s) -> s >= rawFrom ? s : s / MINUTE * MINUTE);
    }

    static List<TestBatch> of(final CaptureStream stream, final List<TestBatch> batches)
    {
        final List<TestBatch> mapped = new ArrayList<>();
        for (final TestBatch batch : batches)
        {
            mapped.add(batch.of(stream));
        }
        return mapped;
    }

    static void writeAll(final SqliteSink sink, final List<TestBatch> batches) throws Exception
    {
        for (final TestBatch batch : batches)
        {
            batch.writeTo(sink);
        }
    }

    @SafeVarargs
    static List<TestBatch> concat(final List<TestBatch>... lists)
    {
        final List<TestBatch> all = new ArrayList<>();
        for (final List<TestBatch> list : lists)
        {
            all.addAll(list);
        }
        return all;
    }

    private static void onRow(final SqliteSink sink, final TestRow row)
    {
        try
        {
            sink.onRow(row);
        }
        catch (final SqliteStoreException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
