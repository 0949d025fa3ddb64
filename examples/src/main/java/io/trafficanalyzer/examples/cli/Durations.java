package io.trafficanalyzer.examples.cli;

import java.time.Duration;

/**
 * The tool's durations ({@code 10s}, {@code 5m}, {@code 1h}, {@code PT30S}), as
 * {@link io.trafficanalyzer.web.query.Durations} defines them once for the command line and the web API.
 */
final class Durations
{
    private Durations()
    {
    }

    static Duration parse(final String text)
    {
        return io.trafficanalyzer.web.query.Durations.parse(text);
    }

    static String format(final Duration duration)
    {
        return io.trafficanalyzer.web.query.Durations.format(duration);
    }

    static String describe(final Duration duration)
    {
        return io.trafficanalyzer.web.query.Durations.describe(duration);
    }
}
