package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.HostTotalsSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text that comes from outside (a capture file's name, a configured value) reaches the error handler and exception
 * messages with its control characters escaped, so it cannot forge or hide log lines.
 */
class HostileTextTest
{
    private static final String FORGED = "x\n2026-01-01T00:00:00Z SEVERE forged line\r\u001b[2K\u202e";

    @TempDir
    Path dir;

    @Test
    void shouldEscapeTheFileNameWhenReportingADamagedFile() throws Exception
    {
        final Path file = dir.resolve("capture" + FORGED + ".pcap");
        final GeneratedTraffic traffic = new GeneratedTraffic(1_700_000_000L * 1_000_000_000L, 1_000_000, 3, 3, 1);
        final long[] offsets = traffic.writePcap(file, 10);
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int)offsets[7] + 20));
        final List<String> printed = new CopyOnWriteArrayList<>();

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + file)
            .sink(new HostTotalsSink())
            .errorHandler((throwable) ->
            {
                final StringWriter out = new StringWriter();
                throwable.printStackTrace(new PrintWriter(out));
                printed.add(out.toString());
            })
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));

            final CaptureFileException failure = assertInstanceOf(CaptureFileException.class, analyzer.sourceFailure());
            assertEquals(file, failure.file());
            assertEquals(offsets[7], failure.offset());
            assertEquals(dir.resolve("capture" + SafeTextOf.FORGED + ".pcap") + ": at byte offset " + offsets[7] +
                ": truncated record: " + (offsets[8] - offsets[7]) + " bytes needed, 20 left in the file",
                failure.getMessage());
        }

        assertEquals(1, printed.size());
        assertNoControlCharacterButLineEnds(printed.get(0));
    }

    @Test
    void shouldEscapeTheValueWhenRejectingASetting()
    {
        final String uri = "file:" + dir.resolve("missing" + FORGED + ".pcap");

        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source(uri).build());

        assertEquals(uri, ex.value());
        assertTrue(ex.getMessage().startsWith("source=file:" + dir.resolve("missing" + SafeTextOf.FORGED + ".pcap") +
            ": cannot open: "), ex.getMessage());
        assertNoControlCharacterButLineEnds(ex.getMessage());
    }

    // printStackTrace itself ends lines and indents frames with a tab; nothing else may be a control character
    private static void assertNoControlCharacterButLineEnds(final String text)
    {
        final String withoutLineEnds =
            text.replace(System.lineSeparator() + "\t", "").replace(System.lineSeparator(), "");
        withoutLineEnds.chars().forEach((c) ->
            assertTrue(!Character.isISOControl(c) && c != 0x202e, "U+" + Integer.toHexString(c) + " in " + text));
    }

    // the escaped form, written out by hand
    private static final class SafeTextOf
    {
        static final String FORGED = "x\\n2026-01-01T00:00:00Z SEVERE forged line\\r\\x1b[2K\\u202e";
    }
}
