package io.trafficanalyzer.examples;

import io.trafficanalyzer.sqlite.TrafficStore;
import io.trafficanalyzer.web.query.HumanUnits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingExampleTest
{
    private static final long S = 1_000_000_000L;

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

        // the rates: the whole seconds within (last - 5 s, last], last the file's last packet, over the time from the
        // oldest of them to that packet
        final long lastNs = script.frames().stream().filter((f) -> null != f.packet())
            .mapToLong(TrafficScript.Frame::timestampNs).max().orElseThrow();
        final long oldestSecond = Math.floorDiv(lastNs - 5 * S, S) + 1;
        long packets = 0;
        long bytes = 0;
        for (final TrafficScript.Frame frame : script.frames())
        {
            if (null != frame.packet() && frame.timestampNs() >= oldestSecond * S)
            {
                packets++;
                bytes += frame.packet().ipLength();
            }
        }
        long in = 0;
        long outBytes = 0;
        for (final long[] m : script.view("host", oldestSecond, Long.MAX_VALUE).values())
        {
            in += m[0];
            outBytes += m[2];
        }
        final String bitRate = HumanUnits.bitRate(bytes * 8 * (double)S / (lastNs - oldestSecond * S));
        final String expected = "last 5s: " + packets + " packets, " + bytes + " bytes (" + in + " in, " + outBytes +
            " out), " + bitRate + "; top:";
        final String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines.length >= 2, "a periodic report, then the last one on close");
        final String last = lines[lines.length - 1];
        assertTrue(last.startsWith(expected), last + " <> " + expected);

        // the top hosts of the whole file (within the 60 s window), all their protocols together
        final List<TrafficScript.Row> ranked = TrafficScript.ranked(script.view("host", 0, Long.MAX_VALUE));
        final StringBuilder top = new StringBuilder("; top:");
        for (final TrafficScript.Row row : ranked.subList(0, Math.min(3, ranked.size())))
        {
            top.append(' ').append(row.key().get(0)).append('=').append(row.bytes());
        }
        assertTrue(last.endsWith(top.toString()), last);

        try (TrafficStore store = TrafficStore.open(db))
        {
            assertEquals(script.ipBytes(), store.totals(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z")).bytes());
        }
    }
}
