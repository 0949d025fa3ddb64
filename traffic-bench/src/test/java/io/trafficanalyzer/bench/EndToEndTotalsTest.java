package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.SqliteSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The harness's check on a tiny capture: the library's totals, from the counting sink and from the SQLite store's
 * views, equal what the generator wrote; and a difference is reported figure by figure.
 */
class EndToEndTotalsTest
{
    private static final int FRAMES = 4000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "64", "imix" })
    void shouldEqualTheGeneratorsTotalsWhenTheLibraryReplaysIntoTheCountingSink(final String profile)
    {
        final Path capture = dir.resolve(profile + ".pcap");
        final CaptureTotals expected = CaptureFileGenerator.write(capture, profile, FRAMES, 40);

        final CountingSink sink = new CountingSink();
        final LibraryReplay.Result result = LibraryReplay.replay(capture, sink);

        assertEquals(List.of(), result.errors);
        assertEquals(FRAMES, result.counter(TrafficCounter.FRAMES));
        assertEquals(List.of(), expected.differences(sink.totals()));
    }

    @Test
    void shouldEqualTheGeneratorsTotalsWhenReadBackFromTheSqliteStore() throws Exception
    {
        final Path capture = dir.resolve("imix.pcap");
        final CaptureTotals expected = CaptureFileGenerator.write(capture, "imix", FRAMES, 40);
        final Path database = dir.resolve("store.db");

        final LibraryReplay.Result result = LibraryReplay.replay(capture, SqliteSink.builder(database).build());

        assertEquals(List.of(), result.errors);
        assertEquals(List.of(), expected.differences(SqliteTotals.read(database)));
        assertEquals(4, SqliteTotals.read(database).get("info.buckets"));
    }

    @Test
    void shouldNameEveryDifferingFigureWhenTotalsDiffer()
    {
        final CaptureTotals expected = new CaptureTotals().put("frames", 10).put("host.10.77.0.1.in_bytes", 500)
            .put("info.file_bytes", 1000);
        final CaptureTotals actual = new CaptureTotals().put("frames", 10).put("host.10.77.0.1.in_bytes", 499)
            .put("hosts.other.in_packets", 1).put("info.file_bytes", 2000);

        assertEquals(List.of(
            "host.10.77.0.1.in_bytes: expected 500, got 499",
            "hosts.other.in_packets: expected 0, got 1"), expected.differences(actual));
    }

    @Test
    void shouldKeepEveryFigureWhenStoredAndLoaded()
    {
        final CaptureTotals totals = new CaptureTotals().put("frames", 5_000_000).put("hosts.tcp.in_bytes", 1L << 40)
            .put("host.fd77::fa.out_packets", 3).put("info.imix", 0);
        final Path file = dir.resolve("totals");

        totals.store(file, "a test");

        assertEquals(totals.figures(), CaptureTotals.load(file).figures());
    }
}
