package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteSinkKillTest
{
    private static final int COMMITS_BEFORE_KILL = 4;
    private static final String EOF = "<eof>";

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryCommittedBucketAndNoPartialOneWhenTheWriterIsKilled() throws Exception
    {
        final Path path = dir.resolve("killed.db");
        final Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            KillChildMain.class.getName(), path.toString(), Long.toString(T0), "1000")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final Exception ignore)
            {
                // the stream closes when the child dies
            }
            lines.add(EOF);
        });
        pump.start();

        final List<Long> committed = new ArrayList<>();
        try
        {
            while (committed.size() < COMMITS_BEFORE_KILL)
            {
                final String line = lines.poll(2, TimeUnit.MINUTES);
                assertNotNull(line, "the child wrote nothing for two minutes");
                assertTrue(line.startsWith("committed "), "child ended early: " + line);
                committed.add(Long.parseLong(line.substring("committed ".length())));
            }
        }
        finally
        {
            // SIGKILL: no shutdown hook, no close, whatever transaction is open stays open in the files
            child.destroyForcibly();
            child.waitFor();
            pump.join();
        }
        for (String line = lines.poll(); line != null && !EOF.equals(line); line = lines.poll())
        {
            committed.add(Long.parseLong(line.substring("committed ".length())));
        }

        final List<Long> stored;
        try (Connection connection = Traffic.connect(path))
        {
            try (PreparedStatement check = connection.prepareStatement("PRAGMA integrity_check");
                ResultSet result = check.executeQuery())
            {
                assertTrue(result.next());
                assertEquals("ok", result.getString(1));
            }
            stored = starts(connection);
        }
        // every printed bucket is stored; at most one more was committed before its line could be printed
        assertEquals(committed, stored.subList(0, committed.size()));
        assertTrue(stored.size() <= committed.size() + 1, stored + " vs " + committed);
        final List<TestBatch> expected = new ArrayList<>();
        for (final long start : stored)
        {
            expected.add(KillChildMain.big(start));
        }
        assertExactly(path, expected);

        final long next = stored.get(stored.size() - 1) + KillChildMain.WIDTH;
        try (SqliteSink sink = SqliteSink.builder(path).freeSpaceFloor(0).build())
        {
            KillChildMain.big(next).writeTo(sink);
        }
        expected.add(KillChildMain.big(next));
        assertExactly(path, expected);
    }

    private static void assertExactly(final Path path, final List<TestBatch> batches) throws Exception
    {
        try (Connection connection = Traffic.connect(path))
        {
            final Map<List<Object>, List<Long>> expected = Traffic.expected(batches, StatsRow.PORTS, start -> true,
                (batch, row) -> SqliteSinkTest.prefixed(batch.startEpochSecond(), Traffic.portKey().apply(batch, row)));
            Traffic.assertSums(expected, Traffic.actual(connection, StatsRow.PORTS, "bucket_start", 0, Long.MAX_VALUE),
                "ports");
            assertEquals(batches.size(), Traffic.scalar(connection, "SELECT count(*) FROM bucket_quality"));
            for (final TestBatch batch : batches)
            {
                assertEquals(batch.rows().size(), Traffic.scalar(connection,
                    "SELECT rows FROM contribution WHERE bucket_start = ?", batch.startEpochSecond()));
            }
        }
    }

    private static List<Long> starts(final Connection connection) throws Exception
    {
        final List<Long> starts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
            "SELECT bucket_start FROM contribution ORDER BY bucket_start");
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                starts.add(result.getLong(1));
            }
        }
        return starts;
    }
}
