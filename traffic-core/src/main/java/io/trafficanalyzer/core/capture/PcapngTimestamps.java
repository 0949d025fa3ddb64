package io.trafficanalyzer.core.capture;

/**
 * Converts pcapng timestamps, counted in units of an interface's {@code if_tsresol}, to nanoseconds exactly
 * (rounded down to the nanosecond when the resolution is finer).
 * <p>
 * A resolution is described by a mode and a factor so that the per-packet conversion is one switch and one
 * multiplication, unsigned division, or 128-bit multiplication and shift.
 */
final class PcapngTimestamps
{
    /**
     * Units of 10^-n seconds with n at most 9: multiply by 10^(9-n).
     */
    static final int MULTIPLY = 0;

    /**
     * Units of 10^-n seconds with n from 10 to 18: divide (unsigned) by 10^(n-9).
     */
    static final int DIVIDE = 1;

    /**
     * Units of 2^-n seconds with n from 1 to 127: the 128-bit product by 10^9 shifted right by n.
     */
    static final int BINARY = 2;

    /**
     * The largest decimal exponent supported: 10^-18 seconds.
     */
    static final int MAX_DECIMAL_EXPONENT = 18;

    /**
     * The {@code if_tsresol} value meaning microseconds, the default.
     */
    static final int DEFAULT_RESOLUTION = 6;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int BINARY_FLAG = 0x80;
    private static final long[] POWERS_OF_TEN = new long[MAX_DECIMAL_EXPONENT + 1];

    static
    {
        long power = 1;
        for (int i = 0; i <= MAX_DECIMAL_EXPONENT; i++)
        {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private PcapngTimestamps()
    {
    }

    /**
     * Whether an {@code if_tsresol} value is supported.
     *
     * @param resolution the option's byte, 0 to 255.
     * @return true unless it is a decimal exponent beyond {@link #MAX_DECIMAL_EXPONENT}.
     */
    static boolean isSupported(final int resolution)
    {
        return 0 != (resolution & BINARY_FLAG) || resolution <= MAX_DECIMAL_EXPONENT;
    }

    /**
     * The conversion mode for an {@code if_tsresol} value.
     *
     * @param resolution a supported option byte.
     * @return {@link #MULTIPLY}, {@link #DIVIDE} or {@link #BINARY}.
     */
    static int mode(final int resolution)
    {
        if (0 != (resolution & BINARY_FLAG))
        {
            return 0 == (resolution & ~BINARY_FLAG) ? MULTIPLY : BINARY;
        }
        return resolution <= 9 ? MULTIPLY : DIVIDE;
    }

    /**
     * The factor that goes with {@link #mode(int)}: multiplier, divisor or binary exponent.
     *
     * @param resolution a supported option byte.
     * @return the factor.
     */
    static long factor(final int resolution)
    {
        if (0 != (resolution & BINARY_FLAG))
        {
            final int exponent = resolution & ~BINARY_FLAG;
            return 0 == exponent ? NANOS_PER_SECOND : exponent;
        }
        return resolution <= 9 ? POWERS_OF_TEN[9 - resolution] : POWERS_OF_TEN[resolution - 9];
    }

    /**
     * Convert a timestamp to nanoseconds.
     *
     * @param units  the 64-bit timestamp, unsigned, in units of the resolution.
     * @param mode   from {@link #mode(int)}.
     * @param factor from {@link #factor(int)}.
     * @return nanoseconds.
     */
    static long toNanos(final long units, final int mode, final long factor)
    {
        switch (mode)
        {
            case MULTIPLY:
                return units * factor;

            case DIVIDE:
                return Long.divideUnsigned(units, factor);

            default:
                return binaryToNanos(units, (int)factor);
        }
    }

    /**
     * floor(units * 10^9 / 2^exponent) with a 128-bit intermediate product, so no unit count overflows.
     *
     * @param units    unsigned count of 2^-exponent seconds.
     * @param exponent 1 to 127.
     * @return nanoseconds.
     */
    static long binaryToNanos(final long units, final int exponent)
    {
        final long low = units * NANOS_PER_SECOND;
        final long high = Math.multiplyHigh(units, NANOS_PER_SECOND) + ((units >> 63) & NANOS_PER_SECOND);
        if (exponent < 64)
        {
            return (high << (64 - exponent)) | (low >>> exponent);
        }
        return high >>> (exponent - 64);
    }
}
