package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.CollectingSink;
import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TestAnalyzers;
import io.trafficanalyzer.core.ExpectedTraffic;
import io.trafficanalyzer.core.TestFrames;
import io.trafficanalyzer.core.TestPacket;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.TrafficGenerator;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSourceProviderTest
{
    static final long S = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * S;

    @TempDir
    Path dir;

    @Test
    void shouldReadPathsOfEveryFileUriForm()
    {
        assertEquals(Paths.get("/data/a.pcap"), FileSourceProvider.path("file:/data/a.pcap"));
        assertEquals(Paths.get("/data/a b.pcap"), FileSourceProvider.path("file:///data/a%20b.pcap"));
        assertEquals(Paths.get("captures/a.pcap"), FileSourceProvider.path("file:captures/a.pcap"));
    }

    @Test
    void shouldReplayAPcapFileGivenByUriExactly() throws Exception
    {
        final List<TestPacket> packets = new TrafficGenerator(21, 100, 100).generate(5_000, T0, S / 500, S);
        final Path file = dir.resolve("capture.pcap");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[TestFrames.LENGTH]);
        try (PcapFileWriter writer = PcapFileWriter.create(file)
            .magic(PcapFileWriter.MAGIC_NANOSECONDS).linkType(TestFrames.LINK_TYPE))
        {
            for (final TestPacket packet : packets)
            {
                TestFrames.encode(packet, frame, 0);
                writer.record(packet.timestampNs(), frame.byteArray().clone());
            }
        }
        final CollectingSink sink = new CollectingSink();

        try (TrafficAnalyzer analyzer = TestAnalyzers.withTestFrames()
            .source("file:" + file)
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .shards(2)
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }

        assertEquals(new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets(), sink.snapshots());
    }

    @Test
    void shouldNameTheSourceWhenTheFileDoesNotExist()
    {
        final String uri = "file:" + dir.resolve("missing.pcap");

        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> TrafficAnalyzer.builder().source(uri).build());

        assertEquals("source", ex.setting());
        assertEquals(uri, ex.value());
        assertTrue(ex.getMessage().contains("not a readable file"), ex.getMessage());
    }

    @Test
    void shouldListFileAmongTheKnownSchemes()
    {
        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> TrafficAnalyzer.builder().source("nope:x").build());

        assertTrue(ex.getMessage().contains("known schemes: [file"), ex.getMessage());
    }
}
