package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.codec.FrameOutcome;

import java.util.Arrays;

/**
 * Immutable data-quality figures of one bucket, held as an array of counts laid out by the index constants.
 */
public final class QualityFigures implements BucketQuality
{
    /** Index of the frame count. */
    public static final int FRAMES = 0;
    /** Index of the decoded IP packet count. */
    public static final int PACKETS = 1;
    /** Index of the decoded IP byte count. */
    public static final int BYTES = 2;
    /** Index of the transit packet count. */
    public static final int TRANSIT_PACKETS = 3;
    /** Index of the transit byte count. */
    public static final int TRANSIT_BYTES = 4;
    /** Index of the late packet count. */
    public static final int LATE_PACKETS = 5;
    /** Index of the ring-buffer drop count. */
    public static final int RING_DROPS = 6;
    /** Index of the kernel drop count. */
    public static final int KERNEL_DROPS = 7;
    /** Index of the folded count. */
    public static final int FOLDED_KEYS = 8;
    /** Index of the frame count of the first {@link FrameOutcome}; one slot per outcome by ordinal follows. */
    public static final int OUTCOME_BASE = 9;
    /** Number of counts. */
    public static final int LENGTH = OUTCOME_BASE + FrameOutcome.count();

    /** All counts zero. */
    public static final QualityFigures EMPTY = new QualityFigures(new long[LENGTH]);

    private final long[] values;

    /**
     * Figures from counts laid out by the index constants.
     *
     * @param values {@link #LENGTH} counts, copied.
     * @throws IllegalArgumentException when the length is not {@link #LENGTH}.
     */
    public QualityFigures(final long[] values)
    {
        if (values.length != LENGTH)
        {
            throw new IllegalArgumentException("expected " + LENGTH + " counts, got " + values.length);
        }

        this.values = values.clone();
    }

    /**
     * Index of the frame count of an outcome.
     *
     * @param outcome the outcome.
     * @return the index.
     */
    public static int outcomeIndex(final FrameOutcome outcome)
    {
        return OUTCOME_BASE + outcome.ordinal();
    }

    /**
     * A count by index.
     *
     * @param index one of the index constants.
     * @return the count.
     */
    public long value(final int index)
    {
        return values[index];
    }

    /**
     * The sum of these figures and another's, for merged buckets.
     *
     * @param other the other figures.
     * @return new figures.
     */
    public QualityFigures plus(final QualityFigures other)
    {
        final long[] sum = values.clone();
        for (int i = 0; i < LENGTH; i++)
        {
            sum[i] += other.values[i];
        }

        return new QualityFigures(sum);
    }

    /**
     * {@inheritDoc}
     */
    public long frames()
    {
        return values[FRAMES];
    }

    /**
     * {@inheritDoc}
     */
    public long packets()
    {
        return values[PACKETS];
    }

    /**
     * {@inheritDoc}
     */
    public long bytes()
    {
        return values[BYTES];
    }

    /**
     * {@inheritDoc}
     */
    public long transitPackets()
    {
        return values[TRANSIT_PACKETS];
    }

    /**
     * {@inheritDoc}
     */
    public long transitBytes()
    {
        return values[TRANSIT_BYTES];
    }

    /**
     * {@inheritDoc}
     */
    public long frames(final FrameOutcome outcome)
    {
        return values[outcomeIndex(outcome)];
    }

    /**
     * {@inheritDoc}
     */
    public long latePackets()
    {
        return values[LATE_PACKETS];
    }

    /**
     * {@inheritDoc}
     */
    public long ringDrops()
    {
        return values[RING_DROPS];
    }

    /**
     * {@inheritDoc}
     */
    public long kernelDrops()
    {
        return values[KERNEL_DROPS];
    }

    /**
     * Packet records folded into a host's "other" row in this bucket (one per folded packet and view).
     *
     * @return the fold count.
     */
    public long foldedKeys()
    {
        return values[FOLDED_KEYS];
    }

    /**
     * {@inheritDoc}
     */
    public boolean equals(final Object o)
    {
        return o instanceof QualityFigures && Arrays.equals(values, ((QualityFigures)o).values);
    }

    /**
     * {@inheritDoc}
     */
    public int hashCode()
    {
        return Arrays.hashCode(values);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("QualityFigures{frames=").append(frames())
            .append(", packets=").append(packets())
            .append(", bytes=").append(bytes())
            .append(", transitPackets=").append(transitPackets())
            .append(", transitBytes=").append(transitBytes())
            .append(", latePackets=").append(latePackets())
            .append(", ringDrops=").append(ringDrops())
            .append(", kernelDrops=").append(kernelDrops())
            .append(", foldedKeys=").append(foldedKeys());
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            if (frames(outcome) != 0)
            {
                sb.append(", ").append(outcome.label()).append('=').append(frames(outcome));
            }
        }

        return sb.append('}').toString();
    }
}
