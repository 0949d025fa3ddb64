package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.GeneratedCapture.Slice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Random;

import static io.trafficanalyzer.sqlite.GeneratedCapture.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays SIGKILLed in child JVMs and run again: a capture replayed from one file, and the same capture cut in two
 * files replayed in one run, killed while the second file is read; each killed once or twice on the same store,
 * each time up to 50 ms after the child says it committed a seeded number of contributions, then replayed again to
 * the end. After every kill the store passes {@code PRAGMA integrity_check} and holds nothing above what the packets
 * hold; after the rerun its four views equal, bucket by bucket and key by key, one clean run's and what the test
 * computed from the packets. Most kills land mid-write (after the child's first commit, before its last). The seed
 * is printed and in every message; {@code -Drerun.kill.seed=SEED} repeats it.
 */
class RerunAfterKillTest
{
    private static final long T0 = 1_700_000_000L * S;
    private static final int WIDTH = 10;
    private static final int PACKETS = 30_000;
    private static final int ROUNDS = 4;
    private static final int KILL_JITTER_MS = 50;
    private static final long CHILD_TIMEOUT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void shouldShowOneCleanRunWhenKilledReplaysOfOneFileAndOfTwoFilesAreRunAgain() throws Exception
    {
        final long seed = Long.getLong("rerun.kill.seed", System.nanoTime());
        System.out.println("RerunAfterKillTest: seeded with " + seed + " (-Drerun.kill.seed=" + seed + ")");
        final Random random = new Random(seed);
        // some 4000 packets a bucket between 200 local and 60 000 remote hosts: thousands of rows a commit, so that
        // kills land inside writes; three packets far back in time, so late parts too
        final GeneratedCapture capture =
            GeneratedCapture.generate("A", seed, T0, 75 * S, PACKETS, 3, 200, 60_000);
        final int cut = PACKETS / 3 + random.nextInt(PACKETS / 3);
        final Slice whole = capture.all();
        final List<Slice> halves = List.of(new Slice(capture, 0, cut), new Slice(capture, cut, PACKETS));
        final Path wholeFile = dir.resolve("whole.pcap");
        final Path firstFile = dir.resolve("first.pcap");
        final Path secondFile = dir.resolve("second.pcap");
        whole.write(wholeFile, false);
        halves.get(0).write(firstFile, false);
        halves.get(1).write(secondFile, false);

        // the clean runs: one over the whole file, one over the two files; how many contributions each commits
        final ViewSnapshot expectedWhole = GeneratedCapture.expected(List.of(whole), WIDTH);
        final ViewSnapshot expectedHalves = GeneratedCapture.expected(halves, WIDTH);
        final ViewSnapshot clean = cleanRun(dir.resolve("clean.db"), List.of(wholeFile), expectedWhole, seed);
        final long wholeContributions = contributions(dir.resolve("clean.db"), null);
        final ViewSnapshot cleanHalves =
            cleanRun(dir.resolve("clean-halves.db"), List.of(firstFile, secondFile), expectedHalves, seed);
        final long halvesContributions = contributions(dir.resolve("clean-halves.db"), null);
        final long firstContributions = contributions(dir.resolve("clean-halves.db"), firstFile);
        ViewSnapshot.assertSame(clean.without(ViewSnapshot.QUALITY, "late_packets"),
            cleanHalves.without(ViewSnapshot.QUALITY, "late_packets"), false, "seed " + seed + ": the clean runs");

        int kills = 0;
        int killedMidWrite = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final boolean two = 1 == round % 2;
            final List<Path> files = two ? List.of(firstFile, secondFile) : List.of(wholeFile);
            final ViewSnapshot expected = two ? expectedHalves : expectedWhole;
            final long total = two ? halvesContributions : wholeContributions;
            // two files: after the first commit of the second one
            final long first = two ? firstContributions + 1 : 1;
            final Path db = dir.resolve("round-" + round + ".db");
            for (int kill = 0; kill < 1 + round / 2; kill++)
            {
                final long after = first + random.nextInt((int)(total - first));
                final int jitterMs = random.nextInt(KILL_JITTER_MS);
                final String what = "seed " + seed + ", round " + round + " (" + files.size() + " files), kill " +
                    jitterMs + " ms after " + after + " of " + total + " contributions committed";
                final boolean alive;
                final long delivered;
                try (ChildJvm child = ChildJvm.start(dir, replayArguments(db, files)))
                {
                    child.awaitDelivered(after, CHILD_TIMEOUT_MS);
                    // not a wait for anything: a seeded offset, so that kills land anywhere inside the next write
                    Thread.sleep(jitterMs);
                    alive = child.isAlive();
                    child.kill();
                    delivered = child.delivered();
                }
                kills++;
                killedMidWrite += alive && delivered < total ? 1 : 0;

                assertEquals(List.of("ok"), StoredHosts.integrityCheck(db), what);
                ViewSnapshot.assertWithin(expected, ViewSnapshot.read(db), what);
                if (two)
                {
                    assertTrue(contributions(db, secondFile) > 0, what + ": the second file was being read");
                }
            }

            ReplayPlan.replay(db.toString(), WIDTH, 1, files);

            final String what = "seed " + seed + ", round " + round + " (" + files.size() + " files), run again";
            final ViewSnapshot stored = ViewSnapshot.read(db);
            ViewSnapshot.assertSame(expected, stored, true, what + ": against the packets");
            ViewSnapshot.assertSame(two ? cleanHalves : clean, stored, false, what + ": against a clean run");
        }

        System.out.println("RerunAfterKillTest: " + killedMidWrite + " of " + kills + " kills landed mid-write");
        assertTrue(killedMidWrite >= kills * 3 / 4, "seed " + seed + ": " + killedMidWrite + " of " + kills +
            " kills landed after the child's first commit and before its last");
    }

    private static ViewSnapshot cleanRun(
        final Path db, final List<Path> files, final ViewSnapshot expected, final long seed) throws Exception
    {
        final TrafficAnalyzer analyzer = ReplayPlan.replay(db.toString(), WIDTH, 1, files);
        assertEquals(PACKETS, analyzer.counter(TrafficCounter.FRAMES));
        final ViewSnapshot views = ViewSnapshot.read(db);
        ViewSnapshot.assertSame(expected, views, true,
            "seed " + seed + ": a clean run of " + files + " against the packets");
        return views;
    }

    // contributions committed to the store, of one file's stream or (file null) of all
    private static long contributions(final Path db, final Path file) throws Exception
    {
        try (Connection connection = Traffic.connect(db))
        {
            return null == file ? Traffic.scalar(connection, "SELECT count(*) FROM contribution") :
                Traffic.scalar(connection, "SELECT count(*) FROM contribution c JOIN stream s ON s.id = c.stream_id " +
                "WHERE s.label = ?", file.toString());
        }
    }

    private static String[] replayArguments(final Path db, final List<Path> files)
    {
        final String[] args = new String[4 + files.size()];
        args[0] = "replay-files";
        args[1] = db.toString();
        args[2] = Integer.toString(WIDTH);
        args[3] = "1";
        for (int i = 0; i < files.size(); i++)
        {
            args[4 + i] = files.get(i).toString();
        }
        return args;
    }
}
