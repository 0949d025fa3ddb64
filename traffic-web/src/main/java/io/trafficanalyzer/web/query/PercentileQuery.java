package io.trafficanalyzer.web.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The parameters of a percentile query, checked before the store is read: which percentile, and the period as a
 * calendar or billing month ({@code month}, {@code 2026-11}, with a billing day), a duration back from the newest
 * stored bucket ({@code P30D}), or {@code from}/{@code to}. Resolved against the store, the period is whole 5-minute
 * intervals of UTC time.
 */
public final class PercentileQuery
{
    /**
     * The width of a sample.
     */
    public static final long INTERVAL_SECONDS = 300;

    /**
     * The latest billing day: every month has it.
     */
    public static final int MAX_BILLING_DAY = 28;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Duration MAX_DURATION = Duration.ofDays(3660);
    private static final String MONTH = "month";

    private final BigDecimal percentile;
    private final String period;
    private final YearMonth month;
    private final Duration duration;
    private final int billingDay;
    private final Instant from;
    private final Instant to;
    private final String prefix;

    private PercentileQuery(
        final BigDecimal percentile,
        final String period,
        final YearMonth month,
        final Duration duration,
        final int billingDay,
        final Instant from,
        final Instant to,
        final String prefix)
    {
        this.percentile = percentile;
        this.period = period;
        this.month = month;
        this.duration = duration;
        this.billingDay = billingDay;
        this.from = from;
        this.to = to;
        this.prefix = prefix;
    }

    /**
     * Check the parameters of a percentile query.
     *
     * @param percentile the percentile, a number above 0 and at most 100 ({@code 95}, {@code 99.9}).
     * @param period     {@code month}, a month ({@code 2026-11}), a duration ({@code P30D}, {@code 30d}), or null.
     * @param billingDay the day a billing month starts on, 1 to 28, or null for the calendar month.
     * @param last       a duration back from the newest stored bucket, as {@code period}'s, or null.
     * @param from       the start, or null.
     * @param to         the end, or null.
     * @param prefix     what precedes a parameter's name in messages: {@code "--"} for options, {@code ""} for the
     *                   API (whose names are {@code p}, {@code period}, {@code billing_day}, {@code last},
     *                   {@code from}, {@code to}).
     * @return the query.
     * @throws QueryException naming the parameter at fault.
     */
    public static PercentileQuery of(
        final String percentile,
        final String period,
        final Integer billingDay,
        final Duration last,
        final Instant from,
        final Instant to,
        final String prefix)
    {
        final BigDecimal p = parsePercentile(percentile, prefix);
        if (null != period && null != last)
        {
            throw QueryException.badParameter("last", name(prefix, "last") + " cannot be combined with " +
                name(prefix, "period") + "; " + name(prefix, "period") + " P30D counts back the same way");
        }
        if ((null != period || null != last) && (null != from || null != to))
        {
            throw QueryException.badParameter(null != from ? "from" : "to", name(prefix, null != from ? "from" : "to") +
                " cannot be combined with " + name(prefix, null != period ? "period" : "last"));
        }
        if (null != from && null != to && !from.isBefore(to))
        {
            throw QueryException.badParameter(
                "from", name(prefix, "from") + "=" + from + " must be before " + name(prefix, "to") + "=" + to);
        }

        YearMonth month = null;
        Duration duration = last;
        if (null != period && !MONTH.equalsIgnoreCase(period.trim()))
        {
            final String text = period.trim();
            try
            {
                month = YearMonth.parse(text);
            }
            catch (final DateTimeParseException notAMonth)
            {
                try
                {
                    duration = Durations.parse(text);
                }
                catch (final IllegalArgumentException | ArithmeticException ex)
                {
                    throw QueryException.badParameter("period", name(prefix, "period") + "=" + period +
                        ": expected month, a month like 2026-11, or a duration like P30D");
                }
            }
        }
        if (null != duration && (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0))
        {
            final String parameter = null != last ? "last" : "period";
            throw QueryException.badParameter(parameter, name(prefix, parameter) + "=" + Durations.format(duration) +
                ": must be positive and at most " + MAX_DURATION.toDays() + "d");
        }

        if (null != billingDay)
        {
            if (billingDay < 1 || billingDay > MAX_BILLING_DAY)
            {
                throw QueryException.badParameter("billing_day", name(prefix, "billing_day") + "=" + billingDay +
                    ": must be from 1 to " + MAX_BILLING_DAY + " (a day every month has)");
            }
            if (null != duration || null != from || null != to)
            {
                throw QueryException.badParameter("billing_day", name(prefix, "billing_day") + "=" + billingDay +
                    ": applies to a month (" + name(prefix, "period") + " month or 2026-11), not to " +
                    (null != duration ? "a duration" : name(prefix, "from") + "/" + name(prefix, "to")));
            }
        }

        final String shown = null != period ? period.trim() :
            null != last ? Durations.format(last) : null == from && null == to ? MONTH : null;
        return new PercentileQuery(
            p, shown, month, duration, null == billingDay ? 1 : billingDay, from, to, prefix);
    }

    /**
     * The percentile asked for.
     *
     * @return a number above 0 and at most 100.
     */
    public BigDecimal percentile()
    {
        return percentile;
    }

    /**
     * The period as given ({@code month}, {@code 2026-11}, {@code 30d}), or null for {@code from}/{@code to}.
     *
     * @return the text.
     */
    public String period()
    {
        return period;
    }

    /**
     * The day of the month a month period starts on.
     *
     * @return 1 for calendar months.
     */
    public int billingDay()
    {
        return billingDay;
    }

    /*
     * The 1-based rank of the nearest-rank method among n sorted samples: ceil(p / 100 * n), at least 1; exact, since
     * a binary double would make 0.95 * 20 a hair above 19.
     */
    long rank(final long samples)
    {
        final BigDecimal exact = percentile.multiply(BigDecimal.valueOf(samples)).divide(HUNDRED);
        return Math.max(1, exact.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /*
     * The period in whole 5-minute intervals, against what the store holds: null when it holds nothing and the
     * period depends on it.
     */
    Resolved resolve(final StoreReader.Span span)
    {
        if (null != month)
        {
            final LocalDate start = month.atDay(billingDay);
            return new Resolved(midnight(start), midnight(start.plusMonths(1)), null);
        }
        if (null == span)
        {
            return null;
        }
        if (null != duration)
        {
            final Instant end = ceil(span.end());
            return new Resolved(floor(end.minus(duration)), end, null);
        }
        if (null != from || null != to)
        {
            final Instant start = floor(null != from ? from : span.start());
            final Instant end = ceil(null != to ? to : span.end());
            if (!start.isBefore(end))
            {
                throw QueryException.badParameter("to", name(prefix, "to") + "=" + to +
                    " must be after the first stored bucket, " + span.start());
            }
            final boolean widened = (null != from && !start.equals(from)) || (null != to && !end.equals(to));
            return new Resolved(start, end, widened ? "the period is widened to whole 5-minute intervals of UTC " +
                "time: " + start + " .. " + end : null);
        }

        // the month (billing month) that holds the newest stored second: the store's "now"
        final LocalDate now = LocalDate.ofInstant(span.end().minusSeconds(1), ZoneOffset.UTC);
        LocalDate start = now.withDayOfMonth(billingDay);
        if (start.isAfter(now))
        {
            start = start.minusMonths(1);
        }
        return new Resolved(midnight(start), midnight(start.plusMonths(1)), null);
    }

    static Instant floor(final Instant time)
    {
        return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), INTERVAL_SECONDS) * INTERVAL_SECONDS);
    }

    static Instant ceil(final Instant time)
    {
        final Instant floor = floor(time);
        return floor.equals(time) ? floor : floor.plusSeconds(INTERVAL_SECONDS);
    }

    private static Instant midnight(final LocalDate date)
    {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static BigDecimal parsePercentile(final String text, final String prefix)
    {
        final String value = null == text ? "" : text.trim();
        try
        {
            if (value.length() <= 12)
            {
                final BigDecimal p = new BigDecimal(value);
                if (p.signum() > 0 && p.compareTo(HUNDRED) <= 0)
                {
                    return p.stripTrailingZeros().scale() < 0 ? p.setScale(0) : p.stripTrailingZeros();
                }
            }
        }
        catch (final NumberFormatException | ArithmeticException ignore)
        {
            // reported below, as an out-of-range value is
        }
        throw QueryException.badParameter(
            "p", name(prefix, "p") + "=" + text + ": must be a number above 0 and at most 100 (95, 99.9)");
    }

    /*
     * A parameter's name as the caller spells it: the API's, or the option's (--percentile, --billing-day).
     */
    static String name(final String prefix, final String api)
    {
        if (prefix.isEmpty())
        {
            return api;
        }
        switch (api)
        {
            case "p":
                return prefix + "percentile";

            case "billing_day":
                return prefix + "billing-day";

            default:
                return prefix + api;
        }
    }

    /*
     * A period of whole 5-minute intervals, and why it differs from the one asked for, if it does.
     */
    record Resolved(Instant from, Instant to, String note)
    {
    }
}
