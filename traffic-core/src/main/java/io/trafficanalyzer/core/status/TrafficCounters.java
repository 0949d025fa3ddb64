package io.trafficanalyzer.core.status;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The values of the {@link TrafficCounter}s, one cache line each in an off-heap buffer, readable cheaply from any
 * thread at any time.
 * <p>
 * Each counter has one writer agent, which uses {@link #addOrdered(TrafficCounter, long)} or
 * {@link #setOrdered(TrafficCounter, long)}; the counters written by the per-sink delivery threads use
 * {@link #addAtomic(TrafficCounter, long)}. Readers use {@link #get(TrafficCounter)}.
 */
public final class TrafficCounters
{
    private static final int SLOT_LENGTH = BitUtil.CACHE_LINE_LENGTH;

    private final AtomicBuffer buffer;

    /**
     * Zeroed counters for every {@link TrafficCounter}.
     */
    public TrafficCounters()
    {
        buffer = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(TrafficCounter.count() * SLOT_LENGTH, SLOT_LENGTH));
    }

    /**
     * The current value of a counter.
     *
     * @param counter the counter.
     * @return its value.
     */
    public long get(final TrafficCounter counter)
    {
        return buffer.getLongVolatile(offset(counter));
    }

    /**
     * Add to a counter that has a single writer: the caller must be that writer.
     *
     * @param counter the counter.
     * @param delta   the amount to add.
     */
    public void addOrdered(final TrafficCounter counter, final long delta)
    {
        final int offset = offset(counter);
        buffer.putLongOrdered(offset, buffer.getLong(offset) + delta);
    }

    /**
     * Set a counter that has a single writer: the caller must be that writer.
     *
     * @param counter the counter.
     * @param value   the new value.
     */
    public void setOrdered(final TrafficCounter counter, final long value)
    {
        buffer.putLongOrdered(offset(counter), value);
    }

    /**
     * Add to a counter that several threads write, atomically.
     *
     * @param counter the counter.
     * @param delta   the amount to add.
     */
    public void addAtomic(final TrafficCounter counter, final long delta)
    {
        buffer.getAndAddLong(offset(counter), delta);
    }

    /**
     * Every counter as {@code label=value} lines, for logs.
     *
     * @return the text.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < TrafficCounter.count(); i++)
        {
            final TrafficCounter counter = TrafficCounter.get(i);
            sb.append(counter.label()).append('=').append(get(counter)).append('\n');
        }

        return sb.toString();
    }

    private static int offset(final TrafficCounter counter)
    {
        return counter.id() * SLOT_LENGTH;
    }
}
