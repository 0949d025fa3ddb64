package io.trafficanalyzer.core;

import io.trafficanalyzer.core.sink.QualityFigures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketClockTest
{
    private static final long SECOND = 1_000_000_000L;

    // bucket start, part, frames: one string per seal, in order
    private final List<String> seals = new ArrayList<>();
    private final BucketClock clock = new BucketClock(10, 2 * SECOND,
        (start, part, figures) -> seals.add(start + "/" + part + "/" + figures[QualityFigures.FRAMES]));

    @Test
    void shouldSealABucketOnceThePacketClockPassesItsEndAndTheLatenessWhenFramesAdvance()
    {
        frame(100 * SECOND);
        frame(111 * SECOND);
        assertEquals(List.of(), seals);

        frame(112 * SECOND);

        assertEquals(List.of("100/0/1"), seals);
    }

    @Test
    void shouldCountAFrameOfASealedBucketInALatePartWhenItComesAfterTheSeal()
    {
        frame(100 * SECOND);
        frame(115 * SECOND);
        assertTrue(clock.isLate(clock.bucketOf(105 * SECOND)));
        frame(105 * SECOND);
        frame(106 * SECOND);

        clock.sealAll();

        // the late bucket opened after one seal of the stream: part 2
        assertEquals(List.of("100/0/1", "100/2/2", "110/0/1"), seals);
    }

    @Test
    void shouldSealEveryOpenBucketByTheWallClockWhenNoFrameComes()
    {
        clock.start(100 * SECOND);
        clock.open(clock.currentBucket(100 * SECOND))[QualityFigures.FRAMES]++;

        clock.sealBefore(111 * SECOND);
        assertEquals(List.of(), seals);
        clock.sealBefore(112 * SECOND);

        assertEquals(List.of("100/0/1"), seals);
        assertFalse(clock.isLate(clock.bucketOf(112 * SECOND)));
    }

    private void frame(final long timestampNs)
    {
        if (timestampNs > clock.timeNs())
        {
            if (!clock.isStarted())
            {
                clock.start(timestampNs);
            }
            clock.advanceTo(timestampNs);
        }
        clock.figures(clock.bucketOf(timestampNs))[QualityFigures.FRAMES]++;
    }
}
