package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollupTest
{
    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final String[] VIEWS = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };

    /* 2026-11-26T21:00:00Z. */
    private static final long EVENING = Traffic.T0 + 11 * HOUR;

    @TempDir
    Path dir;

    @Test
    void shouldShowEachPeriodAtTheFinestGranularityKeptWhenRollingUpAcrossHoursAndDays() throws Exception
    {
        final Path path = dir.resolve("history.db");
        final long end = EVENING + 30 * HOUR;
        final List<TestBatch> batches = Traffic.series(EVENING, end, 30, 5);
        try (SqliteSink sink = Traffic.sink(path)
            .rawRetention(Duration.ofHours(2)).minuteRetention(Duration.ofHours(6)).hourRetention(Duration.ofDays(1))
            .build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
        }

        // boundaries from the configuration alone: each level keeps whole periods of the next coarser one
        final long rawFrom = align(end - 2 * HOUR, MINUTE);
        final long minuteFrom = align(end - 6 * HOUR, HOUR);
        final long hourFrom = align(end - DAY, DAY);
        assertEquals(Instant.parse("2026-11-28T01:00:00Z").getEpochSecond(), rawFrom);
        assertEquals(Instant.parse("2026-11-27T21:00:00Z").getEpochSecond(), minuteFrom);
        assertEquals(Instant.parse("2026-11-27T00:00:00Z").getEpochSecond(), hourFrom);
        final LongUnaryOperator period = start -> start >= rawFrom ? start : start >= minuteFrom ?
            align(start, MINUTE) : start >= hourFrom ? align(start, HOUR) : align(start, DAY);

        assertShownPerPeriod(path, batches, period);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(List.of(List.of(DAY, 1L), List.of(HOUR, 21L), List.of(MINUTE, 240L), List.of(30L, 240L)),
                widths(connection));
            assertEquals(rawFrom,
                Traffic.scalar(connection, "SELECT MIN(bucket_start) FROM host_stats WHERE level = 0"));
            assertEquals(minuteFrom, Traffic.scalar(connection,
                "SELECT MIN(bucket_start) FROM quality_stats WHERE level = 1"));
            assertEquals(hourFrom, Traffic.scalar(connection,
                "SELECT MIN(bucket_start) FROM port_stats WHERE level = 2"));
        }
        try (TrafficStore store = TrafficStore.open(path))
        {
            final long all = batches.stream().mapToLong(b -> b.quality().packets()).sum();
            assertEquals(all, store.totals(Instant.ofEpochSecond(0), Instant.ofEpochSecond(end)).packets());
            final long day27 = batches.stream().filter(b -> b.startEpochSecond() >= hourFrom &&
                b.startEpochSecond() < hourFrom + DAY).mapToLong(b -> b.quality().bytes()).sum();
            assertEquals(day27, store.linkSeries(Instant.ofEpochSecond(hourFrom), Instant.ofEpochSecond(end),
                Duration.ofDays(1)).get(0).bytes());
        }
    }

    @Test
    void shouldRecomputeRollupsAndSkipRepeatsWhenOldBatchesAreReplayedOrArriveLate() throws Exception
    {
        final Path path = dir.resolve("late.db");
        final long start = Traffic.T0;
        final List<TestBatch> batches = new ArrayList<>(Traffic.series(start, start + 10 * MINUTE, 30, 1));
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofMinutes(5))
            .build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            // minute 7 is rolled up, its raw rows still kept: a retry with other content must replace the rollup too
            final TestBatch replaced = Traffic.batch(start + 7 * MINUTE + 30, 30, 99);
            batches.set(15, replaced);
            replaced.writeTo(sink);

            final List<TestBatch> later = Traffic.series(start + 10 * MINUTE, start + 20 * MINUTE, 30, 1);
            for (final TestBatch batch : later)
            {
                batch.writeTo(sink);
            }
            batches.addAll(later);

            // raw rows before minute 15 are pruned now: late packets (a later part) are added to their minute, a
            // repeat of them and of a bucket stored before are skipped
            final TestBatch late = Traffic.batch(start + 3 * MINUTE + 45, 15, 42).part(1);
            late.writeTo(sink);
            late.writeTo(sink);
            batches.get(4).writeTo(sink);
            batches.add(late);
            assertEquals(1, sink.lateBatchesMerged());
            assertEquals(2, sink.batchesSkipped());
            assertEquals(1, sink.batchesReplaced());
        }

        final long rawFrom = start + 15 * MINUTE;
        assertShownPerPeriod(path, batches, s -> s >= rawFrom ? s : align(s, MINUTE));
    }

    @Test
    void shouldHoldTheRollupsOfInOrderWritesWhenAnotherAgentsBucketsArriveAfterTheirPeriodsRolledUp() throws Exception
    {
        // agent A's two hours, then one bucket a day later: minutes, hours and A's first day roll up; agent B's
        // buckets of the same two hours then all arrive late, as a fleet's collector applies them
        final List<TestBatch> first = new ArrayList<>(Traffic.series(Traffic.T0, Traffic.T0 + 2 * HOUR, 30, 1));
        first.add(Traffic.batch(Traffic.T0 + DAY + HOUR, 30, 7));
        final List<TestBatch> late = new ArrayList<>();
        for (final TestBatch batch : Traffic.series(Traffic.T0, Traffic.T0 + 2 * HOUR, 30, 2))
        {
            late.add(batch.of("agent-b"));
        }
        final List<TestBatch> inOrder = new ArrayList<>(first.subList(0, first.size() - 1));
        inOrder.addAll(late);
        inOrder.sort(java.util.Comparator.comparingLong(TestBatch::startEpochSecond));
        inOrder.add(first.get(first.size() - 1));
        final List<TestBatch> outOfOrder = new ArrayList<>(first);
        outOfOrder.addAll(late);

        final Path ordered = dir.resolve("ordered.db");
        final Path fleet = dir.resolve("fleet.db");
        for (final Map.Entry<Path, List<TestBatch>> store : Map.of(ordered, inOrder, fleet, outOfOrder).entrySet())
        {
            try (SqliteSink sink = Traffic.sink(store.getKey()).build())
            {
                for (final TestBatch batch : store.getValue())
                {
                    batch.writeTo(sink);
                }
                sink.maintainFully();
            }
        }

        final List<String> expected = rollupRows(ordered);
        assertEquals(List.of(1L, 2L, 3L), expected.stream().map(row -> Long.parseLong(row.split(" ")[1]))
            .distinct().sorted().toList());
        assertEquals(expected, rollupRows(fleet));
    }

    @Test
    void shouldPruneOldestRawThenMinutesKeepingTotalsWhenFreeSpaceFallsBelowTheFloor() throws Exception
    {
        final Path path = dir.resolve("full.db");
        final long start = Traffic.T0;
        final long end = start + 2 * HOUR + 5 * MINUTE;
        final List<TestBatch> batches = Traffic.series(start, end, 30, 3);
        final AtomicLong freeSpace = new AtomicLong(Long.MAX_VALUE);
        try (SqliteSink sink = SqliteSink.builder(path).durableCommits(false).freeSpaceFloor(1 << 30)
            .freeSpaceProbe(freeSpace::get).build())
        {
            for (final TestBatch batch : batches.subList(0, batches.size() - 1))
            {
                batch.writeTo(sink);
            }
            assertEquals(0, sink.spacePrunes());
            freeSpace.set(1 << 20);
            batches.get(batches.size() - 1).writeTo(sink);
            assertEquals(4, sink.spacePrunes());
        }

        // raw up to the last complete minute and minutes up to the last complete hour went; their rollups stayed
        final long minuteFrom = start + 2 * HOUR;
        final long rawFrom = end;
        assertShownPerPeriod(path, batches,
            s -> s >= rawFrom ? s : s >= minuteFrom ? align(s, MINUTE) : align(s, HOUR));
        try (Connection connection = Traffic.connect(path);
            PreparedStatement statement = connection.prepareStatement(
                "SELECT reason, level, from_start, to_start FROM prune_event ORDER BY id");
            ResultSet result = statement.executeQuery())
        {
            final List<List<Object>> events = new ArrayList<>();
            while (result.next())
            {
                events.add(List.of(result.getString(1), result.getLong(2), result.getLong(3), result.getLong(4)));
            }
            assertEquals(List.of(
                List.of("free_space", 0L, start, start + HOUR),
                List.of("free_space", 0L, start + HOUR, start + 2 * HOUR),
                List.of("free_space", 0L, start + 2 * HOUR, rawFrom),
                List.of("free_space", 1L, start, minuteFrom)), events);
        }
    }

    @Test
    void shouldDeleteRawRowsAfterTheirRetentionWhenRollupsAreOff() throws Exception
    {
        final Path path = dir.resolve("norollup.db");
        final long start = Traffic.T0;
        final long end = start + 2 * HOUR;
        final List<TestBatch> batches = Traffic.series(start, end, 60, 8);
        try (SqliteSink sink = Traffic.sink(path).rollup(false)
            .rawRetention(Duration.ofMinutes(30)).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
        }

        final long rawFrom = end - 30 * MINUTE;
        final List<TestBatch> kept = batches.stream().filter(b -> b.startEpochSecond() >= rawFrom).toList();
        assertShownPerPeriod(path, kept, s -> s);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM host_stats WHERE level > 0"));
        }
    }

    @Test
    void shouldDropAndCountABatchOlderThanEveryGranularityKept() throws Exception
    {
        final Path path = dir.resolve("old.db");
        final long start = Traffic.T0;
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofHours(1))
            .minuteRetention(Duration.ofHours(2)).hourRetention(Duration.ofDays(1)).dayRetention(Duration.ofDays(2))
            .build())
        {
            Traffic.batch(start, 60, 1).writeTo(sink);
            Traffic.batch(start + 5 * DAY, 60, 1).writeTo(sink);
            sink.maintainFully();
            Traffic.batch(start + 60, 60, 1).writeTo(sink);
            assertEquals(1, sink.batchesDropped());
            assertEquals(2, sink.batchesWritten());
        }

        assertShownPerPeriod(path, List.of(Traffic.batch(start + 5 * DAY, 60, 1)), s -> s);
    }

    @Test
    void shouldCountPerGranularityAndLogOnceWhatGoesStraightIntoRollups() throws Exception
    {
        // a store of this year's traffic; captures from before its raw retention are replayed into it
        final Path path = dir.resolve("old-captures.db");
        final long now = Traffic.T0 + 10 * DAY;
        final TestBatch recent = Traffic.batch(now - 60, 60, 1);
        final List<TestBatch> lastWeek = ContributionTest.of(TestBatch.file("last-week"),
            Traffic.series(Traffic.T0 + 3 * DAY, Traffic.T0 + 3 * DAY + 30, 10, 2));
        final List<TestBatch> lastMonth = ContributionTest.of(TestBatch.file("last-month"),
            Traffic.series(Traffic.T0 - 30 * DAY, Traffic.T0 - 30 * DAY + 20, 10, 3));
        final List<TestBatch> lastYear = ContributionTest.of(TestBatch.file("last-year"),
            Traffic.series(Traffic.T0 - 400 * DAY, Traffic.T0 - 400 * DAY + 10, 10, 4));
        final List<String> logged = new ArrayList<>();
        final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.trafficanalyzer.sqlite");
        final java.util.logging.Handler handler = new java.util.logging.Handler()
        {
            public void publish(final java.util.logging.LogRecord record)
            {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            public void flush()
            {
            }

            public void close()
            {
            }
        };
        logger.addHandler(handler);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            recent.writeTo(sink);
            sink.maintainFully();
            assertEquals(List.of(), sink.rolledUpOnArrival());
            for (int round = 0; round < 2; round++)
            {
                // the second round repeats every bucket: skipped, not counted again
                ContributionTest.writeAll(sink, lastWeek);
                ContributionTest.writeAll(sink, lastMonth);
                ContributionTest.writeAll(sink, lastYear);
            }

            final Instant storeNow = Instant.ofEpochSecond(now);
            final Duration raw = Duration.ofDays(2);
            assertEquals(List.of(
                new RolledUpOnArrival("minute", 3, Instant.ofEpochSecond(Traffic.T0 + 3 * DAY),
                Instant.ofEpochSecond(Traffic.T0 + 3 * DAY + 20), storeNow, raw),
                new RolledUpOnArrival("hour", 2, Instant.ofEpochSecond(Traffic.T0 - 30 * DAY),
                Instant.ofEpochSecond(Traffic.T0 - 30 * DAY + 10), storeNow, raw),
                new RolledUpOnArrival("day", 1, Instant.ofEpochSecond(Traffic.T0 - 400 * DAY),
                Instant.ofEpochSecond(Traffic.T0 - 400 * DAY), storeNow, raw)), sink.rolledUpOnArrival());
            assertEquals("3 buckets from 2026-11-29T10:00:00Z to 2026-11-29T10:00:20Z went straight to the minute " +
                "rollups: older than the raw retention (2 days) before the store's newest bucket " +
                "(2026-12-06T10:00:00Z)", sink.rolledUpOnArrival().get(0).summary());
            assertEquals("1 bucket at 2025-10-22T10:00:00Z went straight to the day rollups: older than the raw " +
                "retention (2 days) before the store's newest bucket (2026-12-06T10:00:00Z)",
                sink.rolledUpOnArrival().get(2).summary());
            assertEquals(6, sink.lateBatchesMerged());
            assertEquals(6, sink.batchesSkipped());
        }
        finally
        {
            logger.removeHandler(handler);
        }

        final List<String> straight = logged.stream().filter((line) -> line.contains("straight into")).toList();
        assertEquals(List.of(
            path + ": bucket 2026-11-29T10:00:00Z is older than the raw retention (2 days) before the store's " +
            "newest bucket (2026-12-06T10:00:00Z): stored straight into the minute rollups; such buckets are " +
            "counted, not logged",
            path + ": bucket 2026-10-27T10:00:00Z is older than the raw retention (2 days) before the store's " +
            "newest bucket (2026-12-06T10:00:00Z): stored straight into the hour rollups; such buckets are " +
            "counted, not logged",
            path + ": bucket 2025-10-22T10:00:00Z is older than the raw retention (2 days) before the store's " +
            "newest bucket (2026-12-06T10:00:00Z): stored straight into the day rollups; such buckets are " +
            "counted, not logged"), straight);

        final List<TestBatch> all = new ArrayList<>(List.of(recent));
        all.addAll(lastWeek);
        all.addAll(lastMonth);
        all.addAll(lastYear);
        assertShownPerPeriod(path, all, (s) -> s >= now - 2 * DAY ? s : s >= now - 14 * DAY ? align(s, MINUTE) :
            s >= align(now - 365 * DAY, DAY) ? align(s, HOUR) : align(s, DAY));
    }

    @Test
    void shouldNotAgeHistoryWhenABucketIsStampedFarInTheFuture() throws Exception
    {
        final Path path = dir.resolve("future.db");
        final long start = Traffic.T0;
        final List<TestBatch> batches = new ArrayList<>(Traffic.series(start, start + HOUR, 30, 4));
        final TestBatch bogus = Traffic.batch(Traffic.FAR_FUTURE_MS / 1000, 30, 4);
        try (SqliteSink sink = Traffic.sink(path).epochClock(() -> (start + HOUR) * 1000).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            bogus.writeTo(sink);
            sink.maintainFully();
        }
        batches.add(bogus);

        // a day past the wall clock is as far as "now" goes: two days of raw retention keep the hour raw
        assertShownPerPeriod(path, batches, s -> s);
    }

    /*
     * Every view, grouped by its bucket start, must equal the fed rows grouped by the period that shows them.
     */
    static void assertShownPerPeriod(final Path path, final List<TestBatch> batches, final LongUnaryOperator period)
        throws Exception
    {
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : VIEWS)
            {
                final var key = view.equals(StatsRow.HOSTS) ? Traffic.hostKey() :
                    view.equals(StatsRow.PORTS) ? Traffic.portKey() : Traffic.peerKey();
                final Map<List<Object>, List<Long>> expected = Traffic.expected(batches, view, s -> true,
                    (batch, row) -> SqliteSinkTest.prefixed(period.applyAsLong(batch.startEpochSecond()),
                    key.apply(batch, row)));
                Traffic.assertSums(expected, Traffic.actual(connection, view, "bucket_start", Long.MIN_VALUE,
                    Long.MAX_VALUE), view);
            }

            final Map<Long, List<Long>> expectedQuality = new TreeMap<>();
            for (final TestBatch batch : batches)
            {
                final TestQuality q = batch.quality();
                final List<Long> old = expectedQuality.getOrDefault(period.applyAsLong(batch.startEpochSecond()),
                    List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L));
                expectedQuality.put(period.applyAsLong(batch.startEpochSecond()), List.of(
                    old.get(0) + q.frames(), old.get(1) + q.bytes(), old.get(2) + q.frames(FrameOutcome.NON_IP),
                    old.get(3) + q.frames(FrameOutcome.TRUNCATED_IP_HEADER), old.get(4) + q.kernelDrops(),
                    old.get(5) + q.ringDrops(), old.get(6) + q.foldedKeys(),
                    Math.min(old.get(7), q.isComplete() ? 1L : 0L)));
            }
            final Map<Long, List<Long>> actualQuality = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT bucket_start, frames, bytes, " +
                "non_ip, truncated_ip_header, kernel_drops, ring_drops, folded_keys, complete FROM bucket_quality");
                ResultSet result = statement.executeQuery())
            {
                while (result.next())
                {
                    final List<Long> row = new ArrayList<>();
                    for (int i = 2; i <= 9; i++)
                    {
                        row.add(result.getLong(i));
                    }
                    assertEquals(null, actualQuality.put(result.getLong(1), row), "bucket shown twice");
                }
            }
            assertEquals(expectedQuality, actualQuality);
        }
    }

    // every row of every level above raw, addresses and agents by name (their ids depend on the order of writes)
    private static List<String> rollupRows(final Path path) throws Exception
    {
        final List<String> rows = new ArrayList<>();
        try (Connection connection = Traffic.connect(path))
        {
            final Map<Long, String> names = new TreeMap<>();
            for (final String sql : new String[]{ "SELECT id, text FROM address", "SELECT id, name FROM agent" })
            {
                try (PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet result = statement.executeQuery())
                {
                    while (result.next())
                    {
                        names.put((sql.contains("agent") ? -1 : 1) * result.getLong(1), result.getString(2));
                    }
                }
            }
            for (final StatsTable table : StatsTable.values())
            {
                try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT * FROM " + table.tableName() + " WHERE level > 0");
                    ResultSet result = statement.executeQuery())
                {
                    while (result.next())
                    {
                        final StringBuilder row = new StringBuilder(table.tableName());
                        for (int c = 1; c <= result.getMetaData().getColumnCount(); c++)
                        {
                            final String column = result.getMetaData().getColumnName(c);
                            final long value = result.getLong(c);
                            row.append(' ').append(column.equals("host_id") || column.equals("peer_id") ?
                                names.get(value) : column.equals("agent_id") ? names.get(-value) :
                                result.getString(c));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static List<List<Long>> widths(final Connection connection) throws Exception
    {
        final List<List<Long>> widths = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT bucket_seconds, count(*) FROM " +
            "bucket_quality GROUP BY bucket_seconds ORDER BY bucket_seconds DESC");
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                widths.add(List.of(result.getLong(1), result.getLong(2)));
            }
        }
        return widths;
    }

    private static long align(final long time, final long period)
    {
        return Math.floorDiv(time, period) * period;
    }
}
