package io.trafficanalyzer.web.query;

import io.trafficanalyzer.sqlite.StoredAlert;
import io.trafficanalyzer.web.query.ResultTable.Kind;

import java.time.Instant;

/**
 * The alerts document of a store: the alerts raised and cleared in a range, newest first, as the web API serves
 * them (one row per state change of the {@code alert_history} view).
 */
public final class AlertDocuments
{
    private AlertDocuments()
    {
    }

    /**
     * The alerts whose state changed within a range of buckets: an alert's time is the end of the bucket that
     * changed it, so the range's buckets end in (from, to].
     *
     * @param reader the store.
     * @param range  the range, or null when the store holds no traffic yet.
     * @param limit  the most alerts to return.
     * @return the document.
     */
    public static ResultTable alerts(final StoreReader reader, final TimeRange range, final int limit)
    {
        final ResultTable table = new ResultTable(
            "Alerts in " + reader.path() + (null == range ? "" : ", " + range.describe()))
            .meta("db", reader.path().toString())
            .meta("from", null == range ? null : range.from())
            .meta("to", null == range ? null : range.to())
            .emptyNote(null == range ? "(the store holds no traffic yet)" : "(no alert in this range)")
            .column("time", "TIME", Kind.TIME)
            .column("agent", "AGENT", Kind.TEXT)
            .column("rule", "RULE", Kind.TEXT)
            .column("state", "STATE", Kind.TEXT)
            .column("subject", "SUBJECT", Kind.TEXT)
            .column("metric", "METRIC", Kind.TEXT)
            .column("direction", "DIRECTION", Kind.TEXT)
            .column("value", "VALUE", Kind.TEXT)
            .column("bound", "BOUND", Kind.TEXT)
            .column("unit", "UNIT", Kind.TEXT)
            .column("window_seconds", "WINDOW", Kind.INTEGER)
            .column("raised_at", "RAISED", Kind.TIME);

        if (null != range)
        {
            final Instant from = range.from().plusSeconds(1);
            final Instant to = range.to().plusSeconds(1);
            for (final StoredAlert alert : reader.store().alerts(from, to, limit))
            {
                table.row(alert.at(), alert.agent(), alert.rule(), alert.state(), alert.subject(), alert.metric(),
                    alert.direction(), alert.value(), alert.bound(), alert.unit(), alert.windowSeconds(),
                    alert.raisedAt());
            }
        }

        return table;
    }
}
