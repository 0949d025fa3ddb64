package io.trafficanalyzer.web.query;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentileQueryProperties
{
    @Property(tries = 2000)
    void shouldTakeTheCeilingOfTheExactShareWhenNearestRank(
        @ForAll @IntRange(min = 1, max = 1000) final int tenths,
        @ForAll @IntRange(min = 1, max = 1_000_000) final int n)
    {
        final String p = tenths / 10 + "." + tenths % 10;
        final PercentileQuery query = PercentileQuery.of(p, null, null, null, null, null, "");

        // ceil(tenths / 1000 * n) in integers
        final long expected = Math.max(1, ((long)tenths * n + 999) / 1000);
        assertEquals(expected, query.rank(n), p + " of " + n);
    }

    @Property(tries = 2000)
    void shouldHoldTheNewestSecondInABillingMonthFromDayDToDayD(
        @ForAll @LongRange(min = 86_400, max = 4_102_444_800L) final long end,
        @ForAll @IntRange(min = 1, max = PercentileQuery.MAX_BILLING_DAY) final int day)
    {
        final StoreReader.Span span =
            new StoreReader.Span(Instant.ofEpochSecond(end - 3600), Instant.ofEpochSecond(end), 10);
        final PercentileQuery.Resolved period =
            PercentileQuery.of("95", "month", day, null, null, null, "").resolve(span);

        final LocalDate start = LocalDate.ofInstant(period.from(), ZoneOffset.UTC);
        assertEquals(day, start.getDayOfMonth());
        assertEquals(start.atStartOfDay(ZoneOffset.UTC).toInstant(), period.from());
        assertEquals(start.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant(), period.to());
        final Instant newest = Instant.ofEpochSecond(end - 1);
        assertFalse(newest.isBefore(period.from()));
        assertTrue(newest.isBefore(period.to()));
    }

    @Property(tries = 1000)
    void shouldWidenAnyRangeToWholeFiveMinuteIntervalsThatHoldIt(
        @ForAll @LongRange(min = 0, max = 4_000_000_000L) final long from,
        @ForAll @LongRange(min = 1, max = 10_000_000L) final long length)
    {
        final StoreReader.Span span = new StoreReader.Span(Instant.ofEpochSecond(0), Instant.ofEpochSecond(1), 10);
        final PercentileQuery.Resolved period = PercentileQuery.of("95", null, null, null,
            Instant.ofEpochSecond(from), Instant.ofEpochSecond(from + length), "").resolve(span);

        assertEquals(0, period.from().getEpochSecond() % 300);
        assertEquals(0, period.to().getEpochSecond() % 300);
        assertTrue(period.from().getEpochSecond() <= from && from - period.from().getEpochSecond() < 300);
        assertTrue(period.to().getEpochSecond() >= from + length && period.to().getEpochSecond() - from - length < 300);
        assertEquals(from % 300 == 0 && (from + length) % 300 == 0, null == period.note());
    }
}
