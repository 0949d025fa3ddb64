package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;

import java.util.Map;

/*
 * Fixed data-quality figures of a test bucket.
 */
record TestQuality(
    long frames,
    long packets,
    long bytes,
    long transitPackets,
    long transitBytes,
    Map<FrameOutcome, Long> outcomes,
    long latePackets,
    long ringDrops,
    long kernelDrops,
    long foldedKeys) implements BucketQuality
{
    static final TestQuality EMPTY = new TestQuality(0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0);

    public long frames(final FrameOutcome outcome)
    {
        return outcomes.getOrDefault(outcome, 0L);
    }
}
