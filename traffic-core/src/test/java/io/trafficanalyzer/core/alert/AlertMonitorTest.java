package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlertMonitorTest
{
    static final long T0 = 1_700_000_000L;
    static final int WIDTH = 10;
    static final List<String> VIEWS = List.of("hosts", "ports", "peers");
    private static final CaptureStream STREAM = new CaptureStream("run:test", "test");

    private final TrafficCounters counters = new TrafficCounters();
    private final List<Alert> recorded = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());

    @Test
    void shouldRaiseOnceClearBelowTheClearLevelAndHoldBackARepeatWhenTheRateCrossesTheBound()
    {
        final AlertMonitor monitor = monitor(
            "rule big-out host 10.0.0.5 out > 8kbit/s for 30s clear 4kbit/s repeat 60s");
        // 10.0.0.5's bytes sent per bucket; its received bytes and 10.0.0.6's traffic must not count
        final long[] out = { 10_000, 10_000, 10_000, 10_001, 5_000, 0, 0, 40_000, 0, 0 };
        for (int b = 0; b < out.length; b++)
        {
            final BucketBuilder builder = new BucketBuilder(VIEWS);
            host(builder, "10.0.0.5", 999_999, out[b]);
            host(builder, "10.0.0.6", 1_000_000, 1_000_000);
            monitor.onBucketSealed(bucket(builder, b, QualityFigures.EMPTY));
        }
        monitor.close(Duration.ofSeconds(5));

        // window of 3 buckets (30 s): 30 000 bytes is exactly 8 kbit/s, not above; b3 makes 30 001
        assertEquals(List.of(
            "raised big-out 10.0.0.5 at " + (T0 + 40) + " value " + 30_001 * 8 / 30.0,
            "cleared big-out 10.0.0.5 at " + (T0 + 70) + " value " + 5_000 * 8 / 30.0 + " since " + (T0 + 40),
            // b7 and b8 are above the bound within 60 s of the last raise: held back until b9
            "raised big-out 10.0.0.5 at " + (T0 + 100) + " value " + 40_000 * 8 / 30.0),
            describe(recorded));
        assertEquals(2, counters.get(TrafficCounter.ALERTS_RAISED));
        assertEquals(1, counters.get(TrafficCounter.ALERTS_CLEARED));
        assertEquals(2, counters.get(TrafficCounter.ALERTS_SUPPRESSED));
        assertEquals(0, counters.get(TrafficCounter.ALERT_ACTION_DROPS));
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldAlertPerHostWhenTheRuleWatchesEveryHostOfANetwork()
    {
        final AlertMonitor monitor = monitor("rule each hosts 10.0.0.0/24 in > 800bit/s repeat 0s");
        final BucketBuilder b0 = new BucketBuilder(VIEWS);
        host(b0, "10.0.0.1", 1_001, 0);
        host(b0, "10.0.0.2", 1_000, 0);
        host(b0, "10.0.1.3", 5_000, 0);
        monitor.onBucketSealed(bucket(b0, 0, QualityFigures.EMPTY));
        final BucketBuilder b1 = new BucketBuilder(VIEWS);
        host(b1, "10.0.0.2", 1_001, 0);
        monitor.onBucketSealed(bucket(b1, 1, QualityFigures.EMPTY));
        monitor.close(Duration.ofSeconds(5));

        // one bucket window by default: 1 001 bytes in 10 s is 800.8 bit/s; 10.0.1.3 is outside the network
        assertEquals(List.of(
            "raised each 10.0.0.1 at " + (T0 + 10) + " value 800.8",
            "cleared each 10.0.0.1 at " + (T0 + 20) + " value 0.0 since " + (T0 + 10),
            "raised each 10.0.0.2 at " + (T0 + 20) + " value 800.8"),
            describe(recorded));
    }

    @Test
    void shouldSumTheNetworkWhenTheRuleWatchesANetAsOne()
    {
        final AlertMonitor monitor = monitor("rule lan net 10.0.0.0/24 both > 1600bit/s");
        final BucketBuilder b0 = new BucketBuilder(VIEWS);
        host(b0, "10.0.0.1", 1_000, 0);
        host(b0, "10.0.0.2", 0, 1_001);
        monitor.onBucketSealed(bucket(b0, 0, QualityFigures.EMPTY));
        monitor.close(Duration.ofSeconds(5));

        assertEquals(List.of("raised lan 10.0.0.0/24 at " + (T0 + 10) + " value 1600.8"), describe(recorded));
    }

    @Test
    void shouldCountPeersNewToAHostPerMinuteWhenTheRuleWatchesNewPeers()
    {
        final AlertMonitor monitor = monitor("rule fanout hosts out new-peers > 2 for 1m clear 1 repeat 0s");
        // peers 10.0.0.5 sends to, per bucket; a peer it already talked to is not new
        final String[][] peers = {
            { "203.0.113.1", "203.0.113.2" }, { "203.0.113.3", "203.0.113.1" }, { "203.0.113.1" }, {}, {}, {},
            { "203.0.113.2" }, { "203.0.113.9" } };
        for (int b = 0; b < peers.length; b++)
        {
            final BucketBuilder builder = new BucketBuilder(VIEWS);
            for (final String peer : peers[b])
            {
                peer(builder, "10.0.0.5", peer, 0, 100);
                // received only: not a peer in the rule's direction
                peer(builder, "10.0.0.7", peer, 100, 0);
            }
            peer(builder, "10.0.0.8", "198.51.100.1", 10, 10);
            monitor.onBucketSealed(bucket(builder, b, QualityFigures.EMPTY));
        }
        monitor.close(Duration.ofSeconds(5));

        // 3 new peers within the minute at b1 (2 + 1); b6 is the first window without b0: 1 new peer
        assertEquals(List.of(
            "raised fanout 10.0.0.5 at " + (T0 + 20) + " value 3.0",
            "cleared fanout 10.0.0.5 at " + (T0 + 70) + " value 1.0 since " + (T0 + 20)),
            describe(recorded));
    }

    @Test
    void shouldRaiseOnDropsAndMalformedFramesAndClearWhenABucketHasNone()
    {
        final AlertMonitor monitor = monitor("rule drops drops > 0\nrule bad malformed > 1");
        final long[][] figures = { { 0, 0, 0 }, { 2, 1, 2 }, { 0, 0, 1 }, { 0, 0, 0 } };
        for (int b = 0; b < figures.length; b++)
        {
            final long[] values = new long[QualityFigures.LENGTH];
            values[QualityFigures.RING_DROPS] = figures[b][0];
            values[QualityFigures.KERNEL_DROPS] = figures[b][1];
            values[QualityFigures.outcomeIndex(FrameOutcome.TRUNCATED_IP_HEADER)] = figures[b][2];
            values[QualityFigures.outcomeIndex(FrameOutcome.NON_IP)] = 50;
            monitor.onBucketSealed(bucket(new BucketBuilder(VIEWS), b, new QualityFigures(values)));
        }
        monitor.close(Duration.ofSeconds(5));

        // malformed > 1 clears at or below 0.9 (the default, 90 % of the bound): b2's one frame keeps it raised
        assertEquals(List.of(
            "raised drops capture at " + (T0 + 20) + " value 3.0",
            "cleared drops capture at " + (T0 + 30) + " value 0.0 since " + (T0 + 20),
            "raised bad capture at " + (T0 + 20) + " value 2.0",
            "cleared bad capture at " + (T0 + 40) + " value 0.0 since " + (T0 + 20)),
            sortedByRule(describe(recorded)));
    }

    @Test
    void shouldRaiseWhenAHostIsSilentForLongerThanTheWindowAndClearOnItsNextTraffic()
    {
        final AlertMonitor monitor = monitor("rule quiet host 10.0.0.9 silent for 30s\n" +
            "rule never host 10.0.0.10 silent for 40s");
        final boolean[] seen = { true, true, false, false, false, false, true };
        for (int b = 0; b < seen.length; b++)
        {
            final BucketBuilder builder = new BucketBuilder(VIEWS);
            if (seen[b])
            {
                host(builder, "10.0.0.9", 0, 1);
            }
            host(builder, "10.0.0.1", 1, 1);
            monitor.onBucketSealed(bucket(builder, b, QualityFigures.EMPTY));
        }
        monitor.close(Duration.ofSeconds(5));

        // last seen at the end of b1 (T0 + 20): 40 s silent at the end of b5; 10.0.0.10 never seen since T0
        assertEquals(List.of(
            "raised quiet 10.0.0.9 at " + (T0 + 60) + " value 40.0",
            "cleared quiet 10.0.0.9 at " + (T0 + 70) + " value 0.0 since " + (T0 + 60),
            "raised never 10.0.0.10 at " + (T0 + 50) + " value 50.0"),
            sortedByRule(describe(recorded)));
    }

    @Test
    void shouldNameTheRuleLineWhenItsViewIsNotTheAnalyzers()
    {
        final AlertRules rules = AlertRules.parse("alerts.rules", "\nrule a host 10.0.0.1 view flows > 1");
        final AlertRulesException ex = org.junit.jupiter.api.Assertions.assertThrows(AlertRulesException.class,
            () -> new AlertMonitor(rules, VIEWS, List.of(), counters, errors::add));
        assertEquals("alerts.rules:2: view flows: not a view of this analyzer (hosts, ports, peers)", ex.getMessage());
    }

    private AlertMonitor monitor(final String rules)
    {
        return new AlertMonitor(AlertRules.parse("test.rules", rules + "\naction none command /bin/true"), VIEWS,
            List.of(recorded::add), counters, errors::add);
    }

    static SealedBucket bucket(final BucketBuilder builder, final int index, final QualityFigures figures)
    {
        return builder.build("agent-a", STREAM, 0, T0 + (long)index * WIDTH, WIDTH, figures);
    }

    static void host(final BucketBuilder builder, final String host, final long in, final long out)
    {
        final long[] a = IpAddresses.parse(host);
        builder.addRow(0, a[0], a[1], 0, 0, 6, 0, false, 0, false, in, 1, out, 1);
    }

    static void peer(final BucketBuilder builder, final String host, final String peer, final long in, final long out)
    {
        final long[] a = IpAddresses.parse(host);
        final long[] p = IpAddresses.parse(peer);
        builder.addRow(2, a[0], a[1], p[0], p[1], 6, 0, false, 0, false, in, 1, out, 1);
    }

    static List<String> describe(final List<Alert> alerts)
    {
        final List<String> lines = new ArrayList<>();
        for (final Alert alert : alerts)
        {
            lines.add(alert.state() + ' ' + alert.rule() + ' ' + alert.subject() + " at " + alert.atEpochSecond() +
                " value " + alert.value() +
                (alert.isRaised() ? "" : " since " + alert.raisedEpochSecond()));
        }
        return lines;
    }

    // alerts of different rules may interleave: order by rule (stable), keeping each rule's own order
    private static List<String> sortedByRule(final List<String> lines)
    {
        final List<String> sorted = new ArrayList<>(lines);
        sorted.sort((a, b) -> a.split(" ")[1].compareTo(b.split(" ")[1]) * -1);
        return sorted;
    }
}
