package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.LinkType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static io.trafficanalyzer.pcap.VethLab.CAPTURE_IPV4_NETWORK;
import static io.trafficanalyzer.pcap.VethLab.CAPTURE_IPV6_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures known traffic on a veth pair between two network namespaces and checks the exact numbers. Needs root
 * and {@code ip netns}; skipped with the reason otherwise, failed under CI.
 */
class LiveCaptureIT
{
    static final int NON_IP_FRAMES = 2;
    static final Map<Flow, Integer> PLAN = new LinkedHashMap<>();

    static
    {
        PLAN.put(Flow.tcp("10.203.0.2", 40001, "198.51.100.7", 443, 200), 5);
        PLAN.put(Flow.tcp("198.51.100.7", 443, "10.203.0.2", 40001, 1000), 7);
        PLAN.put(Flow.udp("10.203.0.9", 5353, "10.203.0.2", 53, 90), 3);
        PLAN.put(Flow.udp("fd42:203::2", 50000, "2001:db8::7", 123, 110), 4);
        PLAN.put(Flow.tcp("2001:db8::9", 51000, "fd42:203::5", 22, 300), 6);
        PLAN.put(Flow.icmp("203.0.113.5", "10.203.0.2", 98), 2);
        PLAN.put(Flow.udp("198.51.100.1", 4000, "203.0.113.1", 5000, 150), 3);
    }

    static final String EXPECTED_COUNTS =
        "10.203.0.2 icmp 0 IN=2/168\n" +
        "10.203.0.2 tcp 443 IN=7/6902\n" +
        "10.203.0.2 tcp 443 OUT=5/930\n" +
        "10.203.0.2 udp 53 IN=3/228\n" +
        "10.203.0.9 udp 53 OUT=3/228\n" +
        "fd42:203::2 udp 123 OUT=4/384\n" +
        "fd42:203::5 tcp 22 IN=6/1716\n" +
        "non_ip=2/0\n" +
        "transit=3/408\n";

    @BeforeEach
    void requireLab()
    {
        VethLab.assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(PcapReadMode.class)
    void shouldCountExactPacketsAndBytesPerHostPortAndDirectionWhenCapturingKnownTraffic(final PcapReadMode mode)
        throws Exception
    {
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).readMode(mode).build());
            try
            {
                assertEquals(mode, source.readMode());
                final List<String> prefixes = capture.call(source::localPrefixes);
                assertEquals(Set.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK), Set.copyOf(prefixes));
                assertEquals(2, prefixes.size());

                final long sentFromNs = nowNs();
                send(sender, lab.senderInterface, PLAN, NON_IP_FRAMES);
                final long sentToNs = nowNs();
                final Captured captured = capture(source, total(PLAN) + NON_IP_FRAMES, LocalNetworks.of(prefixes));

                assertEquals(EXPECTED_COUNTS, captured.tally.toString());
                assertEquals(expectedTally(PLAN, NON_IP_FRAMES).toString(), captured.tally.toString());
                assertEquals(Set.of(LinkType.ETHERNET), Set.copyOf(captured.linkTypes));
                for (final long timestampNs : captured.timestampsNs)
                {
                    assertTrue(timestampNs >= sentFromNs && timestampNs <= sentToNs, timestampNs + " outside send");
                }
                assertTrue(captured.timestampsNs.stream().anyMatch((ts) -> ts % 1000 != 0), "nanosecond timestamps");
                assertTrue(captured.maxCapturedLength <= PcapLiveSource.DEFAULT_SNAPLEN);
            }
            finally
            {
                source.close();
            }
            assertEquals(total(PLAN) + NON_IP_FRAMES, source.received());
            assertEquals(0, source.kernelDrops());
            assertEquals(0, source.interfaceFailures());
        }
    }

    @Test
    void shouldCaptureOnlyMatchingFramesWhenBpfFilterGiven() throws Exception
    {
        final Predicate<Flow> matches = (flow) -> flow.protocol() == Flow.TCP || flow.isIpv6();
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).filter("tcp or ip6").build());
            final Map<Flow, Integer> matching = new LinkedHashMap<>();
            PLAN.forEach((flow, count) ->
            {
                if (matches.test(flow))
                {
                    matching.put(flow, count);
                }
            });
            try
            {
                send(sender, lab.senderInterface, PLAN, NON_IP_FRAMES);
                final Captured captured = capture(
                    source, total(matching), LocalNetworks.of(capture.call(source::localPrefixes)));

                assertEquals(expectedTally(matching, 0).toString(), captured.tally.toString());
                assertEquals(22, total(matching));
            }
            finally
            {
                source.close();
            }
            assertEquals(22, source.received());
        }
    }

    @Test
    void shouldCountKernelDropsWhenBufferTooSmallForBurst() throws Exception
    {
        final int burst = 20_000;
        final Flow flow = Flow.udp("10.203.0.2", 40000, "198.51.100.7", 9999, 100);
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            // libpcap rounds the smallest buffer up to one ring block; nothing is read while the burst arrives
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).bufferSize(1).statisticsIntervalMillis(0).build());
            try
            {
                send(sender, lab.senderInterface, Map.of(flow, burst), 0);
                final long[] frames = new long[1];
                final FrameHandler counter = (buffer, offset, capturedLength, wireLength, linkType, ts) -> frames[0]++;
                long quietSinceNs = System.nanoTime();
                while (System.nanoTime() - quietSinceNs < 500_000_000L)
                {
                    if (source.poll(counter, 256) > 0)
                    {
                        quietSinceNs = System.nanoTime();
                    }
                }
                source.poll(counter, 256);

                assertTrue(source.kernelDrops() > 0, "drops " + source.kernelDrops());
                assertTrue(frames[0] > 0 && frames[0] < burst, "captured " + frames[0]);
                assertEquals(burst, frames[0] + source.kernelDrops());
                assertEquals(burst, source.received());
            }
            finally
            {
                source.close();
            }
        }
    }

    @Test
    void shouldWakeIdleStrategyWhenFramesArriveRatherThanWaitingItsLongestWait() throws Exception
    {
        final Flow flow = Flow.udp("10.203.0.2", 40000, "198.51.100.7", 53, 80);
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).build());
            try
            {
                final PcapIdleStrategy idle = source.idleStrategy(600_000);
                final RecordingHandler handler = new RecordingHandler();
                assertEquals(0, source.poll(handler, 10));
                send(sender, lab.senderInterface, Map.of(flow, 3), 0);

                // a wait that did not end on the socket would outlast the whole test run
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> idle.idle(0));
                final int delivered = source.poll(handler, 10);

                assertEquals(3, delivered);
                assertEquals(3, handler.frames.size());
                assertEquals("pcap-poll", idle.alias());
            }
            finally
            {
                source.close();
            }
        }
    }

    static Captured capture(final PcapLiveSource source, final int expectedFrames, final LocalNetworks local)
        throws InterruptedException
    {
        final Captured captured = new Captured(local);
        receive(source, captured, () -> captured.timestampsNs.size() >= expectedFrames);
        return captured;
    }

    // poll until the handler has what is expected (or 10 s passed), then 300 ms more: longer than the kernel's
    // block timeout, so a frame too many would show
    static void receive(final PcapLiveSource source, final FrameHandler handler, final BooleanSupplier isComplete)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!isComplete.getAsBoolean() && System.nanoTime() < deadlineNs)
        {
            if (source.poll(handler, 64) == 0)
            {
                Thread.sleep(1);
            }
        }

        final long quietUntilNs = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < quietUntilNs)
        {
            if (source.poll(handler, 64) == 0)
            {
                Thread.sleep(1);
            }
        }
    }

    static void send(
        final NamespaceThread sender, final String interfaceName, final Map<Flow, Integer> plan, final int nonIpFrames)
        throws Exception
    {
        sender.call(() ->
        {
            try (FrameInjector injector = new FrameInjector(interfaceName))
            {
                plan.forEach((flow, count) -> injector.send(TestFrames.frame(flow), count));
                injector.send(TestFrames.nonIpFrame(64), nonIpFrames);
            }
            return null;
        });
    }

    static TrafficTally expectedTally(final Map<Flow, Integer> plan, final int nonIpFrames)
    {
        final TrafficTally tally = new TrafficTally(LocalNetworks.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK));
        plan.forEach(tally::addFlow);
        return tally.addNonIp(nonIpFrames);
    }

    static int total(final Map<Flow, Integer> plan)
    {
        return plan.values().stream().mapToInt(Integer::intValue).sum();
    }

    static long nowNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static final class Captured implements FrameHandler
    {
        final TrafficTally tally;
        final List<Long> timestampsNs = new ArrayList<>();
        final List<Integer> linkTypes = new ArrayList<>();
        int maxCapturedLength;

        Captured(final LocalNetworks local)
        {
            tally = new TrafficTally(local);
        }

        public void onFrame(
            final org.agrona.DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            tally.addFrame(buffer, offset, capturedLength, wireLength, linkType, timestampNs);
            timestampsNs.add(timestampNs);
            linkTypes.add(linkType);
            maxCapturedLength = Math.max(maxCapturedLength, capturedLength);
        }
    }
}
