package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.web.query.TimeRange;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;

/**
 * picocli converters for the tool's option values; each rejects a bad value with one line that picocli prefixes
 * with the option's name.
 */
final class Converters
{
    private Converters()
    {
    }

    /**
     * {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms} or ISO-8601 {@code PT30S}; positive.
     */
    static final class DurationConverter implements ITypeConverter<Duration>
    {
        public Duration convert(final String value)
        {
            final Duration duration;
            try
            {
                duration = Durations.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
            if (duration.isNegative() || duration.isZero())
            {
                throw new TypeConversionException("invalid duration '" + value + "': must be positive");
            }

            return duration;
        }
    }

    /**
     * The store: a path, or a {@code sqlite:} URI with the store's options, checked now.
     */
    static final class StoreConverter implements ITypeConverter<StoreOption>
    {
        public StoreOption convert(final String value)
        {
            try
            {
                return StoreOption.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }

    /**
     * A {@code --sink} URI, checked now when it is a {@code kafka://} or {@code sqlite:} one.
     */
    static final class SinkConverter implements ITypeConverter<SinkOption>
    {
        public SinkOption convert(final String value)
        {
            try
            {
                return SinkOption.parse(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }

    /**
     * A CIDR prefix such as {@code 10.0.0.0/8} or {@code fd00::/8}, checked now so that the error names the option.
     */
    static final class CidrConverter implements ITypeConverter<String>
    {
        public String convert(final String value)
        {
            try
            {
                LocalNetworks.of(value);
                return value;
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }

    /**
     * An IP address, returned in the text form the store's views use (dotted quad, RFC 5952).
     */
    static final class AddressConverter implements ITypeConverter<String>
    {
        public String convert(final String value)
        {
            try
            {
                final long[] address = IpAddresses.parse(value.trim());
                return IpAddresses.format(address[0], address[1]);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException("invalid IP address '" + value + "'");
            }
        }
    }

    /**
     * An ISO-8601 time: {@code 2024-05-01T10:00:00Z}, with an offset ({@code +02:00}), without one (taken as UTC),
     * or a date alone (its midnight, UTC).
     */
    static final class TimeConverter implements ITypeConverter<Instant>
    {
        public Instant convert(final String value)
        {
            try
            {
                return TimeRange.parseTime(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }
}
