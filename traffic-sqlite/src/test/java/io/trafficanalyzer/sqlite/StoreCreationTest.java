package io.trafficanalyzer.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store is built in a temporary file and published whole: processes creating one store at once all succeed on one
 * schema, a reader never sees the path half made, a creator killed at any moment leaves either nothing or a complete
 * store at the path, and what dead creators left behind is removed.
 */
class StoreCreationTest
{
    private static final int CREATORS = 4;
    private static final long CHILD_TIMEOUT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void shouldCreateOneStoreWhenProcessesCreateItAtOnceWhileAReaderNeverSeesItHalfMade() throws Exception
    {
        final Path path = dir.resolve("shared/traffic.db");
        final AtomicBoolean creating = new AtomicBoolean(true);
        final List<String> halfMade = new CopyOnWriteArrayList<>();
        final AtomicLong completeSeen = new AtomicLong();
        final Thread reader = new Thread(() ->
        {
            while (creating.get())
            {
                if (Files.exists(path))
                {
                    final String problem = problem(path);
                    if (null != problem)
                    {
                        halfMade.add(problem);
                    }
                    else
                    {
                        completeSeen.incrementAndGet();
                    }
                }
                Thread.onSpinWait();
            }
        }, "poller");
        reader.start();

        final List<ChildJvm> creators = new ArrayList<>();
        try
        {
            for (int i = 0; i < CREATORS; i++)
            {
                creators.add(ChildJvm.start(dir, "create", path.toString()));
            }
            for (final ChildJvm creator : creators)
            {
                assertEquals("created", creator.nextLine(CHILD_TIMEOUT_MS), creator.stderr());
                assertEquals(0, creator.waitFor(CHILD_TIMEOUT_MS), creator.stderr());
            }
        }
        finally
        {
            creating.set(false);
            reader.join();
            creators.forEach(ChildJvm::close);
        }

        assertEquals(List.of(), halfMade);
        assertTrue(completeSeen.get() > 0, "the reader saw the store");
        try (Connection connection = Traffic.connect(path))
        {
            assertEquals(1, Traffic.scalar(connection, "SELECT count(*) FROM schema_version"));
            assertEquals(CREATORS, Traffic.scalar(connection, "SELECT count(*) FROM stream"));
            assertEquals(CREATORS * Traffic.batch(T0, 10, 1).quality().frames(),
                Traffic.scalar(connection, "SELECT frames FROM bucket_quality"));
        }
        assertEquals(List.of(), leftovers(path.getParent()));
    }

    @Test
    void shouldLeaveNothingOrACompleteStoreAtThePathWhenTheCreatorIsKilledAtAnyMoment() throws Exception
    {
        final Path stores = Files.createDirectories(dir.resolve("stores"));
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        int killedMidway = 0;
        for (int round = 0; round < 6; round++)
        {
            final Path roundDir = Files.createDirectories(stores.resolve("round-" + round));
            final long delayMs = 300 + random.nextInt(1_200);
            try (ChildJvm child = ChildJvm.start(dir, "create-many", roundDir.toString(), "1000"))
            {
                Thread.sleep(delayMs);
                killedMidway += child.isAlive() ? 1 : 0;
                child.kill();
            }
            try (Stream<Path> files = Files.list(roundDir))
            {
                for (final Path file : files.toList())
                {
                    final String name = file.getFileName().toString();
                    if (name.endsWith(".db"))
                    {
                        assertEquals(null, problem(file), "seed " + seed + ", " + file);
                    }
                    else
                    {
                        assertTrue(name.endsWith("-wal") || name.endsWith("-shm") || name.contains(".creating"),
                            "seed " + seed + ", " + file);
                    }
                }
            }
        }
        assertTrue(killedMidway >= 3, "kills that landed while creating: " + killedMidway);
    }

    @Test
    void shouldRemoveWhatDeadCreatorsLeftAndKeepWhatLiveOnesAreMaking() throws Exception
    {
        final Path path = dir.resolve("traffic.db");
        final long dead;
        try (ChildJvm child = ChildJvm.start(dir, "create", dir.resolve("other.db").toString()))
        {
            child.nextLine(CHILD_TIMEOUT_MS);
            child.waitFor(CHILD_TIMEOUT_MS);
            dead = child.pid();
        }
        final Instant old = Instant.now().minusSeconds(120);
        final Path deadOld = creation(path, dead, "a", old);
        final Path deadOldJournal = creation(path, dead, "a", old, "-journal");
        final Path deadFresh = creation(path, dead, "b", Instant.now());
        final Path mineOld = creation(path, ProcessHandle.current().pid(), "c", old);
        final Path otherStores = creation(dir.resolve("traffic.db2"), dead, "d", old);
        final Path abandoned = creation(path, ProcessHandle.current().pid(), "e", Instant.now().minusSeconds(90_000));

        Traffic.sink(path).build().close();

        assertFalse(Files.exists(deadOld));
        assertFalse(Files.exists(deadOldJournal));
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(deadFresh), "a minute may pass before a creator's file is old");
        assertTrue(Files.exists(mineOld), "this process is alive");
        assertTrue(Files.exists(otherStores), "another store's");
        assertEquals(null, problem(path));
    }

    private static Path creation(final Path store, final long pid, final String random, final Instant modified,
        final String... suffix) throws Exception
    {
        final Path file = store.resolveSibling("." + store.getFileName() + "." + pid + "." + random +
            SqliteFiles.CREATING + (suffix.length == 0 ? "" : suffix[0]));
        Files.writeString(file, "half made");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    /*
     * Why the file at the path is not a complete store, or null when it is: opened read-write without creating
     * anything, as any client would.
     */
    static String problem(final Path path)
    {
        final SQLiteConfig config = new SQLiteConfig();
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setBusyTimeout(10_000);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + path))
        {
            if (Traffic.scalar(connection, "PRAGMA application_id") != Schema.APPLICATION_ID)
            {
                return "no application id";
            }
            if (Traffic.scalar(connection, "SELECT MAX(version) FROM schema_version") != Schema.VERSION)
            {
                return "no schema version " + Schema.VERSION;
            }
            final long objects = Traffic.scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type IN " +
                "('table', 'view')");
            final long expected = Schema.createStatements().stream().filter((sql) -> sql.startsWith("CREATE")).count();
            if (objects != expected)
            {
                return objects + " tables and views of " + expected;
            }
            if (Traffic.scalar(connection, "PRAGMA auto_vacuum") != 2)
            {
                return "not incremental auto-vacuum";
            }
            return null;
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    private static List<Path> leftovers(final Path directory) throws Exception
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter((file) -> file.getFileName().toString().contains(".creating")).toList();
        }
    }
}
