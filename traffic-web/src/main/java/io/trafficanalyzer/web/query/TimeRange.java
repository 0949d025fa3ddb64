package io.trafficanalyzer.web.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A time range of a query, start inclusive, end exclusive: the stored buckets whose start lies in it. A relative
 * range ({@code last}) counts back from the end of the newest bucket in the store, not from the wall clock, so that a
 * replayed capture from last year answers "the last hour" with its own last hour.
 *
 * @param from the start.
 * @param to   the end.
 */
public record TimeRange(Instant from, Instant to)
{
    /**
     * Resolve the range parameters of a query against what the store holds.
     *
     * @param span   what the store holds.
     * @param last   the last duration of stored traffic, or null.
     * @param from   the start, or null for the first stored bucket.
     * @param to     the end, or null for the end of the newest stored bucket.
     * @param prefix what precedes a parameter's name in messages: {@code "--"} for options, {@code ""} for the API.
     * @return the range.
     * @throws QueryException when the parameters contradict each other or leave an empty range.
     */
    public static TimeRange resolve(
        final StoreReader.Span span, final Duration last, final Instant from, final Instant to, final String prefix)
    {
        if (null != last && (null != from || null != to))
        {
            throw QueryException.badParameter(
                "last", prefix + "last cannot be combined with " + prefix + "from or " + prefix + "to");
        }

        final Instant end;
        final Instant start;
        if (null != last)
        {
            end = span.end();
            start = end.minus(last);
        }
        else
        {
            end = null != to ? to : span.end();
            start = null != from ? from : span.start();
        }

        if (!start.isBefore(end))
        {
            throw null != from ?
                QueryException.badParameter(
                    "from", prefix + "from=" + from + " must be before " + prefix + "to=" + end) :
                QueryException.badParameter(
                    "to", prefix + "to=" + end + " must be after the first stored bucket, " + span.start());
        }

        return new TimeRange(start, end);
    }

    /**
     * The length of the range.
     *
     * @return whole seconds.
     */
    public long seconds()
    {
        return Duration.between(from, to).getSeconds();
    }

    /**
     * The range for people: {@code 2024-05-01T10:00:00Z .. 2024-05-01T11:00:00Z (1h)}.
     *
     * @return the text.
     */
    public String describe()
    {
        return from + " .. " + to + " (" + Durations.describe(Duration.between(from, to)) + ")";
    }

    /**
     * Parse an ISO-8601 time: {@code 2024-05-01T10:00:00Z}, with an offset ({@code +02:00}), without one (taken as
     * UTC), or a date alone (its midnight, UTC).
     *
     * @param value the text.
     * @return the instant.
     * @throws IllegalArgumentException with a one-line reason when the text is not such a time.
     */
    public static Instant parseTime(final String value)
    {
        final String text = value.trim();
        try
        {
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (final DateTimeParseException ignore)
        {
            // not with an offset: try the local forms, read as UTC
        }
        try
        {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
        catch (final DateTimeParseException ignore)
        {
            // not a date and time: try a date
        }
        try
        {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException(
                "invalid time '" + value + "': expected ISO-8601 like 2024-05-01T10:00:00Z or 2024-05-01", ex);
        }
    }
}
