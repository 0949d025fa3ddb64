package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteSinkTest
{
    private static final String[] VIEWS = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };

    @TempDir
    Path dir;

    private SqliteSink open(final Path path)
    {
        return Traffic.sink(path).build();
    }

    @Test
    void shouldCreateDirectoryAndGroupReadableWalFileWhenMissing() throws Exception
    {
        final Path path = dir.resolve("a/b/traffic.db");
        try (SqliteSink sink = open(path))
        {
            assertEquals(path, sink.path());
        }

        assertTrue(Files.isRegularFile(path));
        Prerequisite.require(Files.getFileAttributeView(path, PosixFileAttributeView.class) != null,
            "POSIX file permissions on the file system of " + path);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(5, Traffic.scalar(connection, "SELECT MAX(version) FROM schema_version"));
            assertEquals(Schema.APPLICATION_ID, Traffic.scalar(connection, "PRAGMA application_id"));
            try (ResultSet result = connection.createStatement().executeQuery("PRAGMA journal_mode"))
            {
                result.next();
                assertEquals("wal", result.getString(1));
            }
        }
    }

    @Test
    void shouldHaveExactlyTheContractColumnsInEachView() throws Exception
    {
        final Path path = dir.resolve("contract.db");
        open(path).close();

        final List<String> quality = new ArrayList<>(List.of("time", "bucket_start", "bucket_seconds", "agent",
            "frames", "packets", "bytes", "transit_packets", "transit_bytes", "non_ip"));
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            if (FrameOutcome.get(i).isMalformed())
            {
                quality.add(FrameOutcome.get(i).label());
            }
        }
        quality.addAll(List.of("late_packets", "ring_drops", "kernel_drops", "folded_keys", "complete"));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(List.of("time", "bucket_start", "bucket_seconds", "agent", "host", "protocol", "in_bytes",
                "in_packets", "out_bytes", "out_packets"), columns(connection, "host_traffic"));
            assertEquals(List.of("time", "bucket_start", "bucket_seconds", "agent", "host", "protocol", "port",
                "served", "in_bytes", "in_packets", "out_bytes", "out_packets"), columns(connection, "port_traffic"));
            assertEquals(List.of("time", "bucket_start", "bucket_seconds", "agent", "host", "peer", "protocol",
                "in_bytes", "in_packets", "out_bytes", "out_packets"), columns(connection, "peer_traffic"));
            assertEquals(quality, columns(connection, "bucket_quality"));
            assertTrue(quality.contains("truncated_transport_header"));
        }
    }

    @Test
    void shouldGroupEachViewAlongThePrimaryKeyAndNarrowABucketRangeByIt() throws Exception
    {
        final Path path = dir.resolve("plans.db");
        try (SqliteSink sink = open(path))
        {
            Traffic.batch(T0, 10, 1).writeTo(sink);
            Traffic.batch(T0, 10, 2).of(TestBatch.file("other")).writeTo(sink);
            Traffic.batch(T0, 10, 3).of(TestBatch.file("other")).of("other-agent").writeTo(sink);
        }

        try (Connection connection = Traffic.connect(path))
        {
            final Map<String, String> tables = Map.of("host_traffic", "host_stats", "port_traffic", "port_stats",
                "peer_traffic", "peer_stats", "bucket_quality", "quality_stats");
            for (final String view : Schema.VIEW_NAMES)
            {
                final List<String> whole = plan(connection, "SELECT * FROM " + view);
                assertTrue(whole.stream().noneMatch((step) -> step.contains("TEMP B-TREE")), view + ": " + whole);

                final List<String> range = plan(connection, "SELECT * FROM " + view + " WHERE bucket_start BETWEEN " +
                    T0 + " AND " + (T0 + 3600));
                assertTrue(range.stream().noneMatch((step) -> step.contains("TEMP B-TREE")), view + ": " + range);
                // one arm per granularity, each a range of the primary key
                assertEquals(4, range.stream().filter((step) -> step.equals("SEARCH s USING PRIMARY KEY " +
                    "(level=? AND bucket_start>? AND bucket_start<?)")).count(), view + ": " + range);
                // no table read whole (the view's own rows are read once, as "SCAN <view>")
                assertTrue(range.stream().noneMatch((step) -> step.startsWith("SCAN") && !step.equals("SCAN " + view)),
                    view + ": " + range);

                // one agent's rows, as TrafficStore asks for them: the same plan, the agent kept after grouping
                final List<String> agent = plan(connection, "SELECT * FROM " + view + " WHERE bucket_start >= " +
                    T0 + " AND bucket_start < " + (T0 + 3600) + " AND ('other-agent' IS NULL OR agent = " +
                    "'other-agent')");
                assertTrue(agent.stream().noneMatch((step) -> step.contains("TEMP B-TREE")), view + ": " + agent);
                assertEquals(4, agent.stream().filter((step) -> step.equals("SEARCH s USING PRIMARY KEY " +
                    "(level=? AND bucket_start>? AND bucket_start<?)")).count(), view + ": " + agent);
                assertTrue(agent.stream().noneMatch((step) -> step.startsWith("SCAN") && !step.equals("SCAN " + view)),
                    view + ": " + agent);
                assertTrue(plan(connection, "SELECT * FROM " + tables.get(view)).toString().contains("SCAN"));
            }
        }
    }

    private static List<String> plan(final Connection connection, final String sql) throws Exception
    {
        final List<String> steps = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql);
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                steps.add(result.getString("detail"));
            }
        }
        return steps;
    }

    private static List<String> columns(final Connection connection, final String view) throws Exception
    {
        final List<String> names = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM pragma_table_info(?)"))
        {
            statement.setString(1, view);
            try (ResultSet result = statement.executeQuery())
            {
                while (result.next())
                {
                    names.add(result.getString(1));
                }
            }
        }
        return names;
    }

    @Test
    void shouldRecreateAContractViewWhoseDefinitionDiffersWhenTheSinkOpens() throws Exception
    {
        final Path path = dir.resolve("views-again.db");
        final TestBatch batch = Traffic.batch(T0, 10, 6);
        try (SqliteSink sink = open(path))
        {
            batch.writeTo(sink);
        }
        try (Connection connection = Traffic.connect(path); Statement statement = connection.createStatement())
        {
            assertFalse(Schema.ensureViews(connection));
            // as a library that knew fewer malformed reasons would have left it
            statement.execute("DROP VIEW bucket_quality");
            statement.execute("CREATE VIEW bucket_quality AS SELECT bucket_start, frames FROM quality_stats");
        }

        open(path).close();
        try (Connection connection = Traffic.connect(path))
        {
            assertFalse(Schema.ensureViews(connection));
            assertQuality(connection, List.of(batch));
        }
    }

    @Test
    void shouldShowEveryFedRowInTheViewsWhenBatchesCommitted() throws Exception
    {
        final Path path = dir.resolve("views.db");
        final List<TestBatch> batches = Traffic.series(T0, T0 + 40, 10, 1);
        try (SqliteSink sink = open(path))
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            assertEquals(4, sink.batchesWritten());
        }

        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : VIEWS)
            {
                final var key = view.equals(StatsRow.HOSTS) ? Traffic.hostKey() :
                    view.equals(StatsRow.PORTS) ? Traffic.portKey() : Traffic.peerKey();
                final Map<List<Object>, List<Long>> expected = Traffic.expected(batches, view, start -> true,
                    (batch, row) -> prefixed(batch.startEpochSecond(), key.apply(batch, row)));
                Traffic.assertSums(expected, Traffic.actual(connection, view, "bucket_start", 0, Long.MAX_VALUE), view);
            }
            assertEquals("2026-11-26T10:00:10Z", text(connection,
                "SELECT DISTINCT time FROM host_traffic WHERE bucket_start = ?", T0 + 10));
            assertEquals(10, Traffic.scalar(connection, "SELECT MAX(bucket_seconds) FROM peer_traffic"));
            final long pairs = batches.stream().flatMap(batch -> batch.rows().stream())
                .filter(row -> row.view().equals(StatsRow.PEERS)).map(row -> row.host() + "/" + row.peerText())
                .distinct().count();
            assertEquals(pairs,
                Traffic.scalar(connection, "SELECT count(DISTINCT host || '/' || peer) FROM peer_traffic"));
            assertQuality(connection, batches);
        }
    }

    @Test
    void shouldBeReadableByTheSqlite3ShellWithNoCodeOfOurs() throws Exception
    {
        final Path shell = Path.of("/usr/bin/sqlite3");
        Prerequisite.require(Files.isExecutable(shell), "the sqlite3 shell (Debian package sqlite3)");
        final Path path = dir.resolve("shell.db");
        final List<TestBatch> batches = Traffic.series(T0, T0 + 30, 10, 9);
        try (SqliteSink sink = open(path))
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }

            final Process process = new ProcessBuilder(shell.toString(), "-readonly", "-separator", ",",
                path.toString(), "SELECT time, host, peer, protocol, SUM(out_bytes) FROM peer_traffic " +
                "GROUP BY time, host, peer, protocol ORDER BY time, host, peer, protocol")
                .redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);

            final Map<List<Object>, List<Long>> expected = Traffic.expected(batches, StatsRow.PEERS, start -> true,
                (batch, row) -> List.of(Instant.ofEpochSecond(batch.startEpochSecond()).toString(), row.host(),
                row.peerText(), row.protocolText()));
            final StringBuilder lines = new StringBuilder();
            expected.forEach((key, sums) -> lines.append(key.get(0)).append(',').append(key.get(1)).append(',')
                .append(key.get(2)).append(',').append(key.get(3)).append(',').append(sums.get(2)).append('\n'));
            final List<String> expectedLines = new ArrayList<>(List.of(lines.toString().split("\n")));
            final List<String> actualLines = new ArrayList<>(List.of(output.split("\n")));
            expectedLines.sort(null);
            actualLines.sort(null);
            assertEquals(expectedLines, actualLines);
        }
    }

    @Test
    void shouldShowAddressesAsCanonicalTextWhenIpv6AndIpv4() throws Exception
    {
        final Path path = dir.resolve("text.db");
        final List<TestRow> rows = List.of(
            TestRow.host("2001:0db8:0000:0000:0000:0000:0000:0001", 6, 1, 1, 0, 0),
            TestRow.host("::ffff:10.1.2.3", 17, 2, 1, 0, 0),
            TestRow.peer("10.1.2.3", "2001:db8:0:0:1:0:0:1", 6, 3, 1, 0, 0),
            TestRow.foldedPeer("10.1.2.3", 6, 4, 1, 0, 0));
        try (SqliteSink sink = open(path))
        {
            new TestBatch(T0, 10, TestQuality.EMPTY, rows).writeTo(sink);
        }

        try (Connection connection = Traffic.connect(path))
        {
            assertEquals("2001:db8::1", text(connection, "SELECT host FROM host_traffic WHERE in_bytes = ?", 1));
            assertEquals("10.1.2.3", text(connection, "SELECT host FROM host_traffic WHERE in_bytes = ?", 2));
            assertEquals("2001:db8::1:0:0:1", text(connection, "SELECT peer FROM peer_traffic WHERE in_bytes = ?", 3));
            assertEquals("*", text(connection, "SELECT peer FROM peer_traffic WHERE in_bytes = ?", 4));
        }
    }

    @Test
    void shouldReplaceNotAddWhenTheSameBucketIsWrittenAgain() throws Exception
    {
        final Path path = dir.resolve("replay.db");
        final TestBatch first = Traffic.batch(T0, 10, 1);
        final TestBatch other = Traffic.batch(T0 + 10, 10, 1);
        final TestBatch retried = Traffic.batch(T0, 10, 2);
        try (SqliteSink sink = open(path))
        {
            first.writeTo(sink);
            other.writeTo(sink);
            first.writeTo(sink);
            first.writeTo(sink);
            assertEquals(2, sink.batchesReplaced());
            assertViews(path, List.of(first, other));

            retried.writeTo(sink);
            assertEquals(3, sink.batchesReplaced());
        }
        assertViews(path, List.of(retried, other));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(2, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
            assertEquals(2, Traffic.scalar(connection, "SELECT count(*) FROM bucket_quality"));
            assertQuality(connection, List.of(retried, other));
        }
    }

    @Test
    void shouldReplaceCoveredBucketsWhenAWiderMergedBatchArrives() throws Exception
    {
        final Path path = dir.resolve("merged.db");
        final TestBatch single = Traffic.batch(T0, 10, 1);
        final TestBatch merged = Traffic.batch(T0, 30, 7);
        final TestBatch next = Traffic.batch(T0 + 30, 10, 1);
        try (SqliteSink sink = open(path))
        {
            single.writeTo(sink);
            merged.writeTo(sink);
            next.writeTo(sink);
            assertEquals(1, sink.batchesReplaced());
        }

        assertViews(path, List.of(merged, next));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(30, Traffic.scalar(connection,
                "SELECT DISTINCT bucket_seconds FROM port_traffic WHERE bucket_start = ?", T0));
        }
    }

    @Test
    void shouldOpenThePathAnewWhenTheFileOrItsDirectoryWasRemovedWhileOpen() throws Exception
    {
        final Path directory = dir.resolve("removed");
        final Path path = directory.resolve("traffic.db");
        final TestBatch before = Traffic.batch(T0, 10, 1);
        final TestBatch after = Traffic.batch(T0 + 10, 10, 2);
        final TestBatch later = Traffic.batch(T0 + 20, 10, 3);
        try (SqliteSink sink = open(path))
        {
            before.writeTo(sink);
            for (final String name : new String[]{ "traffic.db", "traffic.db-wal", "traffic.db-shm" })
            {
                Files.deleteIfExists(directory.resolve(name));
            }
            Files.delete(directory);

            // SQLite alone would write on into the deleted file, and lose the bucket when it closes
            after.writeTo(sink);
            assertEquals(1, sink.reopens());
            assertTrue(Files.isRegularFile(path));
            assertViews(path, List.of(after));

            // a cleanly closed store moved into its place is taken as the store from then on
            final Path moved = dir.resolve("moved.db");
            try (SqliteSink other = open(moved))
            {
                before.writeTo(other);
            }
            Files.move(moved, path, StandardCopyOption.REPLACE_EXISTING);
            later.writeTo(sink);
            assertEquals(2, sink.reopens());
            assertViews(path, List.of(before, later));

            // the file alone deleted: its log and index are left behind, and must not be replayed into the new file
            Files.delete(path);
            assertTrue(Files.exists(directory.resolve("traffic.db-wal")));
            after.writeTo(sink);
            assertEquals(3, sink.reopens());
        }

        assertViews(path, List.of(after));
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(1, Traffic.scalar(connection, "SELECT count(*) FROM pragma_integrity_check WHERE " +
                "integrity_check = 'ok'"));
        }
    }

    @Test
    void shouldDiscardThePartialAttemptWhenABatchIsRetriedFromItsStart() throws Exception
    {
        final Path path = dir.resolve("retry.db");
        final TestBatch batch = Traffic.batch(T0, 10, 3);
        try (SqliteSink sink = open(path))
        {
            sink.onBatchStart(batch);
            for (final TestRow row : batch.rows().subList(0, 5))
            {
                sink.onRow(row);
            }
            batch.writeTo(sink);
        }

        assertViews(path, List.of(batch));
    }

    @Test
    void shouldCountAndSkipRowsOfViewsWithoutATable() throws Exception
    {
        final Path path = dir.resolve("custom.db");
        final TestRow custom = new TestRow("vlans", "10.0.0.1", null, 6, 0, false, false, false, 1, 1, 1, 1);
        final TestBatch batch = Traffic.batch(T0, 10, 4);
        final List<TestRow> rows = new ArrayList<>(batch.rows());
        rows.add(custom);
        rows.add(custom);
        try (SqliteSink sink = open(path))
        {
            new TestBatch(T0, 10, batch.quality(), rows).writeTo(sink);
            assertEquals(2, sink.unknownViewRows());
            assertEquals(batch.rows().size(), sink.rowsWritten());
        }
        assertViews(path, List.of(batch));
    }

    @Test
    void shouldNameThePathAndReasonWhenTheDirectoryCannotBeCreated() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("plain-file"), "x");
        final Path path = file.resolve("sub/traffic.db");

        final SqliteStoreException ex = assertThrows(SqliteStoreException.class, () -> open(path));
        assertEquals(path, ex.path());
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
        assertTrue(ex.reason().startsWith("cannot create directory " + file.resolve("sub")), ex.reason());
    }

    @Test
    void shouldRefuseAFileThatIsNotADatabase() throws Exception
    {
        final Path path = Files.writeString(dir.resolve("notes.db"), "not the pages you are looking for".repeat(200));
        final byte[] before = Files.readAllBytes(path);

        final SqliteStoreException ex = assertThrows(SqliteStoreException.class, () -> open(path));
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
        assertTrue(ex.reason().contains("not a database"), ex.reason());
        assertEquals(new String(before), new String(Files.readAllBytes(path)));
    }

    @Test
    void shouldRefuseADirectoryAsTheDatabaseFile() throws Exception
    {
        final Path path = Files.createDirectories(dir.resolve("traffic.db"));

        final SqliteStoreException ex = assertThrows(SqliteStoreException.class, () -> open(path));
        assertEquals("is a directory, not a database file", ex.reason());
    }

    @Test
    void shouldConfigureTheBuilderFromTheUriOptions()
    {
        final SqliteSink.Builder builder = SqliteSink.builder(URI.create(
            "sqlite:" + dir.resolve("u v.db").toUri().getRawPath() + "?raw=PT6H&minute=P1D&hour=P30D&day=forever" +
            "&rollup=false&freeSpaceFloor=64M&busyTimeoutMs=250&synchronous=normal"));

        assertEquals(dir.resolve("u v.db"), builder.path());
        final long[] retention = builder.retentionSeconds();
        assertEquals(List.of(6 * 3600L, 86_400L, 30 * 86_400L, Long.MAX_VALUE),
            List.of(retention[0], retention[1], retention[2], retention[3]));
        assertEquals(250, builder.busyTimeoutMs());
        assertFalse(builder.rollup());
        assertEquals(64L << 20, builder.freeSpaceFloor());
        assertFalse(builder.durableCommits());
    }

    @Test
    void shouldKeepTheDefaultsWhenTheUriGivesNoOption()
    {
        final SqliteSink.Builder builder = SqliteSink.builder(URI.create(
            "sqlite:" + dir.resolve("defaults.db").toUri().getRawPath()));

        assertTrue(builder.rollup());
        assertEquals(256L << 20, builder.freeSpaceFloor());
        assertTrue(builder.durableCommits());
        assertEquals(5_000, builder.busyTimeoutMs());
    }

    @Test
    void shouldTakeAPathLiterallyWhenTheUriTextIsNotAValidUri()
    {
        assertEquals(dir.resolve("with space.db"), SqliteSink.fromUri("sqlite:" + dir.resolve("with space.db")).path());
        assertEquals(dir.resolve("plain.db"), SqliteSink.fromUri("SQLITE:" + dir.resolve("plain.db") + "?rollup=false")
            .path());
        assertThrows(IllegalArgumentException.class, () -> SqliteSink.fromUri("postgres://db/traffic"));
    }

    @Test
    void shouldRejectUrisAndSettingsThatAreNotValid()
    {
        assertThrows(IllegalArgumentException.class, () -> SqliteSink.builder(URI.create("file:/tmp/x.db")));
        assertThrows(IllegalArgumentException.class, () -> SqliteSink.builder(URI.create("sqlite://host/x.db")));
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> SqliteSink.builder(URI.create("sqlite:/tmp/x.db?colour=blue")));
        assertTrue(unknown.getMessage().contains("colour=blue"), unknown.getMessage());
        final IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
            () -> SqliteSink.builder(dir.resolve("x.db")).rawRetention(Duration.ofDays(30))
            .minuteRetention(Duration.ofDays(14)).build());
        assertTrue(order.getMessage().startsWith("minuteRetention=PT336H must not be shorter than rawRetention"),
            order.getMessage());
    }

    @Test
    void shouldRaiseTheDefaultCoarserRetentionsWhenOnlyALongerRawRetentionIsGiven()
    {
        final SqliteSink.Builder builder = SqliteSink.fromUri("sqlite:" + dir.resolve("long.db") + "?raw=P400D");
        builder.build().close();

        final long day = 86_400;
        assertArrayEquals(new long[]{ 400 * day, 400 * day, 400 * day, Long.MAX_VALUE }, builder.retentionSeconds());
        final SqliteSink.Builder between =
            SqliteSink.builder(dir.resolve("between.db")).rawRetention(Duration.ofDays(30));
        between.build().close();
        assertArrayEquals(new long[]{ 30 * day, 30 * day, 365 * day, Long.MAX_VALUE }, between.retentionSeconds());
    }

    static List<Object> prefixed(final Object first, final List<Object> rest)
    {
        final List<Object> key = new ArrayList<>();
        key.add(first);
        key.addAll(rest);
        return key;
    }

    /*
     * Every view, per agent, key and period, equals the sums of the rows fed by that agent; bucket_quality has one
     * row per agent and period.
     */
    static void assertViewsPerAgent(
        final Path path, final List<TestBatch> fed, final LongUnaryOperator period) throws Exception
    {
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : List.of(StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS))
            {
                final var key = view.equals(StatsRow.HOSTS) ? Traffic.hostKey() :
                    view.equals(StatsRow.PORTS) ? Traffic.portKey() : Traffic.peerKey();
                final Map<List<Object>, List<Long>> expected = Traffic.expected(fed, view, (s) -> true,
                    (batch, row) ->
                    {
                        final List<Object> k = new ArrayList<>(List.of(batch.agent(),
                            period.applyAsLong(batch.startEpochSecond())));
                        k.addAll(key.apply(batch, row));
                        return k;
                    });
                Traffic.assertSums(expected, Traffic.actual(connection, view, "agent, bucket_start", Long.MIN_VALUE,
                    Long.MAX_VALUE), view);
            }

            final Map<String, Long> frames = new TreeMap<>();
            for (final TestBatch batch : fed)
            {
                frames.merge(batch.agent() + "@" + period.applyAsLong(batch.startEpochSecond()),
                    batch.quality().frames(), Long::sum);
            }
            final Map<String, Long> shown = new TreeMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT agent || '@' || bucket_start, frames FROM bucket_quality");
                ResultSet result = statement.executeQuery())
            {
                while (result.next())
                {
                    assertEquals(null, shown.put(result.getString(1), result.getLong(2)), result.getString(1));
                }
            }
            assertEquals(frames, shown);
        }
    }

    static void assertViews(final Path path, final List<TestBatch> batches) throws Exception
    {
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : VIEWS)
            {
                final var key = view.equals(StatsRow.HOSTS) ? Traffic.hostKey() :
                    view.equals(StatsRow.PORTS) ? Traffic.portKey() : Traffic.peerKey();
                final Map<List<Object>, List<Long>> expected = Traffic.expected(batches, view, start -> true,
                    (batch, row) -> prefixed(batch.startEpochSecond(), key.apply(batch, row)));
                Traffic.assertSums(expected, Traffic.actual(connection, view, "bucket_start", 0, Long.MAX_VALUE), view);
            }
        }
    }

    /*
     * One bucket_quality row per bucket start: the figures of its batches summed, the widest width, complete only
     * when every batch was.
     */
    static void assertQuality(final Connection connection, final List<TestBatch> batches) throws Exception
    {
        final List<String> outcomes = Schema.outcomeLabels();
        final Map<Long, List<Long>> byStart = new java.util.TreeMap<>();
        for (final TestBatch batch : batches)
        {
            final TestQuality q = batch.quality();
            final List<Long> figures = new ArrayList<>(List.of((long)batch.widthSeconds(), q.frames(), q.packets(),
                q.bytes(), q.transitPackets(), q.transitBytes()));
            for (int i = 0; i < FrameOutcome.count(); i++)
            {
                if (FrameOutcome.get(i) != FrameOutcome.DECODED)
                {
                    figures.add(q.frames(FrameOutcome.get(i)));
                }
            }
            figures.addAll(List.of(q.latePackets(), q.ringDrops(), q.kernelDrops(), q.foldedKeys(),
                q.ringDrops() == 0 && q.kernelDrops() == 0 ? 1L : 0L));
            byStart.merge(batch.startEpochSecond(), figures, (a, b) ->
            {
                final List<Long> sum = new ArrayList<>();
                for (int i = 0; i < a.size(); i++)
                {
                    sum.add(i == 0 ? Math.max(a.get(i), b.get(i)) : i == a.size() - 1 ?
                        Math.min(a.get(i), b.get(i)) : a.get(i) + b.get(i));
                }
                return sum;
            });
        }
        for (final Map.Entry<Long, List<Long>> bucket : byStart.entrySet())
        {
            final List<Long> expected = bucket.getValue();
            final String columns = "bucket_seconds, frames, packets, bytes, transit_packets, transit_bytes, " +
                String.join(", ", outcomes) + ", late_packets, ring_drops, kernel_drops, folded_keys, complete";
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + columns + " FROM bucket_quality WHERE bucket_start = ?"))
            {
                statement.setLong(1, bucket.getKey());
                try (ResultSet result = statement.executeQuery())
                {
                    assertTrue(result.next());
                    final List<Long> actual = new ArrayList<>();
                    for (int i = 1; i <= expected.size(); i++)
                    {
                        actual.add(result.getLong(i));
                    }
                    assertEquals(expected, actual, "quality of " + bucket.getKey());
                    assertFalse(result.next(), "one row per bucket");
                }
            }
        }
    }

    static String text(final Connection connection, final String sql, final Object parameter) throws Exception
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            statement.setObject(1, parameter);
            try (ResultSet result = statement.executeQuery())
            {
                assertTrue(result.next(), sql);
                return result.getString(1);
            }
        }
    }
}
