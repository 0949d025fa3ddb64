package io.trafficanalyzer.core.testing;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.ThreadingMode;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.status.TrafficCounter;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole analyzer's own account of a capture: every frame its source delivers is counted once, as a packet,
 * a non-IP frame or a malformed one under its reason, exactly as a test tallied the same frames decoded one by one.
 * The tally is the test's; the counting checked is the analyzer's, not the test's handler.
 */
public final class AnalyzerOutcomes
{
    private AnalyzerOutcomes()
    {
    }

    /**
     * Runs a capture through an analyzer and compares its counters with the outcomes a test expects.
     *
     * @param sourceUri the capture, e.g. {@code file:/tmp/x.pcap}.
     * @param expected  the outcome of each frame the source delivers, tallied by the test.
     */
    public static void assertCountedAs(final String sourceUri, final FrameCounts expected)
    {
        final TrafficAnalyzer built;
        try
        {
            built = TrafficAnalyzer.builder()
                .source(sourceUri)
                .threadingMode(ThreadingMode.INVOKER)
                .ringBufferCapacity(64 * 1024)
                .listener((bucket) ->
                {
                })
                .errorHandler((ex) ->
                {
                    // a damaged file ends the source with an error; the counts up to it are what is checked
                })
                .build();
        }
        catch (final ConfigurationException ex)
        {
            // a capture that cannot even be opened has no frame to count: refused when the analyzer is built
            assertEquals(0, expected.total(), sourceUri + " refused: " + ex.getMessage());
            return;
        }

        try (TrafficAnalyzer analyzer = built)
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(10)), "the analyzer completes: " + sourceUri);

            final String what = sourceUri + ", expected " + expected;
            assertEquals(expected.total(), analyzer.counter(TrafficCounter.FRAMES), "frames: " + what);
            assertEquals(expected.count(FrameOutcome.DECODED), analyzer.counter(TrafficCounter.PACKETS),
                "packets: " + what);
            assertEquals(0, analyzer.counter(TrafficCounter.RING_DROPS), "ring drops: " + what);
            assertEquals(expected.count(FrameOutcome.NON_IP), analyzer.counter(TrafficCounter.NON_IP),
                "non-IP: " + what);
            assertEquals(expected.malformed(), analyzer.counter(TrafficCounter.MALFORMED), "malformed: " + what);
            for (int i = 0; i < FrameOutcome.count(); i++)
            {
                final FrameOutcome outcome = FrameOutcome.get(i);
                if (outcome.isMalformed())
                {
                    assertEquals(expected.count(outcome), analyzer.counter(TrafficCounter.malformed(outcome)),
                        outcome + ": " + what);
                }
            }
        }
    }
}
