package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnedLocalNetworksTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;

    @Test
    void shouldCountHostsOfTheSourcesOwnPrefixesAsLocalWhenTheSourceKnowsThem() throws Exception
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().ipv4("203.0.113.5", "198.51.100.1")
            .udp(5000, 53).payload(20);
        final HostRows sink = new HostRows();
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(new OneFrameSource(frame.build(), List.of("203.0.113.0/24")))
            .localNetworks("10.0.0.0/8")
            .threadingMode(ThreadingMode.SHARED)
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(30)));
        }

        assertEquals(List.of("203.0.113.5 out " + frame.ipLength()), sink.rows);
    }

    @Test
    void shouldCountThePacketAsTransitWhenTheSourceKnowsNoPrefix() throws Exception
    {
        final FrameBuilder frame = new FrameBuilder().ethernet().ipv4("203.0.113.5", "198.51.100.1")
            .udp(5000, 53).payload(20);
        final HostRows sink = new HostRows();
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(new OneFrameSource(frame.build(), List.of()))
            .localNetworks("10.0.0.0/8")
            .threadingMode(ThreadingMode.SHARED)
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(30)));
        }

        assertEquals(List.of(), sink.rows);
        assertEquals(1, sink.transitPackets);
    }

    static final class OneFrameSource implements CaptureSource
    {
        private final UnsafeBuffer frame;
        private final List<String> prefixes;
        private boolean delivered;

        OneFrameSource(final byte[] frame, final List<String> prefixes)
        {
            this.frame = new UnsafeBuffer(frame);
            this.prefixes = prefixes;
        }

        public String name()
        {
            return "one-frame";
        }

        public boolean isLive()
        {
            return false;
        }

        public int poll(final FrameHandler handler, final int limit)
        {
            if (delivered)
            {
                return 0;
            }
            delivered = true;
            handler.onFrame(frame, 0, frame.capacity(), frame.capacity(), LinkType.ETHERNET, T0);
            return 1;
        }

        public boolean isEndOfStream()
        {
            return delivered;
        }

        public List<String> localPrefixes()
        {
            return prefixes;
        }

        public void close()
        {
        }
    }

    static final class HostRows implements StatsSink
    {
        final List<String> rows = new ArrayList<>();
        long transitPackets;

        public void onBatchStart(final StatsBatch batch)
        {
            transitPackets += batch.quality().transitPackets();
        }

        public void onRow(final StatsRow row)
        {
            if (StatsRow.HOSTS.equals(row.view()))
            {
                rows.add(IpAddresses.format(row.hostHi(), row.hostLo()) +
                    (row.outPackets() > 0 ? " out " + row.outBytes() : " in " + row.inBytes()));
            }
        }

        public void onBatchEnd(final StatsBatch batch)
        {
        }
    }
}
