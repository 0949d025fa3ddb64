package io.trafficanalyzer.sqlite;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses {@code sqlite:} URIs into the settings of a sink ({@link SinkContext}): {@code sqlite:/abs/path.db},
 * {@code sqlite:rel.db} or {@code sqlite:///abs/path.db}, with optional {@code ?name=value&...} settings.
 */
final class SqliteUris
{
    private static final String SCHEME = SinkContext.SCHEME;

    private SqliteUris()
    {
    }

    static SinkContext parse(final String text)
    {
        if (text == null || !text.regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1))
        {
            throw new IllegalArgumentException("not a " + SCHEME + ": URI: " + text);
        }
        try
        {
            return parse(new URI(text));
        }
        catch (final URISyntaxException ex)
        {
            final String file = text.substring(SCHEME.length() + 1);
            if (file.isEmpty() || file.indexOf('?') >= 0)
            {
                throw new IllegalArgumentException("not a valid " + SCHEME + ": URI: " + text, ex);
            }
            return new SinkContext(Path.of(file));
        }
    }

    static SinkContext parse(final URI uri)
    {
        if (uri == null || !SCHEME.equalsIgnoreCase(uri.getScheme()))
        {
            throw new IllegalArgumentException("not a " + SCHEME + ": URI: " + uri);
        }

        final String file;
        final String query;
        if (uri.isOpaque())
        {
            final String part = uri.getRawSchemeSpecificPart();
            final int question = part.indexOf('?');
            file = decode(question < 0 ? part : part.substring(0, question));
            query = question < 0 ? null : part.substring(question + 1);
        }
        else
        {
            if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty())
            {
                throw new IllegalArgumentException("a " + SCHEME + ": URI names a local file, not a host (" +
                    uri.getRawAuthority() + "): " + uri);
            }
            file = uri.getPath();
            query = uri.getRawQuery();
        }
        if (file == null || file.isEmpty())
        {
            throw new IllegalArgumentException("no database file in " + uri);
        }

        final SinkContext context = new SinkContext(Path.of(file));
        if (query != null && !query.isEmpty())
        {
            for (final String pair : query.split("&"))
            {
                final int equals = pair.indexOf('=');
                if (equals <= 0)
                {
                    throw new IllegalArgumentException("option without a value in " + uri + ": " + pair);
                }
                apply(context, decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)), uri);
            }
        }

        return context;
    }

    private static void apply(final SinkContext context, final String name, final String value, final URI uri)
    {
        try
        {
            switch (name)
            {
                case "raw":
                    context.retention(0, duration(value));
                    break;
                case "minute":
                    context.retention(1, duration(value));
                    break;
                case "hour":
                    context.retention(2, duration(value));
                    break;
                case "day":
                    context.retention(3, duration(value));
                    break;
                case "rollup":
                    context.rollup(bool(value));
                    break;
                case "freeSpaceFloor":
                    context.freeSpaceFloor(bytes(value));
                    break;
                case "busyTimeoutMs":
                    context.busyTimeout(Duration.ofMillis(Long.parseLong(value)));
                    break;
                case "synchronous":
                    context.durableCommits(synchronous(value));
                    break;
                default:
                    throw new IllegalArgumentException("unknown option");
            }
        }
        catch (final IllegalArgumentException | DateTimeParseException ex)
        {
            throw new IllegalArgumentException("option " + name + "=" + value + " of " + uri + ": " +
                ex.getMessage() + " (options: raw, minute, hour, day (ISO-8601 durations or forever), rollup, " +
                "freeSpaceFloor (bytes, K/M/G suffix), busyTimeoutMs, synchronous (full|normal))", ex);
        }
    }

    private static Duration duration(final String value)
    {
        return "forever".equalsIgnoreCase(value) ? SinkContext.FOREVER : Duration.parse(value);
    }

    private static boolean bool(final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static boolean synchronous(final String value)
    {
        final String mode = value.toLowerCase(Locale.ROOT);
        if ("full".equals(mode) || "normal".equals(mode))
        {
            return "full".equals(mode);
        }
        throw new IllegalArgumentException("expected full or normal");
    }

    static long bytes(final String value)
    {
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("empty size");
        }
        final char suffix = Character.toUpperCase(value.charAt(value.length() - 1));
        final int shift = suffix == 'K' ? 10 : suffix == 'M' ? 20 : suffix == 'G' ? 30 : 0;
        final String digits = shift == 0 ? value : value.substring(0, value.length() - 1);

        return Math.multiplyExact(Long.parseLong(digits), 1L << shift);
    }

    private static String decode(final String text)
    {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
