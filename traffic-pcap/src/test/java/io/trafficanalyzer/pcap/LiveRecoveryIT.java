package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.LinkType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static io.trafficanalyzer.pcap.LiveCaptureIT.capture;
import static io.trafficanalyzer.pcap.LiveCaptureIT.send;
import static io.trafficanalyzer.pcap.VethLab.CAPTURE_IPV4_NETWORK;
import static io.trafficanalyzer.pcap.VethLab.CAPTURE_IPV6_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Live capture when interfaces come and go, change addresses, or are several: needs root and {@code ip netns}.
 */
class LiveRecoveryIT
{
    private static final Flow BEFORE = Flow.tcp("10.203.0.2", 40001, "198.51.100.7", 443, 120);
    private static final Flow AFTER = Flow.udp("192.0.2.9", 53, "10.203.0.2", 40002, 140);

    @BeforeEach
    void requireLab()
    {
        VethLab.assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"RING", "DISPATCH"})
    void shouldKeepWhatWasCapturedAndResumeWhenInterfaceDisappearsAndReturns(final PcapReadMode mode) throws Exception
    {
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).readMode(mode).retryBackoffMillis(20, 100).build());
            final LocalNetworks local = LocalNetworks.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK);
            try
            {
                assertEquals(mode, source.readMode());
                send(sender, lab.senderInterface, Map.of(BEFORE, 10), 0);
                final LiveCaptureIT.Captured first = capture.call(() -> capture(source, 10, local));

                lab.inCapture("ip", "link", "del", lab.captureInterface);
                final LiveCaptureIT.Captured whileGone = new LiveCaptureIT.Captured(local);
                capture.call(() -> pollUntil(source, whileGone, () -> source.interfaceFailures() == 1, 5000));
                assertEquals(0, whileGone.timestampsNs.size());
                assertEquals(0, source.capturingInterfaces());
                capture.call(() -> pollUntil(source, whileGone, () -> false, 300));
                assertEquals(0, whileGone.timestampsNs.size());

                lab.addVethPair(lab.senderInterface, lab.captureInterface, VethLab.CAPTURE_IPV4, VethLab.CAPTURE_IPV6);
                capture.call(() -> pollUntil(source, whileGone, () -> source.capturingInterfaces() == 1, 5000));
                assertEquals(mode, source.readMode());
                send(sender, lab.senderInterface, Map.of(AFTER, 7), 0);
                final LiveCaptureIT.Captured second = capture.call(() -> capture(source, 7, local));

                assertEquals(LiveCaptureIT.expectedTally(Map.of(BEFORE, 10), 0).toString(), first.tally.toString());
                assertEquals(LiveCaptureIT.expectedTally(Map.of(AFTER, 7), 0).toString(), second.tally.toString());
                assertEquals(0, whileGone.timestampsNs.size());
                assertEquals(1, source.interfaceFailures());
            }
            finally
            {
                capture.call(() ->
                {
                    source.close();
                    return null;
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"RING", "DISPATCH"})
    void shouldStartCapturingWhenInterfaceComesUpAfterBuild(final PcapReadMode mode) throws Exception
    {
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            lab.inCapture("ip", "link", "set", lab.captureInterface, "down");
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).readMode(mode).retryBackoffMillis(20, 100).build());
            final LocalNetworks local = LocalNetworks.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK);
            try
            {
                assertEquals(0, source.capturingInterfaces());
                lab.inCapture("ip", "link", "set", lab.captureInterface, "up");
                final LiveCaptureIT.Captured none = new LiveCaptureIT.Captured(local);
                capture.call(() -> pollUntil(source, none, () -> source.capturingInterfaces() == 1, 5000));
                assertEquals(mode, source.readMode());
                send(sender, lab.senderInterface, Map.of(AFTER, 3), 0);
                final LiveCaptureIT.Captured captured = capture.call(() -> capture(source, 3, local));

                assertEquals(0, none.timestampsNs.size());
                assertEquals(LiveCaptureIT.expectedTally(Map.of(AFTER, 3), 0).toString(), captured.tally.toString());
                assertEquals(0, source.interfaceFailures());
            }
            finally
            {
                capture.call(() ->
                {
                    source.close();
                    return null;
                });
            }
        }
    }

    @Test
    void shouldFollowAddressChangesWhenAskedForLocalPrefixes() throws Exception
    {
        try (VethLab lab = new VethLab(); NamespaceThread capture = new NamespaceThread(lab.captureNamespace))
        {
            final PcapLiveSource source = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface).build());
            try
            {
                final List<String> initial = capture.call(source::localPrefixes);
                assertEquals(Set.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK), Set.copyOf(initial));

                lab.inCapture("ip", "addr", "add", "192.0.2.5/26", "dev", lab.captureInterface);
                lab.inCapture("ip", "addr", "add", "2001:db8:5::1/48", "dev", lab.captureInterface, "nodad");
                lab.inCapture("ip", "addr", "del", VethLab.CAPTURE_IPV4, "dev", lab.captureInterface);
                final List<String> changed = capture.call(source::localPrefixes);

                assertEquals(Set.of("192.0.2.0/26", CAPTURE_IPV6_NETWORK, "2001:db8:5::/48"), Set.copyOf(changed));
                assertEquals(3, changed.size());
            }
            finally
            {
                source.close();
            }
        }
    }

    @Test
    void shouldCaptureEveryInterfaceWhenSeveralGivenOrAny() throws Exception
    {
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final String secondSender = lab.senderInterface + "2";
            final String secondCapture = lab.captureInterface + "2";
            lab.addVethPair(secondSender, secondCapture, "10.203.1.2/24", "fd42:203:1::2/64");
            final Flow onSecond = Flow.udp("fd42:203:1::2", 40003, "2001:db8::53", 53, 130);
            final Map<Flow, Integer> both = new LinkedHashMap<>();
            both.put(BEFORE, 4);
            both.put(onSecond, 6);

            final PcapLiveSource several = capture.call(() -> PcapLiveSource.builder()
                .interfaces(lab.captureInterface, secondCapture).build());
            final PcapLiveSource any = capture.call(() -> PcapLiveSource.builder()
                .interfaces(PcapLiveSource.ANY).build());
            try
            {
                final List<String> prefixes = capture.call(several::localPrefixes);
                assertEquals(
                    Set.of(CAPTURE_IPV4_NETWORK, CAPTURE_IPV6_NETWORK, "10.203.1.0/24", "fd42:203:1::/64"),
                    Set.copyOf(prefixes));
                assertEquals(Set.copyOf(prefixes), Set.copyOf(capture.call(any::localPrefixes)));

                send(sender, lab.senderInterface, Map.of(BEFORE, 4), 0);
                send(sender, secondSender, Map.of(onSecond, 6), 0);
                final LocalNetworks local = LocalNetworks.of(prefixes);
                final LiveCaptureIT.Captured fromSeveral = capture(several, 10, local);
                final LiveCaptureIT.Captured fromAny = capture(any, 10, local);

                final String expected = new TrafficTally(local).addFlow(BEFORE, 4).addFlow(onSecond, 6).toString();
                assertEquals(expected, fromSeveral.tally.toString());
                assertEquals(expected, fromAny.tally.toString());
                assertEquals(Set.of(LinkType.ETHERNET), Set.copyOf(fromSeveral.linkTypes));
                assertEquals(PcapReadMode.RING, any.readMode());
                assertEquals(Set.of(LinkType.LINUX_SLL2), Set.copyOf(fromAny.linkTypes));
            }
            finally
            {
                several.close();
                any.close();
            }
            assertEquals(10, several.received());
        }
    }

    private static Void pollUntil(
        final PcapLiveSource source,
        final LiveCaptureIT.Captured handler,
        final BooleanSupplier condition,
        final long timeoutMillis)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadlineNs)
        {
            if (source.poll(handler, 64) == 0)
            {
                Thread.sleep(1);
            }
        }

        return null;
    }
}
