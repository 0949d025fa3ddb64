package io.trafficanalyzer.examples.cli;

/**
 * Human-readable byte counts, bit rates and counts for the tool's messages: the units of the tables, which
 * {@link io.trafficanalyzer.web.query.HumanUnits} defines once for the command line and the dashboard.
 */
final class HumanUnits
{
    private HumanUnits()
    {
    }

    static String bytes(final long bytes)
    {
        return io.trafficanalyzer.web.query.HumanUnits.bytes(bytes);
    }

    static String bitRate(final double bitsPerSecond)
    {
        return io.trafficanalyzer.web.query.HumanUnits.bitRate(bitsPerSecond);
    }

    static String count(final long count)
    {
        return io.trafficanalyzer.web.query.HumanUnits.count(count);
    }
}
