package io.trafficanalyzer.web;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.web.query.Durations;
import io.trafficanalyzer.web.query.TimeRange;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query string of an API request, checked before anything reads the store: known names only, each once, short
 * values, and typed reads that reject a bad value with a message naming the parameter.
 */
final class QueryParameters
{
    static final int MAX_QUERY_LENGTH = 1024;
    static final int MAX_VALUE_LENGTH = 64;
    static final Duration MAX_DURATION = Duration.ofDays(3660);

    private final Map<String, String> values = new HashMap<>();

    private QueryParameters()
    {
    }

    static QueryParameters parse(final String rawQuery, final Set<String> allowed)
    {
        final QueryParameters parameters = new QueryParameters();
        if (null == rawQuery || rawQuery.isEmpty())
        {
            return parameters;
        }
        if (rawQuery.length() > MAX_QUERY_LENGTH)
        {
            throw new BadRequest(414, null, "the query string is longer than " + MAX_QUERY_LENGTH + " characters");
        }

        for (final String pair : rawQuery.split("&", -1))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name = decode(null, equals < 0 ? pair : pair.substring(0, equals));
            final String value = equals < 0 ? "" : decode(name, pair.substring(equals + 1));
            if (!allowed.contains(name))
            {
                throw new BadRequest(400, safeName(name), "unknown parameter '" + safeName(name) + "'; known: " +
                    String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (value.length() > MAX_VALUE_LENGTH)
            {
                throw new BadRequest(400, name, name + ": longer than " + MAX_VALUE_LENGTH + " characters");
            }
            if (null != parameters.values.put(name, value))
            {
                throw new BadRequest(400, name, name + ": given more than once");
            }
        }

        return parameters;
    }

    String text(final String name)
    {
        final String value = values.get(name);
        return null == value || value.isEmpty() ? null : value;
    }

    Duration duration(final String name)
    {
        final String value = text(name);
        if (null == value)
        {
            return null;
        }

        final Duration duration;
        try
        {
            duration = Durations.parse(value);
        }
        catch (final IllegalArgumentException | ArithmeticException ex)
        {
            throw bad(name, value, "not a duration (10s, 5m, 1h, 2d)");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0)
        {
            throw bad(name, value, "must be positive and at most " + MAX_DURATION.toDays() + "d");
        }

        return duration;
    }

    Duration step(final String name)
    {
        final Duration step = duration(name);
        if (null != step && (step.getNano() != 0 || step.getSeconds() < 1))
        {
            throw bad(name, values.get(name), "must be whole seconds, at least 1s");
        }
        return step;
    }

    Instant time(final String name)
    {
        final String value = text(name);
        if (null == value)
        {
            return null;
        }

        try
        {
            final Instant time = TimeRange.parseTime(value);
            if (time.getEpochSecond() < 0 || time.getEpochSecond() > 32_503_680_000L)
            {
                throw bad(name, value, "must be between 1970 and 3000");
            }
            return time;
        }
        catch (final IllegalArgumentException | java.time.DateTimeException ex)
        {
            throw bad(name, value, "not an ISO-8601 time like 2024-05-01T10:00:00Z or 2024-05-01");
        }
    }

    int integer(final String name, final int defaultValue, final int min, final int max)
    {
        final String value = text(name);
        if (null == value)
        {
            return defaultValue;
        }

        try
        {
            final int number = Integer.parseInt(value);
            if (number >= min && number <= max)
            {
                return number;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below, as an out-of-range value is
        }
        throw bad(name, value, "must be an integer from " + min + " to " + max);
    }

    /*
     * An IP address in the text form of the store's views (dotted quad, RFC 5952).
     */
    String address(final String name)
    {
        final String value = text(name);
        if (null == value)
        {
            return null;
        }

        try
        {
            final long[] address = IpAddresses.parse(value.trim());
            return IpAddresses.format(address[0], address[1]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad(name, value, "not an IP address");
        }
    }

    <E extends Enum<E>> E choice(final String name, final Class<E> type, final E defaultValue)
    {
        final String value = text(name);
        if (null == value)
        {
            return defaultValue;
        }

        for (final E constant : type.getEnumConstants())
        {
            if (constant.name().equalsIgnoreCase(value))
            {
                return constant;
            }
        }
        final StringBuilder known = new StringBuilder();
        for (final E constant : type.getEnumConstants())
        {
            known.append(known.length() > 0 ? ", " : "").append(constant.name());
        }
        throw bad(name, value, "must be one of " + known);
    }

    static BadRequest bad(final String name, final String value, final String reason)
    {
        return new BadRequest(400, name, name + "=" + value + ": " + reason);
    }

    private static String decode(final String name, final String text)
    {
        try
        {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequest(400, name, (null == name ? "a parameter name" : name) + ": bad percent-encoding");
        }
    }

    /*
     * A name as it may be echoed: printable ASCII, cut short.
     */
    private static String safeName(final String name)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 32; i++)
        {
            final char c = name.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
