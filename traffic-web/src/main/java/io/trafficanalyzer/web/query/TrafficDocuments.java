package io.trafficanalyzer.web.query;

import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.sqlite.HostTraffic;
import io.trafficanalyzer.sqlite.LinkPoint;
import io.trafficanalyzer.sqlite.PeerTraffic;
import io.trafficanalyzer.sqlite.PortTraffic;
import io.trafficanalyzer.sqlite.TrafficPoint;
import io.trafficanalyzer.sqlite.TrafficTotals;
import io.trafficanalyzer.web.query.ResultTable.Kind;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The query documents of a store: the top hosts, ports or peers of a range ({@code top}), a time series
 * ({@code report}) and the data quality per step, of one agent's rows or of every agent's summed. The command line
 * prints them, the web API serves their JSON: one definition, so both answer the same for the same store and range.
 */
public final class TrafficDocuments
{
    private static final long[] STEPS =
        { 1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800 };

    /**
     * The most points an automatic step gives.
     */
    public static final int MAX_AUTO_POINTS = 60;

    /**
     * What {@code top} ranks.
     */
    public enum TopView
    {
        /** Local hosts (or, for one host, its protocols). */
        hosts,
        /** Service ports. */
        ports,
        /** Peers. */
        peers
    }

    private TrafficDocuments()
    {
    }

    /**
     * The hosts, service ports or peers that moved the most bytes in a range.
     *
     * @param reader the store.
     * @param agent  only this agent's rows, or null for every agent's summed.
     * @param range  the range, or null when the store holds no traffic yet.
     * @param by     what to rank.
     * @param host   only this local host (text form of the views), or null.
     * @param limit  how many rows, at least 1.
     * @return the document.
     */
    public static ResultTable top(
        final StoreReader reader,
        final String agent,
        final TimeRange range,
        final TopView by,
        final String host,
        final int limit)
    {
        final String what = null == host ? by.name() : (by == TopView.hosts ? "protocols" : by.name()) + " of " + host;
        final ResultTable table = new ResultTable(
            "Top " + limit + " " + what + " by bytes in " + reader.path() +
            (null == agent ? "" : ", agent " + agent) + (null == range ? "" : ", " + range.describe()))
            .meta("db", reader.path().toString())
            .meta("agent", agent)
            .meta("by", by.name())
            .meta("host", host)
            .meta("from", null == range ? null : range.from())
            .meta("to", null == range ? null : range.to())
            .emptyNote(null == range ? "(the store holds no traffic yet)" : "(no traffic in this range)");

        if (null == host && by != TopView.hosts)
        {
            table.column("host", "HOST", Kind.TEXT);
        }
        switch (by)
        {
            case hosts:
                table.column(null == host ? "host" : "protocol", null == host ? "HOST" : "PROTOCOL", Kind.TEXT);
                break;

            case ports:
                table.column("protocol", "PROTOCOL", Kind.TEXT)
                    .column("port", "PORT", Kind.INTEGER)
                    .column("role", "ROLE", Kind.TEXT);
                break;

            case peers:
                table.column("peer", "PEER", Kind.TEXT);
                break;

            default:
                throw new IllegalStateException("unknown view " + by);
        }

        table
            .column("bytes", "TOTAL", Kind.BYTES)
            .column("in_bytes", "IN", Kind.BYTES)
            .column("out_bytes", "OUT", Kind.BYTES)
            .column("in_packets", "PKTS IN", Kind.COUNT)
            .column("out_packets", "PKTS OUT", Kind.COUNT)
            .column("bits_per_second", "AVG RATE", Kind.RATE);

        if (null != range)
        {
            fillTop(reader, agent, range, by, host, limit, table);
            table.emptyNote(emptyNote(reader, agent, range));
        }

        return table;
    }

    /**
     * The step of a series when none is given: the finest of 1s, 5s, 10s, 30s, 1m, 5m, 10m, 15m, 30m, 1h, 3h, 6h,
     * 12h, 1d, 7d that is at least the stored bucket width and gives at most {@link #MAX_AUTO_POINTS} points.
     *
     * @param rangeSeconds  the length of the range.
     * @param finestSeconds the narrowest stored bucket.
     * @return the step in seconds.
     */
    public static long autoStep(final long rangeSeconds, final long finestSeconds)
    {
        for (final long candidate : STEPS)
        {
            if (candidate >= finestSeconds && (rangeSeconds + candidate - 1) / candidate <= MAX_AUTO_POINTS)
            {
                return candidate;
            }
        }

        return STEPS[STEPS.length - 1];
    }

    /**
     * The step of a series for a range: the given one, or {@link #autoStep(long, long)}.
     *
     * @param span  what the store holds, or null when it holds no traffic yet.
     * @param range the range, or null when the store holds no traffic yet.
     * @param step  the step, or null for automatic.
     * @return the step in seconds.
     */
    public static long stepSeconds(final StoreReader.Span span, final TimeRange range, final Duration step)
    {
        if (null != step)
        {
            return step.getSeconds();
        }
        return null == span || null == range ? 60 : autoStep(range.seconds(), span.finestSeconds());
    }

    /**
     * The step of a {@link #report}: the given one rounded up to a whole number of the finest buckets stored in the
     * range, since a finer or unaligned step would show whole buckets at steps that do not hold them; or
     * {@link #autoStep(long, long)}.
     *
     * @param reader the store.
     * @param agent  only this agent's rows, or null for every agent's.
     * @param span   what the store holds, or null when it holds no traffic yet.
     * @param range  the range, or null when the store holds no traffic yet.
     * @param step   the step asked for, or null for automatic.
     * @return the step, and what was asked for.
     */
    public static Step reportStep(
        final StoreReader reader,
        final String agent,
        final StoreReader.Span span,
        final TimeRange range,
        final Duration step)
    {
        if (null == step)
        {
            final long seconds = stepSeconds(span, range, null);
            return new Step(seconds, seconds, 0);
        }

        final long seconds = step.getSeconds();
        final long finest = null == range ? 0 : reader.finestBucketSeconds(agent, range.from(), range.to());
        if (finest <= 1 || seconds % finest == 0)
        {
            return new Step(seconds, seconds, finest);
        }

        return new Step((seconds + finest - 1) / finest * finest, seconds, finest);
    }

    /**
     * The link's or one host's traffic per step: bytes and packets in and out, and the rate.
     *
     * @param reader the store.
     * @param agent  only this agent's rows, or null for every agent's summed.
     * @param range  the range, or null when the store holds no traffic yet.
     * @param step   the step, from {@link #reportStep}.
     * @param host   only this local host, or null for the link.
     * @return the document.
     */
    public static ResultTable report(
        final StoreReader reader, final String agent, final TimeRange range, final Step step, final String host)
    {
        final long stepSeconds = step.seconds();
        final String stepText = Durations.format(Duration.ofSeconds(stepSeconds));
        final ResultTable table = new ResultTable(
            "Traffic of " + (null == host ? "the link" : host) + " per " + stepText + " in " + reader.path() +
            (null == agent ? "" : ", agent " + agent) + (null == range ? "" : ", " + range.describe()))
            .meta("db", reader.path().toString())
            .meta("agent", agent)
            .meta("host", host)
            .meta("step_seconds", stepSeconds)
            .meta("step_note", step.note(""))
            .meta("from", null == range ? null : range.from())
            .meta("to", null == range ? null : range.to())
            .emptyNote(null == range ? "(the store holds no traffic yet)" : "(no traffic in this range)")
            .column("time", "TIME", Kind.TIME);

        if (null == host)
        {
            table.column("packets", "PACKETS", Kind.COUNT)
                .column("bytes", "BYTES", Kind.BYTES);
        }

        table.column("in_bytes", "IN", Kind.BYTES)
            .column("out_bytes", "OUT", Kind.BYTES)
            .column("in_packets", "PKTS IN", Kind.COUNT)
            .column("out_packets", "PKTS OUT", Kind.COUNT)
            .column("bits_per_second", "RATE", Kind.RATE);

        if (null == host)
        {
            table.column("complete", "COMPLETE", Kind.FLAG);
        }

        if (null != range)
        {
            if (null == host)
            {
                fillLink(reader, agent, range, stepSeconds, table);
            }
            else
            {
                fillHost(reader, agent, range, stepSeconds, host, table);
            }
        }

        return table;
    }

    /**
     * What was seen, skipped and lost per step, so that a gap in a chart is explained: frames, packets, bytes,
     * non-IP frames, malformed frames, late packets, ring and kernel drops, folded packets, and whether the step is
     * complete (nothing dropped).
     *
     * @param reader      the store.
     * @param agent       only this agent's rows, or null for every agent's summed.
     * @param range       the range, or null when the store holds no traffic yet.
     * @param stepSeconds the step.
     * @return the document.
     */
    public static ResultTable quality(
        final StoreReader reader, final String agent, final TimeRange range, final long stepSeconds)
    {
        final ResultTable table = new ResultTable(
            "Data quality per " + Durations.format(Duration.ofSeconds(stepSeconds)) + " in " + reader.path() +
            (null == agent ? "" : ", agent " + agent) + (null == range ? "" : ", " + range.describe()))
            .meta("db", reader.path().toString())
            .meta("agent", agent)
            .meta("step_seconds", stepSeconds)
            .meta("from", null == range ? null : range.from())
            .meta("to", null == range ? null : range.to())
            .emptyNote(null == range ? "(the store holds no traffic yet)" : "(no traffic in this range)")
            .column("time", "TIME", Kind.TIME)
            .column("bucket_seconds", "BUCKET", Kind.INTEGER)
            .column("frames", "FRAMES", Kind.COUNT)
            .column("packets", "PACKETS", Kind.COUNT)
            .column("bytes", "BYTES", Kind.BYTES)
            .column("non_ip", "NON-IP", Kind.COUNT)
            .column("malformed", "MALFORMED", Kind.COUNT)
            .column("late_packets", "LATE", Kind.COUNT)
            .column("ring_drops", "RING DROPS", Kind.COUNT)
            .column("kernel_drops", "KERNEL DROPS", Kind.COUNT)
            .column("folded", "FOLDED", Kind.COUNT)
            .column("complete", "COMPLETE", Kind.FLAG);

        if (null != range)
        {
            for (final Object[] row : reader.quality(agent, range.from(), range.to(), stepSeconds))
            {
                table.row(Instant.ofEpochSecond(((Number)row[0]).longValue()), row[11], row[1], row[2], row[3],
                    row[4], row[5], row[6], row[7], row[8], row[9], ((Long)row[10]) != 0);
            }
        }

        return table;
    }

    /*
     * Why a range shows nothing: no packet at all, or only packets between two hosts that are not local, which the
     * host views leave out (a --local-net that misses the host's networks).
     */
    private static String emptyNote(final StoreReader reader, final String agent, final TimeRange range)
    {
        final TrafficTotals totals = reader.store().totals(agent, range.from(), range.to());
        if (totals.transitPackets() > 0 && totals.transitPackets() == totals.packets())
        {
            return "(no traffic of a local host in this range: all " + totals.transitPackets() + " packets were " +
                "transit, between two hosts outside the local networks; replay or capture again with --local-net " +
                "naming the networks of the hosts to count)";
        }

        return "(no traffic in this range)";
    }

    private static void fillTop(
        final StoreReader reader,
        final String agent,
        final TimeRange range,
        final TopView by,
        final String host,
        final int limit,
        final ResultTable table)
    {
        final double seconds = Math.max(1, range.seconds());
        if (by == TopView.hosts && null == host)
        {
            for (final HostTraffic row : reader.store().topHosts(agent, range.from(), range.to(), limit))
            {
                table.row(row.host(), row.bytes(), row.inBytes(), row.outBytes(), row.inPackets(), row.outPackets(),
                    row.bytes() * 8.0 / seconds);
            }
        }
        else if (by == TopView.hosts)
        {
            for (final Object[] row : reader.hostProtocols(agent, host, range.from(), range.to(), limit))
            {
                addMeasured(table, seconds, row, 1);
            }
        }
        else if (by == TopView.ports && null != host)
        {
            for (final PortTraffic row : reader.store().topPorts(agent, host, range.from(), range.to(), limit))
            {
                final int role = row.served() ? (row.refused() ? StatsRow.REFUSING : StatsRow.SERVER) : StatsRow.CLIENT;
                table.row(row.protocol(), row.port(), role(role), row.bytes(), row.inBytes(), row.outBytes(),
                    row.inPackets(), row.outPackets(), row.bytes() * 8.0 / seconds);
            }
        }
        else if (by == TopView.ports)
        {
            for (final Object[] row : reader.topPorts(agent, range.from(), range.to(), limit))
            {
                row[3] = role(((Number)row[3]).intValue());
                addMeasured(table, seconds, row, 4);
            }
        }
        else if (null != host)
        {
            for (final PeerTraffic row : reader.store().topPeers(agent, host, range.from(), range.to(), limit))
            {
                table.row(row.peer(), row.bytes(), row.inBytes(), row.outBytes(), row.inPackets(), row.outPackets(),
                    row.bytes() * 8.0 / seconds);
            }
        }
        else
        {
            for (final Object[] row : reader.topPeers(agent, range.from(), range.to(), limit))
            {
                addMeasured(table, seconds, row, 2);
            }
        }
    }

    /*
     * A row of `keys` key columns then in bytes, in packets, out bytes, out packets, as the SQL of StoreReader
     * returns them; the table wants the keys, total, in bytes, out bytes, in packets, out packets and rate.
     */
    private static void addMeasured(final ResultTable table, final double seconds, final Object[] row, final int keys)
    {
        final long inBytes = (Long)row[keys];
        final long inPackets = (Long)row[keys + 1];
        final long outBytes = (Long)row[keys + 2];
        final long outPackets = (Long)row[keys + 3];
        final Object[] values = new Object[keys + 6];
        System.arraycopy(row, 0, values, 0, keys);
        values[keys] = inBytes + outBytes;
        values[keys + 1] = inBytes;
        values[keys + 2] = outBytes;
        values[keys + 3] = inPackets;
        values[keys + 4] = outPackets;
        values[keys + 5] = (inBytes + outBytes) * 8.0 / seconds;
        table.row(values);
    }

    // a host's role for a port as the documents name it
    private static String role(final int role)
    {
        return StatsRow.CLIENT == role ? "client" : StatsRow.REFUSING == role ? "refused" : "server";
    }

    private static void fillHost(
        final StoreReader reader,
        final String agent,
        final TimeRange range,
        final long stepSeconds,
        final String host,
        final ResultTable table)
    {
        final Map<Instant, Long> seconds = rateSeconds(reader, agent, range, stepSeconds);
        for (final TrafficPoint point : reader.store().hostSeries(
            agent, host, range.from(), range.to(), Duration.ofSeconds(stepSeconds)))
        {
            table.row(point.start(), point.inBytes(), point.outBytes(), point.inPackets(), point.outPackets(),
                (point.inBytes() + point.outBytes()) * 8.0 / seconds.getOrDefault(point.start(), stepSeconds));
        }
    }

    private static void fillLink(
        final StoreReader reader,
        final String agent,
        final TimeRange range,
        final long stepSeconds,
        final ResultTable table)
    {
        final Map<Instant, Long> seconds = rateSeconds(reader, agent, range, stepSeconds);
        final Map<Instant, long[]> inOut = new TreeMap<>();
        for (final Object[] row : reader.linkInOut(agent, range.from(), range.to(), stepSeconds))
        {
            inOut.put(Instant.ofEpochSecond(((Number)row[0]).longValue()),
                new long[]{ (Long)row[1], (Long)row[2], (Long)row[3], (Long)row[4] });
        }

        for (final LinkPoint point : reader.store().linkSeries(
            agent, range.from(), range.to(), Duration.ofSeconds(stepSeconds)))
        {
            final long[] local = inOut.getOrDefault(point.start(), new long[4]);
            table.row(point.start(), point.packets(), point.bytes(), local[0], local[2], local[1], local[3],
                point.bytes() * 8.0 / seconds.getOrDefault(point.start(), stepSeconds), point.complete());
        }
    }

    private static Map<Instant, Long> rateSeconds(
        final StoreReader reader, final String agent, final TimeRange range, final long stepSeconds)
    {
        final Map<Instant, Long> seconds = new TreeMap<>();
        for (final Object[] row : reader.widestBuckets(agent, range.from(), range.to(), stepSeconds))
        {
            seconds.put(Instant.ofEpochSecond(((Number)row[0]).longValue()), Math.max(stepSeconds, (Long)row[1]));
        }
        return seconds;
    }

    /**
     * The step of a series.
     *
     * @param seconds          the width of a point in seconds.
     * @param requestedSeconds the step asked for, or the automatic one.
     * @param finestSeconds    the finest bucket stored in the range, 0 when unknown.
     */
    public record Step(long seconds, long requestedSeconds, long finestSeconds)
    {
        /**
         * Why the step is not the one asked for, for people.
         *
         * @param prefix what precedes the parameter's name: {@code "--"} for options, {@code ""} for the API.
         * @return the note, or null when the step is the one asked for.
         */
        public String note(final String prefix)
        {
            if (seconds == requestedSeconds)
            {
                return null;
            }

            return prefix + "step=" + Durations.format(Duration.ofSeconds(requestedSeconds)) + " rounded up to " +
                Durations.format(Duration.ofSeconds(seconds)) + ": steps are whole buckets, and the finest stored " +
                "in this range are " + Durations.format(Duration.ofSeconds(finestSeconds));
        }
    }
}
