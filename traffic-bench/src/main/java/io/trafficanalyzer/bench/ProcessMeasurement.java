package io.trafficanalyzer.bench;

import java.util.List;

/**
 * What one run of a program cost, as a whole process: wall time measured by the harness around the process,
 * CPU time and peak resident set size as {@code /usr/bin/time -v} reports them (for a program that forks, such
 * as pmacctd, the CPU of the children it waited for is included and the peak RSS is that of its largest process).
 */
final class ProcessMeasurement
{
    final String run;
    final long packets;
    final long wallNs;
    final double userSeconds;
    final double systemSeconds;
    final long maxRssKb;
    final int exitStatus;
    long inProcessNs;

    ProcessMeasurement(
        final String run,
        final long packets,
        final long wallNs,
        final double userSeconds,
        final double systemSeconds,
        final long maxRssKb,
        final int exitStatus)
    {
        this.run = run;
        this.packets = packets;
        this.wallNs = wallNs;
        this.userSeconds = userSeconds;
        this.systemSeconds = systemSeconds;
        this.maxRssKb = maxRssKb;
        this.exitStatus = exitStatus;
    }

    /*
     * Read the report of GNU time's -v option.
     */
    static ProcessMeasurement parse(final String run, final long packets, final long wallNs, final String report)
    {
        double user = Double.NaN;
        double system = Double.NaN;
        long rss = -1;
        int exit = -1;
        for (final String line : report.split("\n"))
        {
            final String trimmed = line.trim();
            final int colon = trimmed.lastIndexOf(": ");
            if (colon < 0)
            {
                continue;
            }
            final String value = trimmed.substring(colon + 2).trim();
            if (trimmed.startsWith("User time (seconds)"))
            {
                user = Double.parseDouble(value);
            }
            else if (trimmed.startsWith("System time (seconds)"))
            {
                system = Double.parseDouble(value);
            }
            else if (trimmed.startsWith("Maximum resident set size (kbytes)"))
            {
                rss = Long.parseLong(value);
            }
            else if (trimmed.startsWith("Exit status"))
            {
                exit = Integer.parseInt(value);
            }
        }
        if (Double.isNaN(user) || Double.isNaN(system) || rss < 0 || exit < 0)
        {
            throw new IllegalArgumentException("not a report of /usr/bin/time -v:\n" + report);
        }

        return new ProcessMeasurement(run, packets, wallNs, user, system, rss, exit);
    }

    double cpuSeconds()
    {
        return userSeconds + systemSeconds;
    }

    double packetsPerSecond()
    {
        return packets * 1e9 / wallNs;
    }

    double inProcessPacketsPerSecond()
    {
        return 0 == inProcessNs ? Double.NaN : packets * 1e9 / inProcessNs;
    }

    double cpuNanosPerPacket()
    {
        return cpuSeconds() * 1e9 / packets;
    }

    double maxRssMiB()
    {
        return maxRssKb / 1024.0;
    }

    /*
     * The run of median wall time among repeats, with the largest peak RSS of them all: a run's memory high-water
     * mark does not average away.
     */
    static ProcessMeasurement median(final List<ProcessMeasurement> runs)
    {
        final List<ProcessMeasurement> sorted = runs.stream()
            .sorted((a, b) -> Long.compare(a.wallNs, b.wallNs)).toList();
        final ProcessMeasurement median = sorted.get((sorted.size() - 1) / 2);
        final long rss = runs.stream().mapToLong((m) -> m.maxRssKb).max().orElse(median.maxRssKb);
        final ProcessMeasurement result = new ProcessMeasurement(median.run, median.packets, median.wallNs,
            median.userSeconds, median.systemSeconds, rss, median.exitStatus);
        result.inProcessNs = median.inProcessNs;
        return result;
    }
}
