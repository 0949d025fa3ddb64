package io.trafficanalyzer.examples;

import io.trafficanalyzer.sqlite.TrafficStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingExampleTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReportTheLiveViewPeriodicallyAndFlushEverythingOnCloseWhenReadingAFile() throws InterruptedException
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final Path db = dir.resolve("embedded.db");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final EmbeddingExample example = new EmbeddingExample(
            "file:" + capture, db, Duration.ofMillis(20), new PrintStream(out, true, StandardCharsets.UTF_8));
        try
        {
            example.start();
            assertTrue(example.awaitCompletion(Duration.ofSeconds(30)));
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (out.size() == 0 && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(5);
            }
        }
        finally
        {
            example.close();
        }
        example.close();

        long in = 0;
        long outBytes = 0;
        final Map<List<Object>, long[]> hosts = script.view("host", 0, Long.MAX_VALUE);
        for (final long[] m : hosts.values())
        {
            in += m[0];
            outBytes += m[2];
        }
        final List<TrafficScript.Row> ranked = TrafficScript.ranked(script.view("hosts", 0, Long.MAX_VALUE));
        final String expected = "last 60s: " + script.ipPackets() + " packets, " + script.ipBytes() + " bytes (" +
            in + " in, " + outBytes + " out), ";
        final String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length >= 2, "a periodic report, then the last one on close");
        final String last = lines[lines.length - 1];
        assertTrue(last.startsWith(expected), last);
        final StringBuilder top = new StringBuilder("; top:");
        for (final TrafficScript.Row row : ranked.subList(0, 3))
        {
            top.append(' ').append(row.key().get(0)).append('/').append(row.key().get(1))
                .append('=').append(row.bytes());
        }
        assertTrue(last.endsWith(top.toString()), last);

        try (TrafficStore store = TrafficStore.open(db))
        {
            assertEquals(script.ipBytes(), store.totals(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z")).bytes());
        }
    }
}
