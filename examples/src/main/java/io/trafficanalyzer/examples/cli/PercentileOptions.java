package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.query.PercentileDocument;
import io.trafficanalyzer.web.query.PercentileQuery;
import io.trafficanalyzer.web.query.QueryException;
import io.trafficanalyzer.web.query.ResultTable;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The options of {@code report --percentile}: the percentile of the 5-minute rates over a calendar or billing month,
 * a duration or a range, instead of the time series; the document is the web API's {@code /api/percentile}.
 */
final class PercentileOptions
{
    @Option(names = "--percentile", paramLabel = "P",
        description = "Instead of the series: the P-th percentile (95, 99.9) of the 5-minute bit rates in, out and " +
        "max(in, out) over the period, by the nearest-rank method, with the sample count and the peak. Every " +
        "5-minute interval of UTC time the store covers within the period is a sample; one without traffic is 0.")
    String percentile;

    @Option(names = "--period", paramLabel = "PERIOD",
        description = "With --percentile: month (the calendar month, UTC, holding the newest stored bucket), a month " +
        "(2026-11), or a duration back from the newest stored bucket (P30D, 7d). Default: month, or --from/--to.")
    String period;

    @Option(names = "--billing-day", paramLabel = "D",
        description = "With --percentile and a month: months run from day D (1-28) at 00:00 UTC to day D of the " +
        "next month. Default: 1, the calendar month.")
    Integer billingDay;

    /*
     * Whether the percentile document is asked for; the percentile's options without --percentile are an error,
     * not silently ignored.
     */
    boolean requested()
    {
        if (null == percentile && (null != period || null != billingDay))
        {
            throw CliException.usage((null != period ? "--period=" + period : "--billing-day=" + billingDay) +
                ": applies to --percentile only");
        }
        return null != percentile;
    }

    /*
     * Print the percentile document of report's store, agent, host and range.
     */
    void print(final ReportCommand report, final Duration step, final CommandContext context)
    {
        if (null != step)
        {
            throw CliException.usage("--step cannot be combined with --percentile: its samples are 5-minute intervals");
        }
        final RangeOptions range = report.range;
        final PercentileQuery query;
        try
        {
            query = PercentileQuery.of(percentile, period, billingDay, range.last, range.from, range.to, "--");
        }
        catch (final QueryException ex)
        {
            throw CliException.usage(ex.getMessage(), ex);
        }
        final ResultTable table = StoreQueries.read(report.db.path(), reader ->
        {
            reader.checkAgent(report.agent, "--");
            return PercentileDocument.percentile(reader, report.agent, query, report.host);
        });
        table.print(report.format, context.out());
    }
}
