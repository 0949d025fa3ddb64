package io.trafficanalyzer.core.capture;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PcapngTimestampsProperties
{
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @Property(tries = 2000)
    void shouldConvertExactlyWhenResolutionIsBinary(
        @ForAll final long units, @ForAll @IntRange(min = 0, max = 127) final int exponent)
    {
        final int resolution = 0x80 | exponent;
        final BigInteger exact = unsigned(units).multiply(NANOS_PER_SECOND).shiftRight(exponent);
        assertConverted(units, resolution, exact);
    }

    @Property(tries = 2000)
    void shouldConvertExactlyWhenResolutionIsDecimal(
        @ForAll final long units, @ForAll @IntRange(min = 0, max = 18) final int exponent)
    {
        final BigInteger exact = unsigned(units).multiply(NANOS_PER_SECOND).divide(BigInteger.TEN.pow(exponent));
        assertConverted(units, exponent, exact);
    }

    private static void assertConverted(final long units, final int resolution, final BigInteger exact)
    {
        final long converted = PcapngTimestamps.toNanos(
            units, PcapngTimestamps.mode(resolution), PcapngTimestamps.factor(resolution));
        if (exact.compareTo(LONG_MAX) <= 0)
        {
            assertEquals(exact.longValueExact(), converted);
        }
        else
        {
            // beyond the year 2262 the result cannot be a long; only its low 64 bits are kept
            assertEquals(exact.longValue(), converted);
        }
    }

    private static BigInteger unsigned(final long value)
    {
        return new BigInteger(Long.toUnsignedString(value));
    }
}
