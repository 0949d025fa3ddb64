package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.MemoryCaptureSource;
import io.trafficanalyzer.core.TestAnalyzers;
import io.trafficanalyzer.core.TestPacket;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.status.TrafficCounter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.trafficanalyzer.core.alert.AlertMonitorTest.T0;
import static io.trafficanalyzer.core.alert.AlertMonitorTest.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertsEndToEndTest
{
    static final long S = 1_000_000_000L;

    @Test
    void shouldRaiseAndClearAtTheExpectedBucketsWhenTrafficOfKnownRatesIsReplayed()
    {
        // bytes 10.0.0.5 sends per 10 s bucket, in packets of at most 1 000 bytes
        final long[] out = { 10_000, 10_000, 10_000, 10_001, 5_000, 0, 0, 40_000, 0, 0 };
        final List<TestPacket> packets = new ArrayList<>();
        for (int b = 0; b < out.length; b++)
        {
            final long t = (T0 + b * 10L) * S;
            for (long left = out[b], i = 0; left > 0; left -= 1_000, i++)
            {
                packets.add(TestPacket.ipv4(t + S + i * 1_000, "10.0.0.5", "203.0.113.9", TestPacket.UDP, 40_000,
                    53, (int)Math.min(1_000, left)));
            }
            // keeps every bucket alive; received bytes of another host
            packets.add(TestPacket.ipv4(t + 5 * S, "203.0.113.7", "10.0.0.6", TestPacket.UDP, 53, 40_001, 100));
            if (b == 4)
            {
                packets.add(TestPacket.frame(t + 6 * S, FrameOutcome.TRUNCATED_IP_HEADER));
                packets.add(TestPacket.frame(t + 7 * S, FrameOutcome.TRUNCATED_TRANSPORT_HEADER));
            }
        }

        final AlertRecordingSink sink = new AlertRecordingSink();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AlertRules rules = AlertRules.parse("alerts.rules", String.join("\n",
            "rule big-out host 10.0.0.5 out > 8kbit/s for 30s clear 4kbit/s repeat 60s",
            "rule bad malformed > 1",
            "action quiet command /bin/true"));
        final TrafficAnalyzer analyzer = TestAnalyzers.withTestFrames()
            .source(MemoryCaptureSource.file(packets))
            .localNetworks("10.0.0.0/8")
            .bucket(Duration.ofSeconds(10))
            .alerts(rules)
            .sink(sink)
            .errorHandler(errors::add)
            .build();
        try (analyzer)
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }

        assertEquals(out.length, sink.buckets.get());
        assertEquals(List.of(
            "raised big-out 10.0.0.5 at " + (T0 + 40) + " value " + 30_001 * 8 / 30.0,
            "raised bad capture at " + (T0 + 50) + " value 2.0",
            "cleared bad capture at " + (T0 + 60) + " value 0.0 since " + (T0 + 50),
            "cleared big-out 10.0.0.5 at " + (T0 + 70) + " value " + 5_000 * 8 / 30.0 + " since " + (T0 + 40),
            "raised big-out 10.0.0.5 at " + (T0 + 100) + " value " + 40_000 * 8 / 30.0),
            describe(sink.alerts));
        // stored on the recorder's own thread, never the flush agent's
        assertEquals(List.of("traffic-alert-recorder-0"), sink.threads.stream().distinct().toList());
        assertEquals(3, analyzer.counter(TrafficCounter.ALERTS_RAISED));
        assertEquals(2, analyzer.counter(TrafficCounter.ALERTS_CLEARED));
        assertEquals(2, analyzer.counter(TrafficCounter.ALERTS_SUPPRESSED));
        assertEquals(0, analyzer.counter(TrafficCounter.ALERT_ACTION_FAILURES));
        assertEquals(List.of(), errors);
    }
}
