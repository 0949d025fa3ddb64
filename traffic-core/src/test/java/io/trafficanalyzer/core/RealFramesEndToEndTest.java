package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.DscpAggregator;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated traffic written as real Ethernet frames to a pcap file, read through a {@code file:} URI by the real
 * reader and decoder, and aggregated: the delivered buckets are exactly those the oracle computes from the packets
 * the test wrote.
 */
class RealFramesEndToEndTest
{
    static final long S = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * S;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({ "DEDICATED, 1", "SHARED, 3", "INVOKER, 2" })
    void shouldAggregateRealFramesFromAPcapFileExactly(final ThreadingMode mode, final int shards) throws Exception
    {
        final List<TestPacket> generated = new TrafficGenerator(31, 150, 200).generate(8_000, T0, S / 400, 2 * S);
        final List<TestPacket> written = new ArrayList<>();
        final Path file = dir.resolve("capture.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            for (final TestPacket packet : generated)
            {
                final FrameBuilder frame = packet.toFrame(1000);
                writer.record(packet.timestampNs(), frame.build());
                written.add(asWritten(packet, frame));
            }
        }
        final CollectingSink sink = new CollectingSink();

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + file)
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .threadingMode(mode)
            .shards(shards)
            .aggregator(DscpAggregator.PROVIDER)
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
            assertEquals(written.size(), analyzer.counter(TrafficCounter.FRAMES));
        }

        assertEquals(new ExpectedTraffic(10, 2 * S, true).addAll(written).buckets(), sink.snapshots());
    }

    // what the test wrote: the IP length of the frame it built, and the outcome a malformed frame stands for
    private static TestPacket asWritten(final TestPacket packet, final FrameBuilder frame)
    {
        if (FrameOutcome.NON_IP == packet.outcome())
        {
            return packet;
        }
        if (FrameOutcome.DECODED != packet.outcome())
        {
            return TestPacket.frame(packet.timestampNs(), FrameOutcome.BAD_IP_HEADER_LENGTH);
        }

        return new TestPacket(
            packet.timestampNs(), packet.outcome(), packet.ipVersion(), packet.srcHi(), packet.srcLo(),
            packet.dstHi(), packet.dstLo(), packet.protocol(), packet.srcPort(), packet.dstPort(),
            frame.ipLength(), packet.vlanId(), packet.dscp());
    }
}
