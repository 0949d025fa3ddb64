package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.sqlite.HostTraffic;
import io.trafficanalyzer.sqlite.PeerTraffic;
import io.trafficanalyzer.sqlite.PortTraffic;
import io.trafficanalyzer.sqlite.TrafficStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomSourceExampleTest
{
    private static final Instant BEGIN = Instant.EPOCH;
    private static final Instant END = Instant.parse("9999-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldStoreTheGeneratedPatternWhenTheSourceIsFoundByItsScheme()
    {
        final int packets = 4000;
        final int hosts = 4;
        final int size = 100;
        final Path db = dir.resolve("generated.db");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        final String uri = "generator:packets=" + packets + "&hosts=" + hosts + "&size=" + size +
            "&pps=100&start=2024-05-01T00:00:00Z";
        final List<HostTraffic> top =
            CustomSourceExample.run(uri, db, new PrintStream(out, true, StandardCharsets.UTF_8));

        // the pattern, independently: host i % hosts, even rounds out, odd rounds in
        final long[][] expected = new long[hosts][4];
        for (int i = 0; i < packets; i++)
        {
            final boolean outbound = (i / hosts) % 2 == 0;
            expected[i % hosts][outbound ? 2 : 0] += size;
            expected[i % hosts][outbound ? 3 : 1]++;
        }
        final List<HostTraffic> hostsExpected = new ArrayList<>();
        for (int h = 0; h < hosts; h++)
        {
            hostsExpected.add(new HostTraffic(
                "10.0.0." + (h + 1), expected[h][0], expected[h][1], expected[h][2], expected[h][3]));
        }
        assertEquals(hostsExpected, top);
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("generator:packets=4000&hosts=4&size=100&pps=100&start=2024-05-01T00:00:00Z: " +
            packets + " packets, " + (long)packets * size + " bytes"), text);
        assertTrue(text.contains("10.0.0.1        in 50000 B / 500 packets, out 50000 B / 500 packets"), text);

        try (TrafficStore store = TrafficStore.open(db))
        {
            assertEquals(List.of(new PortTraffic("tcp", 443, false, false, 50000, 500, 50000, 500)),
                store.topPorts("10.0.0.1", BEGIN, END, 10));
            assertEquals(List.of(new PeerTraffic(GeneratorSource.REMOTE, 50000, 500, 50000, 500)),
                store.topPeers("10.0.0.2", BEGIN, END, 10));
            // 4000 packets at 100 per second of packet time: 40 s, four 10 s buckets
            assertEquals(4, store.totals(BEGIN, END).buckets());
        }
    }

    @Test
    void shouldNameAnUnknownSettingOfTheUri()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source("generator:hosts=2&speed=9").build());

        assertEquals("source", ex.setting());
        assertTrue(ex.getMessage().endsWith("unknown setting 'speed'; known: packets, hosts, size, pps, start"),
            ex.getMessage());
    }

    @Test
    void shouldNameASettingOutOfRange()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source("generator:size=20").build());

        assertTrue(ex.getMessage().endsWith("size=20: must be from 40 to 65535"), ex.getMessage());
    }
}
