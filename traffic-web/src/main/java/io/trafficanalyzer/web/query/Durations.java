package io.trafficanalyzer.web.query;

import java.time.Duration;

/**
 * Parses the tool's durations: a number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 * (e.g. {@code 10s}, {@code 5m}, {@code 1h}), or an ISO-8601 duration ({@code PT30S}).
 */
public final class Durations
{
    private Durations()
    {
    }

    /**
     * Parse a duration such as {@code 10s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms} or {@code PT30S}.
     *
     * @param text the text.
     * @return the duration.
     * @throws IllegalArgumentException with a one-line reason when the text is not a duration.
     */
    public static Duration parse(final String text)
    {
        final String value = null == text ? "" : text.trim();
        if (value.startsWith("P") || value.startsWith("p"))
        {
            try
            {
                return Duration.parse(value);
            }
            catch (final RuntimeException ex)
            {
                throw new IllegalArgumentException("invalid duration '" + text + "': " + ex.getMessage(), ex);
            }
        }

        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split)))
        {
            split++;
        }
        if (split == 0 || split > 12)
        {
            throw new IllegalArgumentException("invalid duration '" + text + "': expected e.g. 10s, 5m, 1h");
        }

        final long amount = Long.parseLong(value.substring(0, split));
        switch (value.substring(split))
        {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                throw new IllegalArgumentException(
                    "invalid duration '" + text + "': unit must be ms, s, m, h or d (e.g. 10s, 5m, 1h)");
        }
    }

    /**
     * A duration in the shortest form {@link #parse(String)} reads back: {@code 90s}, {@code 5m}, {@code 1500ms}.
     *
     * @param duration the duration.
     * @return the text.
     */
    public static String format(final Duration duration)
    {
        final long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0)
        {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0)
        {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0)
        {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0)
        {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    /**
     * A duration for people, largest units first: {@code 1h 30m}.
     *
     * @param duration the duration.
     * @return the text.
     */
    public static String describe(final Duration duration)
    {
        if (duration.getNano() != 0 || duration.getSeconds() < 60)
        {
            return format(duration);
        }

        final long[] sizes = { 86_400, 3600, 60, 1 };
        final String[] units = { "d", "h", "m", "s" };
        long rest = duration.getSeconds();
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++)
        {
            final long amount = rest / sizes[i];
            rest -= amount * sizes[i];
            if (amount > 0)
            {
                sb.append(sb.length() > 0 ? " " : "").append(amount).append(units[i]);
            }
        }

        return sb.toString();
    }
}
