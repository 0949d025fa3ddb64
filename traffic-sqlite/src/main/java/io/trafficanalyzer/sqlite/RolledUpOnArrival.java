package io.trafficanalyzer.sqlite;

import java.time.Duration;
import java.time.Instant;

/**
 * Buckets that went straight into one granularity's rollups because they were older than the raw retention, counted
 * back from the store's newest bucket (e.g. a capture from last year replayed into a store of this year's).
 *
 * @param granularity  the rollups they went to: {@code minute}, {@code hour} or {@code day}.
 * @param buckets      how many buckets.
 * @param earliest     the start of the earliest of them.
 * @param latest       the start of the latest of them.
 * @param storeNow     the end of the store's newest bucket when the latest of them arrived, from which retention is
 *                     measured.
 * @param rawRetention how long raw buckets are kept.
 */
public record RolledUpOnArrival(
    String granularity,
    long buckets,
    Instant earliest,
    Instant latest,
    Instant storeNow,
    Duration rawRetention)
{
    /**
     * One line for a person, e.g. {@code 12 buckets from 2024-05-01T10:00:00Z to 2024-05-01T10:01:50Z went straight
     * to the day rollups: older than the raw retention (2 days) before the store's newest bucket
     * (2026-11-26T10:00:00Z)}.
     *
     * @return the line, without a line end.
     */
    public String summary()
    {
        return (buckets == 1 ? "1 bucket at " + earliest : buckets + " buckets from " + earliest + " to " + latest) +
            " went straight to the " + granularity + " rollups: older than the raw retention (" +
            RollupArrivals.describe(rawRetention) + ") before the store's newest bucket (" + storeNow + ")";
    }
}
