package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaMigrationTest
{
    private static final String V1_HOST = "INSERT INTO host_stats VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String V1_PORT = "INSERT INTO port_stats VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String V1_PEER = "INSERT INTO peer_stats VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String V1_QUALITY = "INSERT INTO quality_stats VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String V1_OUTCOME = "INSERT INTO quality_outcome VALUES (0, ?, ?, ?)";
    private static final String V1_BATCH = "INSERT INTO batch VALUES (?, ?, 0, ?, 0)";
    private static final String HOST = TrafficAnalyzer.localHostName();

    @TempDir
    Path dir;

    @Test
    void shouldUpgradeAVersion1StoreAndKeepEveryNumberWhenTheSinkOpensIt() throws Exception
    {
        final Path path = dir.resolve("v1.db");
        final List<TestBatch> old = Traffic.series(T0, T0 + 60, 10, 31);
        writeVersion1(path, old);

        final SqliteStoreException unreadable = assertThrows(SqliteStoreException.class, () -> TrafficStore.open(path));
        assertTrue(unreadable.reason().endsWith("the first run that writes to it (replay, capture) upgrades it"),
            unreadable.reason());

        final List<TestBatch> all = new ArrayList<>(old);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            // the agent a library on this host writes as by default: the legacy rows' agent
            final TestBatch next = Traffic.batch(T0 + 60, 10, 31).of(HOST);
            next.writeTo(sink);
            all.add(next);
            // no stream of version 3 is the stream that wrote before it: what it writes adds
            old.get(2).of(HOST).writeTo(sink);
            all.add(old.get(2));
            assertEquals(0, sink.batchesReplaced());
        }

        SqliteSinkTest.assertViews(path, all);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L),
                column(connection, "SELECT version FROM schema_version ORDER BY version"));
            assertEquals(0, Traffic.scalar(connection,
                "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v1' OR name LIKE '%_v2' OR name = 'batch'"));
            assertEquals("ok", text(connection, "PRAGMA integrity_check"));
            SqliteSinkTest.assertQuality(connection, all);
            assertEquals(Traffic.HOSTS.length + Traffic.PEERS.length + 1,
                Traffic.scalar(connection, "SELECT count(*) FROM address"));
        }
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(Traffic.HOSTS.length, store.topHosts(java.time.Instant.ofEpochSecond(T0),
                java.time.Instant.ofEpochSecond(T0 + 70), 10).size());
        }
    }

    @Test
    void shouldUpgradeTheVersion2FixtureAndShowTheSameNumbersInEveryViewWhenTheSinkOpensIt() throws Exception
    {
        final Path path = dir.resolve("v2.db");
        loadFixture(path, "v2-store.sql");
        // what the fixture's writer was fed (see the fixture's header): raw kept from T0 + 5 min, minutes before
        final List<TestBatch> fed = new ArrayList<>(Traffic.series(T0, T0 + 360, 60, 41));
        fed.set(4, Traffic.batch(T0 + 240, 60, 99));
        fed.add(Traffic.batch(T0 + 45, 15, 42));
        fed.add(Traffic.batch(T0 + 360, 120, 43));
        final LongUnaryOperator period = (s) -> s >= T0 + 300 ? s : s / 60 * 60;
        RollupTest.assertShownPerPeriod(path, fed, period);
        final Map<String, List<List<Object>>> before = viewRows(path);
        assertEquals(2, Traffic.scalar(Traffic.connect(path), "SELECT MAX(version) FROM schema_version"));

        Traffic.sink(path).rawRetention(Duration.ofMinutes(3)).build().close();

        // the rows stored before version 3 are the legacy agent's: every view row is that agent's, numbers unchanged
        assertEquals(before, summedOverAgents(path));
        assertEquals(List.of(TrafficAnalyzer.localHostName()), agentsShown(path));
        RollupTest.assertShownPerPeriod(path, fed, period);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(List.of(2L, 3L, 4L, 5L),
                column(connection, "SELECT version FROM schema_version ORDER BY version"));
            assertEquals("ok", text(connection, "PRAGMA integrity_check"));
            assertEquals(TrafficAnalyzer.localHostName(), text(connection, "SELECT name FROM agent"));
            assertEquals("legacy|written before version 3", text(connection, "SELECT identity || '|' || label " +
                "FROM stream"));
            // the eight batch records: the six minutes (one replaced in place), the late one, the wide one
            assertEquals(List.of(T0, T0 + 45, T0 + 60, T0 + 120, T0 + 180, T0 + 240, T0 + 300, T0 + 360),
                column(connection, "SELECT bucket_start FROM contribution ORDER BY bucket_start"));
            assertEquals(List.of(1L), column(connection, "SELECT level FROM contribution WHERE bucket_start = " +
                (T0 + 45)));
            // raw rows point at their bucket's contribution, rollup rows at none
            assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM port_stats s WHERE level = 0 AND " +
                "contribution_id <> (SELECT c.id FROM contribution c WHERE c.bucket_start = s.bucket_start)"));
            assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM peer_stats WHERE level > 0 AND " +
                "contribution_id <> 0"));
        }

        // a stream of version 3 adds to the legacy rows; a later bucket of it rolls the minutes up as before
        final TestBatch added = Traffic.batch(T0 + 300, 60, 44).of(TestBatch.file("after-upgrade")).of(HOST);
        final TestBatch next = Traffic.batch(T0 + 480, 60, 45).of(TestBatch.file("after-upgrade")).of(HOST);
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofMinutes(3)).build())
        {
            added.writeTo(sink);
            next.writeTo(sink);
            assertEquals(0, sink.batchesReplaced());
        }
        fed.add(added);
        fed.add(next);
        RollupTest.assertShownPerPeriod(path, fed, (s) -> s >= T0 + 360 ? s : s / 60 * 60);
    }

    @Test
    void shouldUpgradeTheVersion3FixtureAndShowEachAgentsRowsSummingToTheSameViewsWhenTheSinkOpensIt()
        throws Exception
    {
        final Path path = dir.resolve("v3.db");
        loadFixture(path, "v3-store.sql");
        // what the fixture's writer was fed (see the fixture's header): raw kept from T0 + 5 min, minutes before
        final List<TestBatch> fed = new ArrayList<>();
        final List<TestBatch> a = Traffic.series(T0, T0 + 360, 60, 61);
        a.set(4, Traffic.batch(T0 + 240, 60, 64));
        a.add(Traffic.batch(T0 + 360, 120, 66));
        a.forEach((batch) -> fed.add(batch.of("edge-a")));
        Traffic.series(T0 + 120, T0 + 360, 60, 62).forEach((batch) -> fed.add(batch.of("edge-b")));
        fed.add(Traffic.batch(T0 + 300, 60, 63).of("edge-b").part(1));
        fed.add(Traffic.batch(T0 + 45, 15, 65).of("edge-c"));
        final LongUnaryOperator period = (s) -> s >= T0 + 300 ? s : s / 60 * 60;
        RollupTest.assertShownPerPeriod(path, fed, period);
        final Map<String, List<List<Object>>> before = viewRows(path);
        assertEquals(3, Traffic.scalar(Traffic.connect(path), "SELECT MAX(version) FROM schema_version"));

        Traffic.sink(path).rawRetention(Duration.ofMinutes(3)).build().close();

        // one row per agent, key and bucket; summed over the agents, exactly the version-3 rows
        assertEquals(before, summedOverAgents(path));
        assertEquals(List.of("edge-a", "edge-b", "edge-c"), agentsShown(path));
        SqliteSinkTest.assertViewsPerAgent(path, fed, period);
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(List.of(3L, 4L, 5L),
                column(connection, "SELECT version FROM schema_version ORDER BY version"));
            // version 5's alerts: the table and its view, empty
            assertEquals(0, Traffic.scalar(connection, "SELECT count(*) FROM alert_history"));
            assertEquals(SchemaMigrations.V5_ALERT_DDL, text(connection,
                "SELECT sql FROM sqlite_master WHERE name = 'alert_event'"));
            assertEquals("ok", text(connection, "PRAGMA integrity_check"));
            // the tables are left as they were
            assertEquals(13, Traffic.scalar(connection, "SELECT count(*) FROM contribution"));
            assertEquals(3, Traffic.scalar(connection, "SELECT count(*) FROM stream"));
        }

        // an agent of version 4 adds its own rows to a bucket the others share
        final TestBatch added = Traffic.batch(T0 + 300, 60, 67).of(TestBatch.file("d.pcap")).of("edge-d");
        try (SqliteSink sink = Traffic.sink(path).rawRetention(Duration.ofMinutes(3)).build())
        {
            added.writeTo(sink);
            assertEquals(0, sink.batchesReplaced());
        }
        fed.add(added);
        SqliteSinkTest.assertViewsPerAgent(path, fed, period);
    }

    /*
     * Every view's rows with the agent column summed away, in viewRows' form: the columns a view had before
     * version 4 (bucket_seconds the widest, complete the least, the other figures summed).
     */
    private static Map<String, List<List<Object>>> summedOverAgents(final Path path) throws Exception
    {
        final List<String> keys = List.of("time", "bucket_start", "host", "peer", "protocol", "port", "served");
        final Map<String, List<List<Object>>> views = new TreeMap<>();
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : Schema.VIEW_NAMES)
            {
                final List<String> select = new ArrayList<>();
                final List<String> group = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT name FROM pragma_table_info(?)"))
                {
                    statement.setString(1, view);
                    try (ResultSet result = statement.executeQuery())
                    {
                        while (result.next())
                        {
                            final String column = result.getString(1);
                            if (keys.contains(column))
                            {
                                select.add(column);
                                group.add(column);
                            }
                            else if (column.equals("bucket_seconds"))
                            {
                                select.add("MAX(bucket_seconds)");
                            }
                            else if (column.equals("complete"))
                            {
                                select.add("MIN(complete)");
                            }
                            else if (!column.equals("agent"))
                            {
                                select.add("SUM(" + column + ")");
                            }
                        }
                    }
                }
                final List<List<Object>> rows = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement("SELECT " + String.join(", ", select) +
                    " FROM " + view + " GROUP BY " + String.join(", ", group));
                    ResultSet result = statement.executeQuery())
                {
                    while (result.next())
                    {
                        final List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= select.size(); i++)
                        {
                            row.add(result.getString(i));
                        }
                        rows.add(row);
                    }
                }
                rows.sort(Comparator.comparing(Object::toString));
                views.put(view, rows);
            }
        }
        return views;
    }

    private static List<String> agentsShown(final Path path) throws Exception
    {
        final List<String> agents = new ArrayList<>();
        try (Connection connection = Traffic.connect(path);
            PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT agent FROM host_traffic " +
                "UNION SELECT agent FROM port_traffic UNION SELECT agent FROM peer_traffic " +
                "UNION SELECT agent FROM bucket_quality ORDER BY 1");
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                agents.add(result.getString(1));
            }
        }
        return agents;
    }

    /*
     * Every row of every view, in a fixed order, as the values JDBC returns.
     */
    private static Map<String, List<List<Object>>> viewRows(final Path path) throws Exception
    {
        final Map<String, List<List<Object>>> views = new TreeMap<>();
        try (Connection connection = Traffic.connect(path))
        {
            for (final String view : Schema.VIEW_NAMES)
            {
                final List<List<Object>> rows = new ArrayList<>();
                try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM " + view);
                    ResultSet result = statement.executeQuery())
                {
                    final int columns = result.getMetaData().getColumnCount();
                    while (result.next())
                    {
                        final List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= columns; i++)
                        {
                            row.add(result.getString(i));
                        }
                        rows.add(row);
                    }
                }
                rows.sort(Comparator.comparing(Object::toString));
                views.put(view, rows);
            }
        }
        assertTrue(views.values().stream().noneMatch(List::isEmpty), "every view has rows");
        return views;
    }

    /*
     * A store from a checked-in SQL dump, as the sqlite3 shell would restore it.
     */
    static void loadFixture(final Path path, final String resource) throws Exception
    {
        final String sql;
        try (var in = SchemaMigrationTest.class.getResourceAsStream(resource))
        {
            assertTrue(null != in, resource);
            sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        try (Connection connection = Traffic.connect(path); Statement statement = connection.createStatement())
        {
            // one statement per line in a dump, after the header's comment lines
            for (final String line : sql.split("\n"))
            {
                if (!line.isBlank() && !line.startsWith("--"))
                {
                    statement.execute(line);
                }
            }
        }
    }

    @Test
    void shouldRefuseAStoreOfANewerVersionAndLeaveItUntouched() throws Exception
    {
        final Path path = dir.resolve("v6.db");
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            Traffic.batch(T0, 10, 1).writeTo(sink);
        }
        try (Connection connection = Traffic.connect(path); Statement statement = connection.createStatement())
        {
            statement.execute("INSERT INTO schema_version VALUES (6, '2030-01-01T00:00:00Z')");
        }
        final String before = digest(path);
        final List<Path> filesBefore = files();

        final SqliteStoreException ex = assertThrows(SqliteStoreException.class,
            () -> SqliteSink.builder(path).build());
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
        assertTrue(ex.reason().startsWith("written by schema version 6 but this library knows versions up to 5; " +
            "refusing to open it (left untouched)"), ex.reason());
        assertEquals(before, digest(path));
        assertEquals(filesBefore, files());

        final SqliteStoreException unreadable = assertThrows(SqliteStoreException.class, () -> TrafficStore.open(path));
        assertEquals(ex.reason(), unreadable.reason());
        assertEquals(before, digest(path));
    }

    @Test
    void shouldRefuseADatabaseOfAnotherApplicationAndLeaveItUntouched() throws Exception
    {
        final Path path = dir.resolve("other.db");
        try (Connection connection = Traffic.connect(path); Statement statement = connection.createStatement())
        {
            statement.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)");
            statement.execute("INSERT INTO invoices VALUES (1, 100)");
        }
        final String before = digest(path);

        final SqliteStoreException ex = assertThrows(SqliteStoreException.class,
            () -> SqliteSink.builder(path).build());
        assertTrue(ex.reason().startsWith("not a traffic store"), ex.reason());
        assertEquals(before, digest(path));
    }

    /*
     * A version-1 store as a version-1 library left it: its DDL, then rows with inline 16-byte addresses.
     */
    private static void writeVersion1(final Path path, final List<TestBatch> batches) throws Exception
    {
        try (Connection connection = Traffic.connect(path); Statement statement = connection.createStatement())
        {
            for (final String sql : SchemaMigrations.V1_DDL)
            {
                statement.execute(sql);
            }
            statement.execute("BEGIN");
            try (PreparedStatement host = connection.prepareStatement(V1_HOST);
                PreparedStatement port = connection.prepareStatement(V1_PORT);
                PreparedStatement peer = connection.prepareStatement(V1_PEER);
                PreparedStatement quality = connection.prepareStatement(V1_QUALITY);
                PreparedStatement outcome = connection.prepareStatement(V1_OUTCOME);
                PreparedStatement batch = connection.prepareStatement(V1_BATCH))
            {
                for (final TestBatch b : batches)
                {
                    for (final TestRow row : b.rows())
                    {
                        final PreparedStatement insert = row.view().equals(StatsRow.HOSTS) ? host :
                            row.view().equals(StatsRow.PORTS) ? port : peer;
                        int i = 1;
                        insert.setLong(i++, b.startEpochSecond());
                        insert.setInt(i++, b.widthSeconds());
                        insert.setBytes(i++, bytes(row.host()));
                        if (insert == peer)
                        {
                            insert.setBytes(i++, row.isFolded() ? new byte[0] : bytes(row.peer()));
                        }
                        insert.setInt(i++, row.protocol());
                        if (insert == port)
                        {
                            insert.setInt(i++, row.portValue());
                            insert.setLong(i++, row.servedValue());
                        }
                        insert.setLong(i++, row.inBytes());
                        insert.setLong(i++, row.inPackets());
                        insert.setLong(i++, row.outBytes());
                        insert.setLong(i, row.outPackets());
                        insert.executeUpdate();
                    }
                    final TestQuality q = b.quality();
                    final long[] figures = { b.startEpochSecond(), b.widthSeconds(), q.frames(), q.packets(),
                        q.bytes(), q.transitPackets(), q.transitBytes(), q.latePackets(), q.ringDrops(),
                        q.kernelDrops(), q.foldedKeys(), q.isComplete() ? 1 : 0 };
                    for (int i = 0; i < figures.length; i++)
                    {
                        quality.setLong(i + 1, figures[i]);
                    }
                    quality.executeUpdate();
                    for (final Map.Entry<FrameOutcome, Long> entry : q.outcomes().entrySet())
                    {
                        outcome.setLong(1, b.startEpochSecond());
                        outcome.setString(2, entry.getKey().label());
                        outcome.setLong(3, entry.getValue());
                        outcome.executeUpdate();
                    }
                    batch.setLong(1, b.startEpochSecond());
                    batch.setInt(2, b.widthSeconds());
                    batch.setInt(3, b.rows().size());
                    batch.executeUpdate();
                }
            }
            final long end = batches.get(batches.size() - 1).startEpochSecond() + 10;
            statement.execute("UPDATE granularity SET complete_until = " + end + " WHERE level = 0");
            statement.execute("COMMIT");
        }
    }

    private static byte[] bytes(final String address)
    {
        return AddressBytes.toBytes(TestRow.word(address, 0), TestRow.word(address, 8));
    }

    private List<Path> files() throws Exception
    {
        try (Stream<Path> list = Files.list(dir))
        {
            return list.sorted().toList();
        }
    }

    private static String digest(final Path path) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path)));
    }

    private static List<Long> column(final Connection connection, final String sql) throws Exception
    {
        final List<Long> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                values.add(result.getLong(1));
            }
        }
        return values;
    }

    private static String text(final Connection connection, final String sql) throws Exception
    {
        try (PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet result = statement.executeQuery())
        {
            result.next();
            return result.getString(1);
        }
    }
}
