package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.query.StoreReader;
import io.trafficanalyzer.web.query.TimeRange;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;

/**
 * The time range options of the query commands. {@code --last} counts back from the end of the newest bucket in
 * the store, not from the wall clock, so that a replayed capture from last year answers {@code --last 1h} with its
 * own last hour; on a store a capture is writing, the two are the same within a bucket.
 */
final class RangeOptions
{
    @Option(names = "--last", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "The last DURATION of stored traffic (10s, 5m, 1h, 2d), counted back from the end of the " +
        "newest bucket in the store. Default: everything stored.")
    Duration last;

    @Option(names = "--from", paramLabel = "TIME", converter = Converters.TimeConverter.class,
        description = "Start of the range, inclusive, ISO-8601 (2024-05-01T10:00:00Z; no offset means UTC). " +
        "Default: the first stored bucket.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = Converters.TimeConverter.class,
        description = "End of the range, exclusive, ISO-8601. Default: the end of the newest stored bucket.")
    Instant to;

    /**
     * The range [from, to) to query: buckets whose start lies in it.
     *
     * @param span what the store holds.
     * @return the range.
     */
    TimeRange resolve(final StoreReader.Span span)
    {
        return TimeRange.resolve(span, last, from, to, "--");
    }
}
