package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.GeneratedTraffic.Totals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real analyzer replaying a generated capture file into SQLite in a child JVM, SIGKILLed again and again on the
 * same store (started afresh now and then), each time up to 50 ms after the child says it committed a chosen number
 * of buckets, from the first to the last but one: after every kill the database passes {@code PRAGMA integrity_check}
 * and holds only whole buckets, each exactly once, each equal to what the test computed from the packets it wrote;
 * most kills land mid-write, after the child's first commit and before its last; after the last kill a full replay
 * completes and the store holds exactly the whole capture. The seed of the kill moments is printed and in every
 * message; {@code -Dreplay.kill.seed=SEED} repeats them.
 */
class ReplayKillTest
{
    private static final long S = 1_000_000_000L;
    private static final int PACKETS = 100_000;
    private static final int KILLS = 12;
    private static final int MIN_KILLS_MID_WRITE = KILLS * 3 / 4;
    private static final long CHILD_TIMEOUT_MS = 120_000;
    private static final int KILL_JITTER_MS = 50;

    @TempDir
    Path dir;

    @Test
    void shouldHoldOnlyWholeBucketsOnceAfterEveryKillAndEverythingAfterAFullReplay() throws Exception
    {
        final GeneratedTraffic traffic =
            new GeneratedTraffic(1_700_000_000L * S, 2_500_000L, 200, 60_000, 7, 200);
        final Path capture = dir.resolve("capture.pcap");
        traffic.writePcap(capture, PACKETS);
        final TreeMap<Long, TreeMap<String, Totals>> expected =
            traffic.expectedHosts(0, PACKETS, AnalyzerChildMain.WIDTH);
        final TreeMap<Long, Long> expectedFrames = new TreeMap<>();
        expected.forEach((start, hosts) -> expectedFrames.put(start,
            hosts.values().stream().mapToLong(Totals::packets).sum()));
        final int buckets = expected.size();

        final long seed = Long.getLong("replay.kill.seed", System.nanoTime());
        System.out.println("ReplayKillTest: kill moments seeded with " + seed + " (-Dreplay.kill.seed=" + seed + ")");
        final Random random = new Random(seed);
        Path db = null;
        int killedMidWrite = 0;
        for (int round = 0; round < KILLS; round++)
        {
            if (0 == round % 4)
            {
                db = dir.resolve("killed-" + round + ".db");
            }
            final long after = 1 + random.nextInt(buckets - 2);
            final int jitterMs = random.nextInt(KILL_JITTER_MS);
            final String what = "seed " + seed + ", round " + round + ", kill " + jitterMs + " ms after " + after +
                " of " + buckets + " buckets committed";
            final boolean alive;
            final long delivered;
            try (ChildJvm child = ChildJvm.start(dir, "replay", capture.toString(), db.toString()))
            {
                child.awaitDelivered(after, CHILD_TIMEOUT_MS);
                // not a wait for anything: a seeded offset, so that kills land anywhere inside the next bucket's write
                Thread.sleep(jitterMs);
                alive = child.isAlive();
                child.kill();
                delivered = child.delivered();
            }

            final int stored = assertWholeBuckets(db, expected, expectedFrames, what);
            assertTrue(stored >= 1, what + ": the first commit is stored");
            // after its first commit (awaited), before its last: the child was alive and had not said it was done
            killedMidWrite += alive && delivered < buckets ? 1 : 0;
        }
        System.out.println("ReplayKillTest: " + killedMidWrite + " of " + KILLS + " kills landed mid-write");
        assertTrue(killedMidWrite >= MIN_KILLS_MID_WRITE, "seed " + seed + ": " + killedMidWrite + " of " + KILLS +
            " kills landed after the child's first commit and before its last, fewer than " + MIN_KILLS_MID_WRITE);

        replayToTheEnd(capture, db, expected, expectedFrames);
    }

    private void replayToTheEnd(
        final Path capture,
        final Path db,
        final TreeMap<Long, TreeMap<String, Totals>> expected,
        final TreeMap<Long, Long> expectedFrames) throws Exception
    {
        try (ChildJvm child = ChildJvm.start(dir, "replay", capture.toString(), db.toString()))
        {
            child.expectLine("started", CHILD_TIMEOUT_MS);
            assertEquals(Integer.toString(PACKETS), child.expectLine("done ", CHILD_TIMEOUT_MS));
            assertEquals(0, child.waitFor(CHILD_TIMEOUT_MS));
        }

        assertEquals(expected.size(), assertWholeBuckets(db, expected, expectedFrames, "full replay"));
        assertEquals(expected, StoredHosts.read(db));
    }

    // integrity, and every stored bucket whole and once; returns how many buckets are stored
    private static int assertWholeBuckets(
        final Path db,
        final TreeMap<Long, TreeMap<String, Totals>> expected,
        final TreeMap<Long, Long> expectedFrames,
        final String what) throws Exception
    {
        assertEquals(List.of("ok"), StoredHosts.integrityCheck(db), what);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement())
        {
            // a store is published whole: the path names nothing or a complete store, wherever the kill landed
            assertTrue(hasTable(statement, "contribution"), what + ": the store at the path is complete");
        }

        final TreeMap<Long, TreeMap<String, Totals>> stored = StoredHosts.read(db);
        for (final Map.Entry<Long, TreeMap<String, Totals>> bucket : stored.entrySet())
        {
            assertEquals(expected.get(bucket.getKey()), bucket.getValue(), what + ": bucket " + bucket.getKey());
        }

        final TreeMap<Long, Long> frames = new TreeMap<>();
        final TreeMap<Long, Long> batches = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement())
        {
            try (ResultSet rows = statement.executeQuery("SELECT bucket_start, frames FROM bucket_quality"))
            {
                while (rows.next())
                {
                    assertEquals(null, frames.put(rows.getLong(1), rows.getLong(2)), what + ": quality twice");
                }
            }
            try (ResultSet rows = statement.executeQuery(
                "SELECT bucket_start, count(*), sum(bucket_seconds) FROM contribution GROUP BY bucket_start"))
            {
                while (rows.next())
                {
                    assertEquals(1, rows.getLong(2), what + ": batch recorded twice at " + rows.getLong(1));
                    assertEquals(AnalyzerChildMain.WIDTH, rows.getLong(3), what);
                    batches.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        assertEquals(stored.keySet(), frames.keySet(), what + ": a quality row for each stored bucket");
        assertEquals(stored.keySet(), batches.keySet(), what + ": a batch record for each stored bucket");
        for (final Map.Entry<Long, Long> bucket : frames.entrySet())
        {
            assertEquals(expectedFrames.get(bucket.getKey()), bucket.getValue(), what + ": frames of " +
                bucket.getKey());
        }

        return stored.size();
    }

    private static boolean hasTable(final Statement statement, final String table) throws Exception
    {
        try (ResultSet rows = statement.executeQuery(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"))
        {
            return rows.next() && rows.getLong(1) > 0;
        }
    }
}
