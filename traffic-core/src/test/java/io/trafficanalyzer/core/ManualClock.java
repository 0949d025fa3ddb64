package io.trafficanalyzer.core;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A wall clock that tests set by hand.
 */
public final class ManualClock implements EpochNanoClock
{
    private volatile long nowNs;

    public ManualClock(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    public ManualClock set(final long nowNs)
    {
        this.nowNs = nowNs;
        return this;
    }

    public long nanoTime()
    {
        return nowNs;
    }
}
