package io.trafficanalyzer.core.codec;

import java.util.Arrays;

/**
 * Frames counted by {@link FrameOutcome}, so that a caller can show every frame read ended in exactly one outcome:
 * {@link #total()} equals the frames handed to the decoder.
 * <p>
 * Single writer, no allocation after construction; not thread safe.
 */
public final class FrameCounts
{
    private final long[] counts = new long[FrameOutcome.count()];

    /**
     * Count one frame.
     *
     * @param outcome of the frame.
     * @return this for a fluent API.
     */
    public FrameCounts add(final FrameOutcome outcome)
    {
        counts[outcome.ordinal()]++;
        return this;
    }

    /**
     * Add every count of another instance to this one, e.g. to merge the counts of several decoders.
     *
     * @param other counts to add; not changed.
     * @return this for a fluent API.
     */
    public FrameCounts add(final FrameCounts other)
    {
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /**
     * Frames counted with one outcome.
     *
     * @param outcome to look up.
     * @return the count since construction or the last {@link #reset()}.
     */
    public long count(final FrameOutcome outcome)
    {
        return counts[outcome.ordinal()];
    }

    /**
     * Frames counted with any outcome.
     *
     * @return the sum of every count.
     */
    public long total()
    {
        long total = 0;
        for (final long count : counts)
        {
            total += count;
        }
        return total;
    }

    /**
     * Frames counted with a malformed outcome (see {@link FrameOutcome#isMalformed()}).
     *
     * @return the sum of the counts of every skip reason.
     */
    public long malformed()
    {
        return total() - counts[FrameOutcome.DECODED.ordinal()] - counts[FrameOutcome.NON_IP.ordinal()];
    }

    /**
     * Set every count to zero.
     *
     * @return this for a fluent API.
     */
    public FrameCounts reset()
    {
        Arrays.fill(counts, 0L);
        return this;
    }

    /**
     * The non-zero counts by label, for logs and reports.
     *
     * @return e.g. {@code FrameCounts{total=3, decoded=2, non_ip=1}}.
     */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("FrameCounts{total=").append(total());
        for (int i = 0; i < counts.length; i++)
        {
            if (counts[i] != 0)
            {
                builder.append(", ").append(FrameOutcome.get(i).label()).append('=').append(counts[i]);
            }
        }
        return builder.append('}').toString();
    }
}
