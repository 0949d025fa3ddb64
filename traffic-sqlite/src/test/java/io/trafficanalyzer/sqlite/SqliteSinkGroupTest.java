package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groups of batches in one transaction ({@link SqliteSink#onGroupStart()}): the store they leave equals the same
 * batches committed one by one, key by key, also when a group holds a retry of its own batch, a later part and
 * contributions that arrive after their minute was rolled up; a failed or killed group leaves none of itself, and
 * delivered again it counts once.
 */
class SqliteSinkGroupTest
{
    private static final int WIDTH = 10;
    private static final int[] GROUP_SIZES = { 2, 7, 1_000 };
    private static final String[] VIEWS = { "host_traffic", "port_traffic", "peer_traffic", "bucket_quality" };
    private static final String LEDGER = "SELECT a.name, s.identity, c.bucket_start, c.part, c.level, c.rows " +
        "FROM contribution c JOIN stream s ON s.id = c.stream_id JOIN agent a ON a.id = s.agent_id ORDER BY 1, 2, 3, 4";

    @TempDir
    Path dir;

    @Test
    void shouldStoreTheSameAsOneByOneWhenContributionsAreAppliedInGroups() throws Exception
    {
        final List<TestBatch> batches = fleet();
        final Path single = dir.resolve("single.db");
        try (SqliteSink sink = Traffic.sink(single).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            sink.maintainFully();
        }
        assertExactly(single, batches);

        for (final int size : GROUP_SIZES)
        {
            final Path grouped = dir.resolve("grouped-" + size + ".db");
            try (SqliteSink sink = Traffic.sink(grouped).build())
            {
                for (int first = 0; first < batches.size(); first += size)
                {
                    sink.onGroupStart();
                    for (final TestBatch batch : batches.subList(first, Math.min(batches.size(), first + size)))
                    {
                        batch.writeTo(sink);
                    }
                    sink.onGroupEnd();
                }
                sink.maintainFully();
                assertEquals(batches.size(), sink.batchesWritten());
            }
            for (final String view : VIEWS)
            {
                assertEquals(rows(single, "SELECT * FROM " + view + " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"),
                    rows(grouped, "SELECT * FROM " + view + " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"),
                    "groups of " + size + " against one by one: " + view);
            }
            assertEquals(rows(single, LEDGER), rows(grouped, LEDGER), "groups of " + size + ": the ledger");
            assertExactly(grouped, batches);
        }
    }

    @Test
    void shouldKeepNoneOfAGroupWhenOneOfItsBatchesFails() throws Exception
    {
        final List<TestBatch> batches = fleet().subList(0, 6);
        final TestBatch invalid = new TestBatch(-WIDTH, WIDTH, batches.get(0).quality(), batches.get(0).rows());
        final Path path = dir.resolve("failed.db");
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            sink.onGroupStart();
            batches.get(0).writeTo(sink);
            batches.get(1).writeTo(sink);
            assertThrows(SqliteStoreException.class, () -> invalid.writeTo(sink));
            // the group is refused until delivered again from its start
            assertThrows(IllegalStateException.class, () -> batches.get(2).writeTo(sink));
            assertThrows(IllegalStateException.class, sink::onGroupEnd);
            assertEquals(0, sink.batchesWritten());
            try (Connection connection = Traffic.connect(path))
            {
                assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
                assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM host_stats"));
            }

            sink.onGroupStart();
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            sink.onGroupEnd();
            assertEquals(batches.size(), sink.batchesWritten());
        }
        assertExactly(path, batches);
    }

    @Test
    void shouldRefuseTheRestOfAGroupWhenThePathCannotBeOpenedAnew() throws Exception
    {
        final List<TestBatch> batches = fleet().subList(0, 3);
        final Path directory = dir.resolve("gone");
        final Path path = directory.resolve("traffic.db");
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            // the directory replaced by a plain file: the path can be neither found nor made anew
            for (final String name : new String[]{ "traffic.db", "traffic.db-wal", "traffic.db-shm" })
            {
                Files.deleteIfExists(directory.resolve(name));
            }
            Files.delete(directory);
            Files.createFile(directory);

            sink.onGroupStart();
            assertThrows(SqliteStoreException.class, () -> batches.get(0).writeTo(sink));
            assertThrows(IllegalStateException.class, () -> batches.get(1).writeTo(sink));
            assertThrows(IllegalStateException.class, sink::onGroupEnd);
            assertEquals(0, sink.batchesWritten());

            Files.delete(directory);
            sink.onGroupStart();
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
            sink.onGroupEnd();
            assertEquals(batches.size(), sink.batchesWritten());
            assertEquals(1, sink.reopens());
        }
        assertExactly(path, batches);
    }

    @Test
    void shouldKeepNoPartOfAGroupWhenTheWriterIsKilledInItAndCountItOnceWhenDeliveredAgain() throws Exception
    {
        final Path path = dir.resolve("killed.db");
        final int killedGroup = 2;
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dorg.sqlite.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
            GroupKillChildMain.class.getName(), path.toString(), Long.toString(T0), Integer.toString(killedGroup))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final List<Long> committed = new ArrayList<>();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
            child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); !"mid-group".equals(line); line = lines.readLine())
            {
                assertTrue(null != line && line.startsWith("committed "), "the child ended early: " + line);
                committed.add(Long.parseLong(line.substring("committed ".length())));
            }
        }
        finally
        {
            // SIGKILL with two batches of the group written in its open transaction
            child.destroyForcibly();
            assertTrue(child.waitFor(1, TimeUnit.MINUTES));
        }

        final List<TestBatch> stored = new ArrayList<>();
        for (int group = 0; group < killedGroup; group++)
        {
            for (int i = 0; i < GroupKillChildMain.GROUP; i++)
            {
                final long start = GroupKillChildMain.start(T0, group, i);
                assertEquals(start, committed.get(stored.size()));
                stored.add(KillChildMain.big(start));
            }
        }
        assertEquals(stored.size(), committed.size());
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals("ok", scalarText(connection, "PRAGMA integrity_check"));
        }
        assertExactly(path, stored);

        // a collector would deliver the killed group again whole, and may repeat a committed one too
        final List<TestBatch> again = new ArrayList<>();
        for (final int group : new int[]{ killedGroup, 0 })
        {
            for (int i = 0; i < GroupKillChildMain.GROUP; i++)
            {
                again.add(KillChildMain.big(GroupKillChildMain.start(T0, group, i)));
            }
        }
        try (SqliteSink sink = SqliteSink.builder(path).freeSpaceFloor(0).build())
        {
            sink.onGroupStart();
            for (final TestBatch batch : again)
            {
                batch.writeTo(sink);
            }
            sink.onGroupEnd();
        }
        stored.addAll(again.subList(0, GroupKillChildMain.GROUP));
        assertExactly(path, stored);
    }

    /*
     * Three agents over five minutes: agent b's buckets come after a's have moved the store's "now" on (late, added
     * to rolled-up minutes), c's streams are two files and a later part; a's bucket 5 is retried at once with other
     * rows (replacing itself), and a stream's part-0 bucket is repeated at the end.
     */
    private static List<TestBatch> fleet()
    {
        final List<TestBatch> batches = new ArrayList<>();
        final long end = T0 + 300;
        for (long start = T0; start < end; start += WIDTH)
        {
            batches.add(Traffic.batch(start, WIDTH, 1).of("a"));
            if (start == T0 + 5 * WIDTH)
            {
                batches.add(Traffic.batch(start, WIDTH, 99).of("a"));
            }
        }
        for (long start = T0; start < end; start += WIDTH)
        {
            batches.add(Traffic.batch(start, WIDTH, 2).of("b"));
            final CaptureStream file = TestBatch.file(start < T0 + 150 ? "one.pcap" : "two.pcap");
            batches.add(Traffic.batch(start, WIDTH, 3).of("c").of(file));
            if (start % 30 == 0)
            {
                batches.add(Traffic.batch(start, WIDTH, 4).of("c").of(file).part(1));
            }
        }
        batches.add(Traffic.batch(T0 + 100, WIDTH, 5).of("b"));
        return batches;
    }

    /*
     * The views' sums per agent and key over all time equal those of the batches that stand, computed from their rows:
     * of each identity (agent, stream, bucket, part), the last one delivered.
     */
    private static void assertExactly(final Path path, final List<TestBatch> batches) throws Exception
    {
        final Map<List<Object>, TestBatch> standing = new LinkedHashMap<>();
        for (final TestBatch batch : batches)
        {
            standing.put(List.of(batch.agent(), batch.stream().id(), batch.startEpochSecond(), batch.part()), batch);
        }
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : new String[]{ StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS })
            {
                final java.util.function.BiFunction<TestBatch, TestRow, List<Object>> key =
                    StatsRow.HOSTS.equals(view) ? Traffic.hostKey() :
                    StatsRow.PORTS.equals(view) ? Traffic.portKey() : Traffic.peerKey();
                final java.util.function.BiFunction<TestBatch, TestRow, List<Object>> byAgent =
                    (batch, row) -> SqliteSinkTest.prefixed(batch.agent(), key.apply(batch, row));
                Traffic.assertSums(Traffic.expected(standing.values(), view, (start) -> true, byAgent),
                    Traffic.actual(connection, view, "agent", 0, Long.MAX_VALUE), view);
            }
            assertEquals(standing.size(), Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
        }
    }

    private static List<String> rows(final Path path, final String sql) throws Exception
    {
        final List<String> rows = new ArrayList<>();
        try (Connection connection = Traffic.connect(path);
            PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet result = statement.executeQuery())
        {
            final int columns = result.getMetaData().getColumnCount();
            while (result.next())
            {
                final StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++)
                {
                    row.append(result.getString(i)).append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String scalarText(final Connection connection, final String sql) throws Exception
    {
        try (PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet result = statement.executeQuery())
        {
            return result.next() ? result.getString(1) : null;
        }
    }
}
