package io.trafficanalyzer.core.status;

import io.trafficanalyzer.core.codec.FrameOutcome;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficCountersTest
{
    @Test
    void shouldHaveUniqueIdsAndLabels()
    {
        final Set<Integer> ids = new HashSet<>();
        final Set<String> labels = new HashSet<>();
        for (final TrafficCounter counter : TrafficCounter.values())
        {
            assertTrue(ids.add(counter.id()));
            assertTrue(labels.add(counter.label()));
            assertEquals(counter, TrafficCounter.get(counter.id()));
        }
    }

    @Test
    void shouldMapEveryMalformedReasonToItsCounter()
    {
        for (final FrameOutcome outcome : FrameOutcome.values())
        {
            if (outcome.isMalformed())
            {
                assertEquals("malformed_" + outcome.label(), TrafficCounter.malformed(outcome).label());
            }
            else
            {
                assertNull(TrafficCounter.malformed(outcome));
            }
        }
    }

    @Test
    void shouldAddAndSetValues()
    {
        final TrafficCounters counters = new TrafficCounters();
        counters.addOrdered(TrafficCounter.FRAMES, 5);
        counters.addOrdered(TrafficCounter.FRAMES, 2);
        counters.addAtomic(TrafficCounter.SINK_FAILURES, 3);
        counters.setOrdered(TrafficCounter.FLUSH_LAG_NS, 42);

        assertEquals(7, counters.get(TrafficCounter.FRAMES));
        assertEquals(3, counters.get(TrafficCounter.SINK_FAILURES));
        assertEquals(42, counters.get(TrafficCounter.FLUSH_LAG_NS));
        assertEquals(0, counters.get(TrafficCounter.PACKETS));
        assertTrue(counters.toString().contains("frames=7\n"));
    }
}
