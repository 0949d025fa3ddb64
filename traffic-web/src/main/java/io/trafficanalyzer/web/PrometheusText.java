package io.trafficanalyzer.web;

import io.trafficanalyzer.core.status.TrafficCounters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the analyzer's {@link TrafficMetric}s and the store's size in the Prometheus text exposition format,
 * version 0.0.4: a {@code # HELP} and {@code # TYPE} line per family, then its samples.
 */
final class PrometheusText
{
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String STORE_SIZE = "traffic_store_size_bytes";

    private PrometheusText()
    {
    }

    /*
     * counters and store may each be null: a server over a store alone has no counters, a live view alone no store.
     */
    static String write(final TrafficCounters counters, final Path store)
    {
        final StringBuilder sb = new StringBuilder(4096);
        if (null != counters)
        {
            String family = null;
            for (int i = 0; i < TrafficMetric.count(); i++)
            {
                final TrafficMetric metric = TrafficMetric.get(i);
                final String name = metric.prometheusName();
                if (!name.equals(family))
                {
                    family = name;
                    sb.append("# HELP ").append(name).append(' ').append(metric.help()).append('\n');
                    sb.append("# TYPE ").append(name).append(' ').append(metric.isCounter() ? "counter" : "gauge")
                        .append('\n');
                }
                sb.append(name);
                if (null != metric.labelName())
                {
                    sb.append('{').append(metric.labelName()).append("=\"").append(metric.labelValue()).append("\"}");
                }
                sb.append(' ');
                appendValue(sb, metric.read(counters));
                sb.append('\n');
            }
        }

        if (null != store)
        {
            sb.append("# HELP ").append(STORE_SIZE)
                .append(" Bytes of the store's database file and its write-ahead log.\n");
            sb.append("# TYPE ").append(STORE_SIZE).append(" gauge\n");
            sb.append(STORE_SIZE).append(' ').append(storeSize(store)).append('\n');
        }

        return sb.toString();
    }

    /*
     * The database file and its WAL: what the store takes on disk; a file being replaced reads as 0.
     */
    static long storeSize(final Path store)
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

    private static void appendValue(final StringBuilder sb, final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            sb.append((long)value);
        }
        else
        {
            sb.append(value);
        }
    }
}
