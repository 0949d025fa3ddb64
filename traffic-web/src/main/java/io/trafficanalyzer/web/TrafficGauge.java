package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The gauges exported beside the {@link TrafficMetric} counters, read from the analyzer's sinks and the store's
 * files rather than from its counters: each sink's queue depth (labelled by the sink's position and type, never its
 * URI, which may carry a password) and the store's size on disk. {@code /metrics} and the Micrometer binder both
 * export exactly these.
 */
public enum TrafficGauge
{
    /** Buckets waiting for each sink. */
    SINK_QUEUE_DEPTH("traffic_sink_queue_depth", "",
        "Buckets waiting for a sink, including one being delivered or retried."),
    /** The store's database file and write-ahead log. */
    STORE_SIZE("traffic_store_size", "bytes", "Bytes of the store's database file and its write-ahead log.");

    /** The label of {@link #SINK_QUEUE_DEPTH} that holds the sink's position among the analyzer's sinks. */
    public static final String SINK_LABEL = "sink";
    /** The label of {@link #SINK_QUEUE_DEPTH} that holds the sink's type: its URI scheme or class name. */
    public static final String TYPE_LABEL = "type";

    private final String baseName;
    private final String unit;
    private final String help;

    TrafficGauge(final String baseName, final String unit, final String help)
    {
        this.baseName = baseName;
        this.unit = unit;
        this.help = help;
    }

    /**
     * The Prometheus name of the gauge: base name and unit.
     *
     * @return e.g. {@code traffic_store_size_bytes}.
     */
    public String prometheusName()
    {
        return baseName + (unit.isEmpty() ? "" : "_" + unit);
    }

    /**
     * The name without unit, dotted as Micrometer names meters, whose Prometheus registry adds the unit back.
     *
     * @return e.g. {@code traffic.store.size}.
     */
    public String meterName()
    {
        return baseName.replace('_', '.');
    }

    /**
     * The base unit, as Prometheus and Micrometer spell it.
     *
     * @return {@code bytes}, or empty for a plain count.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * What the gauge shows, one line.
     *
     * @return the help text.
     */
    public String help()
    {
        return help;
    }

    /**
     * The value of the {@link #TYPE_LABEL} of a sink: the scheme of the URI it was given by, or the simple name of
     * its class, so that a URI's path, host or credentials never reach a monitoring system.
     *
     * @param analyzer the analyzer.
     * @param index    the sink's position.
     * @return e.g. {@code sqlite} or {@code MySink}.
     */
    public static String sinkType(final TrafficAnalyzer analyzer, final int index)
    {
        final String name = analyzer.sinkName(index);
        final int colon = name.indexOf(':');
        if (colon > 0)
        {
            return name.substring(0, colon).toLowerCase(Locale.ROOT);
        }

        return name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
    }

    /**
     * The size of a store on disk: its database file and its write-ahead log; a file being replaced reads as 0.
     *
     * @param store the database file.
     * @return the bytes.
     */
    public static long storeSize(final Path store)
    {
        return size(store) + size(store.resolveSibling(store.getFileName() + "-wal"));
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
