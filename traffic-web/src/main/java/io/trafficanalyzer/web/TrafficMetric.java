package io.trafficanalyzer.web;

import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;

/**
 * The analyzer's counters as monitoring systems name them: one descriptor per exported time series, with its
 * Prometheus name ({@code traffic_..._total} for counters, base units), an optional label of bounded values, and the
 * counter it reads. {@code /metrics} and the Micrometer binder both export exactly these, never per-host series.
 */
public enum TrafficMetric
{
    /** Frames read from the source. */
    FRAMES("traffic_frames", "", true, "Frames read from the source, whatever became of them.", null, null,
        TrafficCounter.FRAMES),
    /** Decoded IP packets. */
    PACKETS("traffic_packets", "", true, "Decoded IP packets aggregated or counted as transit.", null, null,
        TrafficCounter.PACKETS),
    /** Bytes of those packets. */
    BYTES("traffic", "bytes", true, "IP bytes of the decoded packets.", null, null, TrafficCounter.BYTES),
    /** Frames without an IP packet. */
    NON_IP("traffic_non_ip_frames", "", true, "Well-formed frames that carry no IP packet.", null, null,
        TrafficCounter.NON_IP),
    /** Malformed frames: unknown link type. */
    MALFORMED_UNSUPPORTED_LINK_TYPE("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "unsupported_link_type", TrafficCounter.MALFORMED_UNSUPPORTED_LINK_TYPE),
    /** Malformed frames: truncated link header. */
    MALFORMED_TRUNCATED_LINK_HEADER("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "truncated_link_header", TrafficCounter.MALFORMED_TRUNCATED_LINK_HEADER),
    /** Malformed frames: bad IP version. */
    MALFORMED_BAD_IP_VERSION("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "bad_ip_version", TrafficCounter.MALFORMED_BAD_IP_VERSION),
    /** Malformed frames: bad IP header length. */
    MALFORMED_BAD_IP_HEADER_LENGTH("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "bad_ip_header_length", TrafficCounter.MALFORMED_BAD_IP_HEADER_LENGTH),
    /** Malformed frames: truncated IP header. */
    MALFORMED_TRUNCATED_IP_HEADER("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "truncated_ip_header", TrafficCounter.MALFORMED_TRUNCATED_IP_HEADER),
    /** Malformed frames: truncated IPv6 extension header. */
    MALFORMED_TRUNCATED_EXTENSION_HEADER("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "truncated_extension_header", TrafficCounter.MALFORMED_TRUNCATED_EXTENSION_HEADER),
    /** Malformed frames: truncated transport header. */
    MALFORMED_TRUNCATED_TRANSPORT_HEADER("traffic_malformed_frames", "", true, Help.MALFORMED, "reason",
        "truncated_transport_header", TrafficCounter.MALFORMED_TRUNCATED_TRANSPORT_HEADER),
    /** Packets between two remote hosts. */
    TRANSIT_PACKETS("traffic_transit_packets", "", true, "IP packets between two remote hosts.", null, null,
        TrafficCounter.TRANSIT_PACKETS),
    /** Packets dropped because a ring buffer was full. */
    RING_DROPS("traffic_dropped_frames", "", true, Help.DROPPED, "stage", "ring_buffer", TrafficCounter.RING_DROPS),
    /** Frames the kernel or capture mechanism dropped. */
    KERNEL_DROPS("traffic_dropped_frames", "", true, Help.DROPPED, "stage", "kernel", TrafficCounter.KERNEL_DROPS),
    /** Packets that arrived after their bucket was sealed. */
    LATE_PACKETS("traffic_late_packets", "", true, "Packets that arrived after their bucket was sealed.", null, null,
        TrafficCounter.LATE_PACKETS),
    /** Packets folded into a host's "other" row. */
    FOLDED("traffic_folded_packets", "", true,
        "Packet records folded into an 'other' row because a view reached its key limit.", null, null,
        TrafficCounter.FOLDED),
    /** Buckets sealed. */
    BUCKETS_SEALED("traffic_buckets_sealed", "", true, "Buckets sealed and merged across shards.", null, null,
        TrafficCounter.BUCKETS_SEALED),
    /** Batches handed to the sinks. */
    BATCHES_FLUSHED("traffic_sink_batches_flushed", "", true, "Batches handed to the sinks (one per bucket and sink).",
        null, null, TrafficCounter.BATCHES_FLUSHED),
    /** Batches a sink stored. */
    BATCHES_DELIVERED("traffic_sink_batches_stored", "", true, "Batches a sink committed.", null, null,
        TrafficCounter.BATCHES_DELIVERED),
    /** Failed deliveries to a sink. */
    SINK_FAILURES("traffic_sink_failures", "", true, "Failed deliveries of a batch to a sink (each is retried).",
        null, null, TrafficCounter.SINK_FAILURES),
    /** Pending batches merged because a sink's queue was full. */
    SINK_MERGES("traffic_sink_batches_merged", "", true,
        "Pending batches merged into a coarser one because a sink's queue was full.", null, null,
        TrafficCounter.SINK_MERGES),
    /** Batches a sink never received. */
    SINK_DROPS("traffic_sink_batches_lost", "", true, "Batches a sink never received (lost buckets).", null, null,
        TrafficCounter.SINK_DROPS),
    /** The latest flush lag. */
    FLUSH_LAG("traffic_flush_lag", "seconds", false,
        "Time from the decision to seal the latest bucket to its hand-off to the sinks.", null, null,
        TrafficCounter.FLUSH_LAG_NS),
    /** Errors reported to the error handler. */
    ERRORS("traffic_errors", "", true, "Errors reported to the error handler.", null, null, TrafficCounter.ERRORS),
    /** Alerts raised. */
    ALERTS_RAISED("traffic_alerts", "", true, Help.ALERTS, "state", "raised", TrafficCounter.ALERTS_RAISED),
    /** Alerts cleared. */
    ALERTS_CLEARED("traffic_alerts", "", true, Help.ALERTS, "state", "cleared", TrafficCounter.ALERTS_CLEARED),
    /** Raises held back for the repeat interval. */
    ALERTS_SUPPRESSED("traffic_alerts", "", true, Help.ALERTS, "state", "suppressed",
        TrafficCounter.ALERTS_SUPPRESSED),
    /** Failed attempts of an alert action. */
    ALERT_ACTION_FAILURES("traffic_alert_action_failures", "", true,
        "Alert actions that failed or timed out (each is retried with back-off).", null, null,
        TrafficCounter.ALERT_ACTION_FAILURES),
    /** Alerts an action never completed. */
    ALERT_ACTION_DROPS("traffic_alert_action_drops", "", true,
        "Alerts an action never completed: its queue was full, its retries ran out, or it was closed first.", null,
        null, TrafficCounter.ALERT_ACTION_DROPS);

    private static final TrafficMetric[] VALUES = values();

    private final String baseName;
    private final String unit;
    private final boolean counter;
    private final String help;
    private final String labelName;
    private final String labelValue;
    private final TrafficCounter source;

    TrafficMetric(
        final String baseName,
        final String unit,
        final boolean counter,
        final String help,
        final String labelName,
        final String labelValue,
        final TrafficCounter source)
    {
        this.baseName = baseName;
        this.unit = unit;
        this.counter = counter;
        this.help = help;
        this.labelName = labelName;
        this.labelValue = labelValue;
        this.source = source;
    }

    /**
     * The Prometheus name of the series: base name, unit, and {@code _total} for a counter.
     *
     * @return e.g. {@code traffic_bytes_total}.
     */
    public String prometheusName()
    {
        return baseName + (unit.isEmpty() ? "" : "_" + unit) + (counter ? "_total" : "");
    }

    /**
     * The name without unit or {@code _total}, dotted as Micrometer names meters, whose Prometheus registry adds
     * the unit and suffix back.
     *
     * @return e.g. {@code traffic.frames}.
     */
    public String meterName()
    {
        return baseName.replace('_', '.');
    }

    /**
     * The base unit, as Prometheus and Micrometer spell it.
     *
     * @return {@code bytes}, {@code seconds}, or empty for a plain count.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * Whether the series only grows (a counter) rather than being a latest value (a gauge).
     *
     * @return true for a counter.
     */
    public boolean isCounter()
    {
        return counter;
    }

    /**
     * What the series counts, one line.
     *
     * @return the help text.
     */
    public String help()
    {
        return help;
    }

    /**
     * The name of the series' one label, of a few fixed values.
     *
     * @return the label name, or null when the series has none.
     */
    public String labelName()
    {
        return labelName;
    }

    /**
     * The value of the series' label.
     *
     * @return the label value, or null when the series has none.
     */
    public String labelValue()
    {
        return labelValue;
    }

    /**
     * The analyzer's counter the series reads.
     *
     * @return the counter.
     */
    public TrafficCounter source()
    {
        return source;
    }

    /**
     * The series' current value from the counters, in its base unit.
     *
     * @param counters the analyzer's counters.
     * @return the value.
     */
    public double read(final TrafficCounters counters)
    {
        final long value = counters.get(source);
        return source == TrafficCounter.FLUSH_LAG_NS ? value / 1e9 : value;
    }

    /**
     * The metric by ordinal without allocating a values array.
     *
     * @param ordinal the ordinal.
     * @return the metric.
     */
    public static TrafficMetric get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * Number of metrics.
     *
     * @return the count of constants.
     */
    public static int count()
    {
        return VALUES.length;
    }

    private static final class Help
    {
        static final String MALFORMED = "Malformed frames skipped, by reason.";
        static final String DROPPED = "Frames dropped before aggregation, by where they were dropped.";
        static final String ALERTS = "Alert state changes of the alert rules: raised, cleared, and raises held back " +
            "by the repeat interval.";
    }
}
