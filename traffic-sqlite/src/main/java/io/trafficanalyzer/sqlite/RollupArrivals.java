package io.trafficanalyzer.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts, per granularity, the batches stored straight into rollups because their raw period was already pruned:
 * written by the sink's delivery thread, read as an immutable snapshot from any thread.
 */
final class RollupArrivals
{
    private final Duration rawRetention;
    private final long[] counts = new long[History.LEVELS];
    private final long[] earliest = new long[History.LEVELS];
    private final long[] latest = new long[History.LEVELS];
    private final long[] storeNow = new long[History.LEVELS];
    private volatile List<RolledUpOnArrival> snapshot = List.of();

    RollupArrivals(final Duration rawRetention)
    {
        this.rawRetention = rawRetention;
    }

    Duration rawRetention()
    {
        return rawRetention;
    }

    /*
     * A batch starting at start went to a level's rollups, the store's now being now; true when it is the first of
     * that level.
     */
    boolean add(final int level, final long start, final long now)
    {
        final boolean first = counts[level] == 0;
        earliest[level] = first ? start : Math.min(earliest[level], start);
        latest[level] = first ? start : Math.max(latest[level], start);
        storeNow[level] = now;
        counts[level]++;

        final List<RolledUpOnArrival> levels = new ArrayList<>();
        for (int l = 1; l < History.LEVELS; l++)
        {
            if (counts[l] > 0)
            {
                levels.add(new RolledUpOnArrival(History.LEVEL_NAMES[l], counts[l], Instant.ofEpochSecond(earliest[l]),
                    Instant.ofEpochSecond(latest[l]), Instant.ofEpochSecond(storeNow[l]), rawRetention));
            }
        }
        snapshot = List.copyOf(levels);

        return first;
    }

    List<RolledUpOnArrival> snapshot()
    {
        return snapshot;
    }

    /*
     * A retention as a person reads it: "2 days", "6 hours", "90 minutes", "forever", else ISO-8601.
     */
    static String describe(final Duration duration)
    {
        if (duration.compareTo(Duration.ofSeconds(Long.MAX_VALUE / 2)) >= 0)
        {
            return "forever";
        }
        final long seconds = duration.getSeconds();
        if (duration.getNano() == 0 && seconds > 0)
        {
            if (seconds % 86_400 == 0)
            {
                return plural(seconds / 86_400, "day");
            }
            if (seconds % 3_600 == 0)
            {
                return plural(seconds / 3_600, "hour");
            }
            if (seconds % 60 == 0)
            {
                return plural(seconds / 60, "minute");
            }
        }
        return duration.toString();
    }

    private static String plural(final long count, final String unit)
    {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
