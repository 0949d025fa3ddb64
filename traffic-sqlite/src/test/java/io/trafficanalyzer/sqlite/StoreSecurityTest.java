package io.trafficanalyzer.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store is readable by its owner and group only, whatever the process's file-creation mask; what comes from
 * packets reaches SQL only as bound values, and what a log line quotes is escaped.
 */
class StoreSecurityTest
{
    private static final long T0 = Traffic.T0;

    @TempDir
    Path dir;

    @Test
    void shouldCreateTheStoreItsLogAndDirectoriesForOwnerAndGroupOnlyWhenTheUmaskAllowsEveryone() throws Exception
    {
        final Path db = dir.resolve("var/lib/traffic/traffic.db");
        try (ChildJvm child = ChildJvm.start("000", dir, "store", db.toString()))
        {
            child.expectLine("ready", 60_000);

            // while the store is open: the database, its write-ahead log and its shared-memory index
            assertEquals("rw-rw----", permissions(db));
            assertEquals("rw-rw----", permissions(SqliteFiles.sibling(db, "-wal")));
            assertEquals("rw-rw----", permissions(SqliteFiles.sibling(db, "-shm")));
            for (Path directory = db.getParent(); !directory.equals(dir); directory = directory.getParent())
            {
                assertEquals("rwxr-x---", permissions(directory), directory.toString());
            }

            child.closeInput();
            child.expectLine("closed", 60_000);
            assertEquals(0, child.waitFor(60_000));
        }
        assertEquals("rw-rw----", permissions(db));
    }

    @Test
    void shouldStoreHostileLookingValuesAsDataWhenTheyComeFromPackets() throws Exception
    {
        // addresses whose bytes are quotes, semicolons, backslashes, NULs and dashes, extreme ports and protocols
        final String[] hosts = { "2727:2727:2727:2727:2727:2727:2727:273b", "::", "5c5c:2222::2d2d", "39.39.59.39",
            "0.0.0.0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };
        final List<TestRow> rows = new ArrayList<>();
        long value = Long.MAX_VALUE / 8;
        for (final String host : hosts)
        {
            rows.add(TestRow.host(host, 255, value, 1, value - 1, 2));
            rows.add(TestRow.port(host, 17, 65_535, true, 1, 1, 1, 1));
            rows.add(TestRow.port(host, 6, 0, false, 2, 2, 2, 2));
            for (final String peer : hosts)
            {
                rows.add(TestRow.peer(host, peer, 0, 3, 3, 3, 3));
            }
            value -= 1000;
        }
        final Path db = dir.resolve("hostile.db");
        final long objectsBefore;
        try (SqliteSink sink = Traffic.sink(db).build())
        {
            objectsBefore = objects(db);
            new TestBatch(T0, 10, TestQuality.EMPTY, rows).writeTo(sink);
        }

        SqliteSinkTest.assertViews(db, List.of(new TestBatch(T0, 10, TestQuality.EMPTY, rows)));
        assertEquals(objectsBefore, objects(db), "no table, view or index added or dropped");
        try (Connection connection = Traffic.connect(db))
        {
            assertEquals(hosts.length, Traffic.scalar(connection,
                "SELECT count(*) FROM host_traffic WHERE protocol = 'other' AND in_packets = 1"));
            assertEquals(hosts.length * hosts.length, Traffic.scalar(connection, "SELECT count(*) FROM peer_traffic"));
        }
        assertEquals(List.of("ok"), StoredHosts.integrityCheck(db));
    }

    @Test
    void shouldEscapeTheViewNameWhenLoggingRowsOfAViewWithoutATable() throws Exception
    {
        final String view = "dscp\"); DROP TABLE host_stats; --\n2026-01-01 SEVERE forged\u001b[2K";
        final List<String> logged = new ArrayList<>();
        final Logger logger = Logger.getLogger("io.trafficanalyzer.sqlite");
        final Handler handler = new Handler()
        {
            public void publish(final LogRecord record)
            {
                logged.add(new SimpleFormatter().formatMessage(record));
            }

            public void flush()
            {
            }

            public void close()
            {
            }
        };
        logger.addHandler(handler);
        final Path db = dir.resolve("views.db");
        try (SqliteSink sink = Traffic.sink(db).build())
        {
            new TestBatch(T0, 10, TestQuality.EMPTY, List.of(
                new TestRow(view, "10.0.0.1", null, 6, 0, false, false, false, 1, 1, 1, 1),
                TestRow.host("10.0.0.1", 6, 5, 1, 7, 1))).writeTo(sink);
            assertEquals(1, sink.unknownViewRows());
        }
        finally
        {
            logger.removeHandler(handler);
        }

        final List<String> aboutTheView = logged.stream().filter((line) -> line.contains("no table for view")).toList();
        assertEquals(1, aboutTheView.size(), logged.toString());
        final String line = aboutTheView.get(0);
        assertTrue(line.contains("dscp\"); DROP TABLE host_stats; --\\n2026-01-01 SEVERE forged\\x1b[2K"), line);
        assertFalse(line.chars().anyMatch(Character::isISOControl), line);
        try (Connection connection = Traffic.connect(db))
        {
            assertEquals(1, Traffic.scalar(connection, "SELECT count(*) FROM host_traffic"));
        }
    }

    private static String permissions(final Path path) throws Exception
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static long objects(final Path db) throws Exception
    {
        try (Connection connection = Traffic.connect(db);
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT count(*) FROM sqlite_master"))
        {
            result.next();
            return result.getLong(1);
        }
    }
}
