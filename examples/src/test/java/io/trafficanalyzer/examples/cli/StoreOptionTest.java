package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreOptionTest
{
    // the standard script is of 2024-05-01; a store holding a bucket of 2026 measures retention from there
    private static final long TWO_YEARS_SECONDS = 2 * 365 * 86_400L;

    @TempDir
    Path dir;

    @Test
    void shouldSayInOneLineWhenOldBucketsGoStraightToRollupsAndHowToKeepThemRaw() throws Exception
    {
        final TrafficScript old = TrafficScript.standard();
        final Path recent = dir.resolve("recent.pcap");
        final Path capture = dir.resolve("old.pcap");
        old.shifted(TWO_YEARS_SECONDS).writePcap(recent);
        old.writePcap(capture);
        final Path db = dir.resolve("t.db");
        assertEquals(0, Cli.run("replay", "--db", db.toString(), recent.toString()).exitCode());

        final Cli.Result result = Cli.run("replay", "--db", db.toString(), capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        final long buckets = old.bucketCount(10);
        final String note = "note: " + buckets + " buckets from 2024-05-01T10:00:00Z to ";
        assertTrue(result.out().contains(note), result::toString);
        assertEquals(result.out().indexOf(note), result.out().lastIndexOf("note: "), "one line: " + result);
        assertTrue(result.out().contains(" went straight to the day rollups: "), result::toString);
        assertTrue(result.out().contains("--db 'sqlite:" + db.toAbsolutePath() + "?raw=P"), result::toString);
        assertEquals(0, rawBucketsBefore(db, TrafficScript.T0_SECONDS + 86_400), "no raw bucket of 2024");
        assertEquals(old.frameCount(), framesBefore(db, TrafficScript.T0_SECONDS + 86_400));
    }

    @Test
    void shouldKeepOldBucketsRawWhenTheUriGivesALongerRawRetention() throws Exception
    {
        final TrafficScript old = TrafficScript.standard();
        final Path recent = dir.resolve("recent.pcap");
        final Path capture = dir.resolve("old.pcap");
        old.shifted(TWO_YEARS_SECONDS).writePcap(recent);
        old.writePcap(capture);
        final Path db = dir.resolve("t.db");
        final String uri = "sqlite:" + db + "?raw=P1000D&minute=P1000D&hour=P1000D";
        assertEquals(0, Cli.run("replay", "--db", uri, recent.toString()).exitCode());

        final Cli.Result result = Cli.run("replay", "--db", uri, capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertFalse(result.out().contains("note:"), result::toString);
        assertTrue(result.out().contains("into " + db.toAbsolutePath()), result::toString);
        assertEquals(old.bucketCount(10), rawBucketsBefore(db, TrafficScript.T0_SECONDS + 86_400));
        assertEquals(old.frameCount(), framesBefore(db, TrafficScript.T0_SECONDS + 86_400));

        final Cli.Result top = Cli.run("top", "--db", uri, "--format", "csv");
        assertEquals(0, top.exitCode(), top::toString);
        assertTrue(top.out().contains(TrafficScript.A), top::toString);
    }

    @Test
    void shouldKeepOldBucketsRawWhenAFreshStoreIsGivenTheOptionTheNoteSuggests() throws Exception
    {
        final TrafficScript old = TrafficScript.standard();
        final Path recent = dir.resolve("recent.pcap");
        final Path capture = dir.resolve("old.pcap");
        old.shifted(TWO_YEARS_SECONDS).writePcap(recent);
        old.writePcap(capture);
        final Path db = dir.resolve("t.db");
        assertEquals(0, Cli.run("replay", "--db", db.toString(), recent.toString()).exitCode());
        final Cli.Result noted = Cli.run("replay", "--db", db.toString(), capture.toString());
        final Matcher suggestion = Pattern.compile("--db '(sqlite:[^']+)'").matcher(noted.out());
        assertTrue(suggestion.find(), noted::toString);
        final Path fresh = dir.resolve("fresh.db");
        final String uri = suggestion.group(1).replace(db.toAbsolutePath().toString(), fresh.toString());

        assertEquals(0, Cli.run("replay", "--db", uri, recent.toString()).exitCode());
        final Cli.Result result = Cli.run("replay", "--db", uri, capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertFalse(result.out().contains("note:"), result::toString);
        assertEquals(old.bucketCount(10), rawBucketsBefore(fresh, TrafficScript.T0_SECONDS + 86_400));
        assertEquals(old.frameCount(), framesBefore(fresh, TrafficScript.T0_SECONDS + 86_400));
    }

    @Test
    void shouldRefuseABadStoreOptionBeforeCreatingAnything()
    {
        final Path capture = dir.resolve("standard.pcap");
        TrafficScript.standard().writePcap(capture);
        final Path db = dir.resolve("t.db");

        final Cli.Result result = Cli.run("replay", "--db", "sqlite:" + db + "?raw=banana", capture.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("error: Invalid value for option '--db'"), result::toString);
        assertTrue(result.err().contains("raw"), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result::toString);
        assertFalse(Files.exists(db), "nothing is created on a usage error");
    }

    private static long rawBucketsBefore(final Path db, final long end) throws SQLException
    {
        return queryLong(db, "SELECT count(*) FROM bucket_quality WHERE bucket_seconds = 10 AND bucket_start < " + end);
    }

    private static long framesBefore(final Path db, final long end) throws SQLException
    {
        return queryLong(db, "SELECT SUM(frames) FROM bucket_quality WHERE bucket_start < " + end);
    }

    private static long queryLong(final Path db, final String sql) throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(sql))
        {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }
}
