package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;

import io.trafficanalyzer.sqlite.RolledUpOnArrival;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The summary printed at the end of {@code replay} and {@code capture}, from the analyzer's counters: one figure
 * per line, the raw number first so that scripts can read it.
 */
final class RunSummary
{
    private RunSummary()
    {
    }

    static void print(
        final PrintWriter out,
        final String headline,
        final List<String> details,
        final TrafficCounters counters,
        final Outputs outputs,
        final long elapsedNs)
    {
        final double seconds = Math.max(elapsedNs, 1) / 1e9;
        final long packets = counters.get(TrafficCounter.PACKETS);
        final long bytes = counters.get(TrafficCounter.BYTES);

        out.println(headline);
        for (final String detail : details)
        {
            out.println("  " + detail);
        }
        line(out, "frames", counters.get(TrafficCounter.FRAMES), "");
        line(out, "IP packets", packets, "");
        line(out, "bytes", bytes, HumanUnits.bytes(bytes));
        line(out, "non-IP", counters.get(TrafficCounter.NON_IP), "");
        line(out, "malformed", counters.get(TrafficCounter.MALFORMED), "");
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            final TrafficCounter counter = TrafficCounter.malformed(outcome);
            if (null != counter && counters.get(counter) > 0)
            {
                line(out, "  " + outcome.label(), counters.get(counter), "");
            }
        }
        line(out, "transit", counters.get(TrafficCounter.TRANSIT_PACKETS), "packets between two remote hosts");
        line(out, "late", counters.get(TrafficCounter.LATE_PACKETS),
            "packets after their bucket was sealed, added to it");
        optional(out, "ring drops", counters.get(TrafficCounter.RING_DROPS), "the pipeline fell behind");
        optional(out, "kernel drops", counters.get(TrafficCounter.KERNEL_DROPS), "the capture buffer overflowed");
        optional(out, "folded keys", counters.get(TrafficCounter.FOLDED), "into a host's 'other' row");
        line(out, "buckets", counters.get(TrafficCounter.BUCKETS_SEALED), "");
        outputs.printFigures(out);
        optional(out, "buckets lost", counters.get(TrafficCounter.SINK_DROPS), "the store could not take them");
        optional(out, "errors", counters.get(TrafficCounter.ERRORS), "reported on stderr");
        out.printf(Locale.ROOT, "  %-14s %.3f s%n", "elapsed", seconds);
        final long perSecond = Math.round(packets / seconds);
        line(out, "packets/s", perSecond, HumanUnits.bitRate(bytes * 8 / seconds));
        out.flush();
    }

    private static void optional(final PrintWriter out, final String label, final long value, final String note)
    {
        if (value != 0)
        {
            line(out, label, value, note);
        }
    }

    static void line(final PrintWriter out, final String label, final long value, final String note)
    {
        out.printf(Locale.ROOT, "  %-14s %d%s%n", label, value, note.isEmpty() ? "" : "  (" + note + ")");
    }

    /*
     * One line per granularity that took buckets straight into its rollups, and how to keep such buckets raw: a
     * longer raw retention, counted from the store's newest bucket, that reaches back to the oldest of them.
     */
    static void printRollupNotes(final PrintWriter out, final SqliteSink sink)
    {
        for (final RolledUpOnArrival rolled : sink.rolledUpOnArrival())
        {
            final long days = Duration.between(rolled.earliest(), rolled.storeNow()).toDays() + 1;
            out.println("note: " + rolled.summary() + ". To keep such buckets raw, give the store a longer raw " +
                "retention, e.g. --db 'sqlite:" + sink.path() + "?raw=P" + days + "D'");
        }
        out.flush();
    }
}
