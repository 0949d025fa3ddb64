package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapSourceProviderTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldServeBothSchemesWhenOnTheClassPath()
    {
        final Set<String> schemes = new TreeSet<>();
        for (final CaptureSourceProvider provider : ServiceLoader.load(CaptureSourceProvider.class))
        {
            schemes.add(provider.scheme());
        }

        assertTrue(schemes.containsAll(Set.of("pcap", "pcapfile", "file")), schemes.toString());
    }

    @Test
    void shouldAggregateTheSameBucketsAsThePureJavaReaderWhenReadingThroughLibpcap() throws Exception
    {
        final Path file = dir.resolve("capture.pcap");
        int frames = 0;
        // per bucket start (epoch seconds): the packets and IP bytes written, every packet with one local end
        final Map<Long, List<Long>> written = new TreeMap<>();
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            for (int i = 0; i < 3_000; i++)
            {
                final Flow flow = i % 3 == 0 ?
                    Flow.udp("10.1.0." + (i % 7), 40_000 + i % 50, "198.51.100." + (i % 11), 53, 80 + i % 400) :
                    Flow.tcp("2001:db8::" + (i % 13), 443, "fd00::" + (i % 5), 50_000 + i % 90, 100 + i % 1300);
                final long timestampNs = T0 + i * 7_000_000L;
                writer.record(timestampNs, TestFrames.frame(flow));
                frames++;
                written.merge(timestampNs / 10_000_000_000L * 10, List.of(1L, (long)flow.ipBytes()),
                    (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
            }
        }

        final List<SealedBucket> throughLibpcap = analyze("pcapfile:" + file, frames);
        final List<SealedBucket> throughJava = analyze("file:" + file, frames);

        assertEquals(written, totals(throughLibpcap), "what the test wrote, read through libpcap");
        assertEquals(throughJava, throughLibpcap);
        assertEquals(3, throughLibpcap.size());
    }

    private static Map<Long, List<Long>> totals(final List<SealedBucket> buckets)
    {
        final Map<Long, List<Long>> totals = new TreeMap<>();
        for (final SealedBucket bucket : buckets)
        {
            totals.put(bucket.startEpochSecond(), List.of(bucket.quality().packets(), bucket.quality().bytes()));
        }
        return totals;
    }

    @Test
    void shouldReportTheExistingInterfacesWhenUriNamesAnUnknownOne()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source("pcap:nosuch0?snaplen=64").build());

        assertTrue(ex.getMessage().startsWith(
            "source=pcap:nosuch0?snaplen=64: cannot open: no interface 'nosuch0'; the interfaces are: "),
            ex.getMessage());
    }

    private static List<SealedBucket> analyze(final String uri, final int frames) throws Exception
    {
        final List<SealedBucket> buckets = Collections.synchronizedList(new ArrayList<>());
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(uri)
            .localNetworks("10.1.0.0/16", "fd00::/8")
            .bucket(Duration.ofSeconds(10))
            .listener(buckets::add)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
            assertEquals(frames, analyzer.counter(TrafficCounter.FRAMES));
        }

        return new ArrayList<>(buckets);
    }
}
