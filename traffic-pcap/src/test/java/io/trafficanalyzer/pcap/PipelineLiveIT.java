package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.trafficanalyzer.pcap.LiveCaptureIT.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole path, live: a {@code pcap:} URI found through the provider, opened in the capture namespace, the
 * pipeline's agents capturing, decoding and aggregating the known traffic of {@link LiveCaptureIT}, and the sealed
 * buckets' rows summed per host, protocol, service port and direction. Needs root and {@code ip netns}.
 */
class PipelineLiveIT
{
    @BeforeEach
    void requireLab()
    {
        VethLab.assumeAvailable();
    }

    @Test
    void shouldAggregateExactlyWhatWasSentWhenCapturingThroughTheAnalyzer() throws Exception
    {
        final int frames = LiveCaptureIT.total(LiveCaptureIT.PLAN) + LiveCaptureIT.NON_IP_FRAMES;
        final List<SealedBucket> buckets = Collections.synchronizedList(new ArrayList<>());
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final List<String> networks = capture.call(() -> networksOf(lab.captureInterface));
            final TrafficAnalyzer analyzer = capture.call(() -> TrafficAnalyzer.builder()
                .source("pcap:" + lab.captureInterface + "?snaplen=96")
                .localNetworks(networks.toArray(new String[0]))
                .bucket(Duration.ofSeconds(1))
                .listener(buckets::add)
                .build());
            try
            {
                analyzer.start();
                send(sender, lab.senderInterface, LiveCaptureIT.PLAN, LiveCaptureIT.NON_IP_FRAMES);
                final long deadlineNs = System.nanoTime() + 10_000_000_000L;
                while (analyzer.counter(TrafficCounter.FRAMES) < frames && System.nanoTime() < deadlineNs)
                {
                    Thread.sleep(10);
                }
            }
            finally
            {
                analyzer.close();
            }

            assertEquals(frames, analyzer.counter(TrafficCounter.FRAMES));
            assertEquals(0, analyzer.counter(TrafficCounter.KERNEL_DROPS));
        }

        assertEquals(LiveCaptureIT.EXPECTED_COUNTS, tally(buckets));
    }

    private static List<String> networksOf(final String interfaceName) throws PcapException
    {
        for (final PcapInterface pcapInterface : PcapInterface.list())
        {
            if (pcapInterface.name().equals(interfaceName))
            {
                return pcapInterface.networks();
            }
        }
        throw new AssertionError(interfaceName + " not listed");
    }

    // the rows in the form of TrafficTally: ports for TCP and UDP, hosts for the protocols without ports
    private static String tally(final List<SealedBucket> buckets)
    {
        final Map<String, long[]> counts = new TreeMap<>();
        long nonIp = 0;
        long transitPackets = 0;
        long transitBytes = 0;
        for (final SealedBucket bucket : buckets)
        {
            for (int row = 0; row < bucket.rowCount(); row++)
            {
                final boolean hasPorts = bucket.protocol(row) == Flow.TCP || bucket.protocol(row) == Flow.UDP;
                if (bucket.view(row).equals(hasPorts ? "ports" : "hosts"))
                {
                    final String key = IpAddresses.format(bucket.hostHi(row), bucket.hostLo(row)) + " " +
                        name(bucket.protocol(row)) + " " + (hasPorts ? bucket.port(row) : 0);
                    add(counts, key + " IN", bucket.inPackets(row), bucket.inBytes(row));
                    add(counts, key + " OUT", bucket.outPackets(row), bucket.outBytes(row));
                }
            }
            nonIp += bucket.quality().frames(FrameOutcome.NON_IP);
            transitPackets += bucket.quality().transitPackets();
            transitBytes += bucket.quality().transitBytes();
        }
        add(counts, TrafficTally.NON_IP, nonIp, 0);
        add(counts, TrafficTally.TRANSIT, transitPackets, transitBytes);

        final StringBuilder sb = new StringBuilder();
        counts.forEach((key, value) -> sb.append(key).append('=').append(value[0]).append('/').append(value[1])
            .append('\n'));
        return sb.toString();
    }

    private static void add(final Map<String, long[]> counts, final String key, final long packets, final long bytes)
    {
        if (packets > 0)
        {
            final long[] value = counts.computeIfAbsent(key, (k) -> new long[2]);
            value[0] += packets;
            value[1] += bytes;
        }
    }

    private static String name(final int protocol)
    {
        switch (protocol)
        {
            case Flow.TCP:
                return "tcp";
            case Flow.UDP:
                return "udp";
            case Flow.ICMP:
                return "icmp";
            default:
                return "other";
        }
    }
}
