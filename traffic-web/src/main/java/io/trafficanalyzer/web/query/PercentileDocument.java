package io.trafficanalyzer.web.query;

import io.trafficanalyzer.web.query.ResultTable.Kind;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The percentile document ({@code report --percentile}, {@code /api/percentile}): the in, out and max(in, out)
 * percentile of the 5-minute bit rates of the link or of one host over a period, by the nearest-rank method, with the
 * sample count, the peak and what the samples are based on. Every 5-minute interval of UTC time from the first stored
 * bucket to the end of the newest one, within the period, is a sample; one without traffic counts as 0.
 */
public final class PercentileDocument
{
    private static final long INTERVAL = PercentileQuery.INTERVAL_SECONDS;

    private PercentileDocument()
    {
    }

    /**
     * The percentile of the link's or one host's 5-minute rates over a period.
     *
     * @param reader the store.
     * @param agent  only this agent's rows, or null for every agent's summed.
     * @param query  the percentile and the period.
     * @param host   only this local host (text form of the views), or null for the link.
     * @return the document.
     */
    public static ResultTable percentile(
        final StoreReader reader, final String agent, final PercentileQuery query, final String host)
    {
        final StoreReader.Span span = reader.span(agent);
        final PercentileQuery.Resolved period = query.resolve(span);
        final String ordinal = ordinal(query.percentile());
        final ResultTable table = new ResultTable(
            ordinal + " percentile of the 5-minute rates of " + (null == host ? "the link" : host) + " in " +
            reader.path() + (null == agent ? "" : ", agent " + agent) +
            (null == period ? "" : ", " + new TimeRange(period.from(), period.to()).describe()))
            .meta("db", reader.path().toString())
            .meta("agent", agent)
            .meta("host", host)
            .meta("percentile", query.percentile())
            .meta("method", "nearest_rank")
            .meta("interval_seconds", INTERVAL)
            .meta("period", query.period())
            .meta("billing_day", null == query.period() || !isMonth(query.period()) ? null : query.billingDay())
            .meta("from", null == period ? null : period.from())
            .meta("to", null == period ? null : period.to())
            .column("direction", "DIRECTION", Kind.TEXT)
            .column("percentile_bits_per_second", ordinal.toUpperCase() + " PCT", Kind.RATE)
            .column("peak_bits_per_second", "PEAK", Kind.RATE)
            .column("peak_time", "PEAK AT", Kind.TIME)
            .column("bytes", "BYTES", Kind.BYTES);

        final boolean known = null != period && null != span;
        final Instant coveredFrom = known ? max(period.from(), PercentileQuery.floor(span.start())) : null;
        final Instant coveredTo = known ? min(period.to(), PercentileQuery.ceil(span.end())) : null;
        if (!known || !coveredFrom.isBefore(coveredTo))
        {
            return table
                .meta("covered_from", null)
                .meta("covered_to", null)
                .meta("samples", 0)
                .meta("rank", null)
                .meta("samples_without_bucket", 0)
                .meta("samples_spread", 0)
                .meta("samples_raw", 0)
                .meta("samples_minute", 0)
                .meta("samples_hour", 0)
                .meta("samples_day", 0)
                .meta("based_on", null)
                .meta("note", null == period ? null : period.note())
                .emptyNote(null == span ? "(the store holds no traffic yet)" :
                    "(no stored traffic in this period: the store holds " + span.start() + " .. " + span.end() + ")")
                .footer(null == period ? null : period.note());
        }

        final Samples samples = new Samples(coveredFrom, coveredTo);
        samples.add(reader, agent, host);
        final long[] levels = samples.levels(reader.granularities());
        final long rank = query.rank(samples.count());
        final String basedOn = basedOn(levels);
        final String note = join(join(period.note(), rollupNote(samples, levels)), spreadNote(samples.spread()));

        table
            .meta("covered_from", coveredFrom)
            .meta("covered_to", coveredTo)
            .meta("samples", samples.count())
            .meta("rank", rank)
            .meta("samples_without_bucket", samples.withoutBucket())
            .meta("samples_spread", samples.spread())
            .meta("samples_raw", levels[0])
            .meta("samples_minute", levels[1])
            .meta("samples_hour", levels[2])
            .meta("samples_day", levels[3])
            .meta("based_on", basedOn)
            .meta("note", note);

        addRow(table, "in", samples.in, rank, samples, samples.inBytes);
        addRow(table, "out", samples.out, rank, samples, samples.outBytes);
        final double[] greater = new double[samples.count()];
        for (int i = 0; i < greater.length; i++)
        {
            greater[i] = Math.max(samples.in[i], samples.out[i]);
        }
        addRow(table, "max", greater, rank, samples, null);

        return table
            .footer("samples: " + samples.count() + " intervals of 5 minutes, " + coveredFrom + " .. " + coveredTo +
                (coveredFrom.equals(period.from()) && coveredTo.equals(period.to()) ? "" :
                " (the part of the period the store holds)") + "; intervals without traffic count as 0" +
                (samples.withoutBucket() == 0 ? "" : ", " + samples.withoutBucket() + " of them without any stored " +
                "bucket (nothing was captured then)"))
            .footer("method: nearest rank, the " + rank + ordinalSuffix(rank) + " smallest of the " + samples.count() +
                " rates; max is the greater of in and out in each interval")
            .footer("based on: " + basedOn)
            .footer(null == note ? null : "note: " + note);
    }

    private static void addRow(
        final ResultTable table,
        final String direction,
        final double[] rates,
        final long rank,
        final Samples samples,
        final Long bytes)
    {
        int peak = 0;
        for (int i = 1; i < rates.length; i++)
        {
            if (rates[i] > rates[peak])
            {
                peak = i;
            }
        }
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        table.row(direction, sorted[(int)rank - 1], rates[peak], samples.start(peak), bytes);
    }

    private static String basedOn(final long[] levels)
    {
        final String[] names = { "raw buckets", "minute rollups", "hour rollups", "day rollups" };
        final StringBuilder sb = new StringBuilder();
        for (int level = 0; level < levels.length; level++)
        {
            if (levels[level] > 0)
            {
                sb.append(sb.length() > 0 ? ", " : "").append(names[level]).append(" (").append(levels[level])
                    .append(levels[level] == 1 ? " sample)" : " samples)");
            }
        }
        return sb.toString();
    }

    /*
     * What an answer older than the raw retention rests on: the rollups that keep the period.
     */
    private static String rollupNote(final Samples samples, final long[] levels)
    {
        if (levels[1] + levels[2] + levels[3] == 0)
        {
            return null;
        }

        final String[] names = { "minute rollups (the same 5-minute sums)", "hour rollups", "day rollups" };
        final StringBuilder sb = new StringBuilder("the period starts before the raw buckets the store keeps (from ")
            .append(samples.rawFrom).append("): ");
        String separator = "";
        for (int level = 1; level < levels.length; level++)
        {
            if (levels[level] > 0)
            {
                sb.append(separator).append(levels[level]).append(" samples come from ").append(names[level - 1]);
                separator = ", ";
            }
        }
        return sb.toString();
    }

    /*
     * A bucket wider than a sample gives each of its intervals its average rate: a peak shorter than the bucket is
     * flattened.
     */
    private static String spreadNote(final long spread)
    {
        return 0 == spread ? null : spread + " samples come from stored buckets wider than 5 minutes (hour or day " +
            "rollups, or buckets merged while the store fell behind the capture), each interval at the average rate " +
            "of its bucket, which flattens shorter peaks: the percentile is then usually lower than 5-minute data " +
            "would give";
    }

    private static String join(final String a, final String b)
    {
        return null == a ? b : null == b ? a : a + "; " + b;
    }

    private static boolean isMonth(final String period)
    {
        return "month".equalsIgnoreCase(period) || period.matches("\\d{4}-\\d{2}");
    }

    static String ordinal(final BigDecimal percentile)
    {
        final String text = percentile.toPlainString();
        if (percentile.scale() > 0)
        {
            return text + "th";
        }
        return text + ordinalSuffix(percentile.longValue());
    }

    private static String ordinalSuffix(final long n)
    {
        if (n % 100 >= 11 && n % 100 <= 13)
        {
            return "th";
        }
        switch ((int)(n % 10))
        {
            case 1:
                return "st";

            case 2:
                return "nd";

            case 3:
                return "rd";

            default:
                return "th";
        }
    }

    private static Instant max(final Instant a, final Instant b)
    {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(final Instant a, final Instant b)
    {
        return a.isBefore(b) ? a : b;
    }

    /*
     * The 5-minute intervals of a covered period: bits per second in and out, and which had a stored bucket. A bucket
     * is spread over the intervals it overlaps in proportion to the overlap: a bucket of 5 minutes or less inside one
     * interval adds to it whole; an hour rollup adds a twelfth of its bytes to each of its intervals.
     */
    private static final class Samples
    {
        private final long from;
        private final double[] in;
        private final double[] out;
        private final boolean[] stored;
        private final boolean[] spread;
        private long inBytes;
        private long outBytes;
        private Instant rawFrom;

        Samples(final Instant from, final Instant to)
        {
            this.from = from.getEpochSecond();
            final int count = Math.toIntExact((to.getEpochSecond() - this.from) / INTERVAL);
            in = new double[count];
            out = new double[count];
            stored = new boolean[count];
            spread = new boolean[count];
        }

        int count()
        {
            return in.length;
        }

        Instant start(final int interval)
        {
            return Instant.ofEpochSecond(from + interval * INTERVAL);
        }

        long withoutBucket()
        {
            long count = 0;
            for (final boolean s : stored)
            {
                count += s ? 0 : 1;
            }
            return count;
        }

        long spread()
        {
            long count = 0;
            for (final boolean s : spread)
            {
                count += s ? 1 : 0;
            }
            return count;
        }

        void add(final StoreReader reader, final String agent, final String host)
        {
            final Instant start = Instant.ofEpochSecond(from);
            final Instant end = start(count());
            // a bucket that starts before the period may still reach into it: look back by the widest bucket there
            final long lookBack = reader.widestBucketSeconds(agent, start.minus(Duration.ofDays(1)), start);
            final Instant first = start.minusSeconds(lookBack);
            for (final Object[] row : reader.widestBuckets(agent, first, end, 1))
            {
                final long bucketStart = ((Number)row[0]).longValue();
                final long width = ((Number)row[1]).longValue();
                for (int i = firstInterval(bucketStart); i <= lastInterval(bucketStart, width); i++)
                {
                    stored[i] = true;
                    spread[i] |= width > INTERVAL;
                }
            }
            for (final Object[] row : reader.bucketInOut(agent, host, first, end))
            {
                final long bucketStart = ((Number)row[0]).longValue();
                final long width = Math.max(1, ((Number)row[1]).longValue());
                final long bucketIn = (Long)row[2];
                final long bucketOut = (Long)row[3];
                for (int i = firstInterval(bucketStart); i <= lastInterval(bucketStart, width); i++)
                {
                    final long intervalStart = from + i * INTERVAL;
                    final long overlap = Math.min(bucketStart + width, intervalStart + INTERVAL) -
                        Math.max(bucketStart, intervalStart);
                    // bytes first, rates once summed: whole buckets add exact integers
                    if (overlap == width)
                    {
                        in[i] += bucketIn;
                        out[i] += bucketOut;
                    }
                    else
                    {
                        in[i] += (double)bucketIn * overlap / width;
                        out[i] += (double)bucketOut * overlap / width;
                    }
                }
                if (bucketStart >= from)
                {
                    inBytes += bucketIn;
                    outBytes += bucketOut;
                }
            }
            for (int i = 0; i < count(); i++)
            {
                in[i] = in[i] * 8 / INTERVAL;
                out[i] = out[i] * 8 / INTERVAL;
            }
        }

        /*
         * How many samples each granularity gives (raw, minute, hour, day): an interval is shown at the finest level
         * that keeps its start.
         */
        long[] levels(final List<Object[]> granularities)
        {
            final long[] keptFrom = new long[4];
            for (int level = 0; level < keptFrom.length && level < granularities.size(); level++)
            {
                keptFrom[level] = ((Number)granularities.get(level)[1]).longValue();
            }
            rawFrom = Instant.ofEpochSecond(keptFrom[0]);
            final long[] counts = new long[4];
            for (int i = 0; i < count(); i++)
            {
                final long start = from + i * INTERVAL;
                int level = 0;
                while (level < 3 && start < keptFrom[level])
                {
                    level++;
                }
                counts[level]++;
            }
            return counts;
        }

        private int firstInterval(final long bucketStart)
        {
            return (int)Math.max(0, Math.floorDiv(bucketStart - from, INTERVAL));
        }

        private int lastInterval(final long bucketStart, final long width)
        {
            return (int)Math.min(count() - 1, Math.floorDiv(bucketStart + width - 1 - from, INTERVAL));
        }
    }
}
