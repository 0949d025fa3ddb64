package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounters;

import java.nio.file.Path;

/**
 * Writes the analyzer's {@link TrafficMetric}s and {@link TrafficGauge}s in the Prometheus text exposition format,
 * version 0.0.4: a {@code # HELP} and {@code # TYPE} line per family, then its samples.
 */
final class PrometheusText
{
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText()
    {
    }

    /*
     * analyzer and store may each be null: a server over a store alone has no counters, a live view alone no store.
     */
    static String write(final TrafficAnalyzer analyzer, final Path store)
    {
        final StringBuilder sb = new StringBuilder(4096);
        if (null != analyzer)
        {
            final TrafficCounters counters = analyzer.counters();
            String family = null;
            for (int i = 0; i < TrafficMetric.count(); i++)
            {
                final TrafficMetric metric = TrafficMetric.get(i);
                final String name = metric.prometheusName();
                if (!name.equals(family))
                {
                    family = name;
                    header(sb, name, metric.help(), metric.isCounter() ? "counter" : "gauge");
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

            final int sinks = analyzer.sinkCount();
            if (sinks > 0)
            {
                final TrafficGauge depth = TrafficGauge.SINK_QUEUE_DEPTH;
                header(sb, depth.prometheusName(), depth.help(), "gauge");
                for (int i = 0; i < sinks; i++)
                {
                    sb.append(depth.prometheusName()).append('{')
                        .append(TrafficGauge.SINK_LABEL).append("=\"").append(i).append("\",")
                        .append(TrafficGauge.TYPE_LABEL).append("=\"");
                    appendLabelValue(sb, TrafficGauge.sinkType(analyzer, i));
                    sb.append("\"} ").append(analyzer.sinkQueueDepth(i)).append('\n');
                }
            }
        }

        if (null != store)
        {
            final TrafficGauge size = TrafficGauge.STORE_SIZE;
            header(sb, size.prometheusName(), size.help(), "gauge");
            sb.append(size.prometheusName()).append(' ').append(TrafficGauge.storeSize(store)).append('\n');
        }

        return sb.toString();
    }

    private static void header(final StringBuilder sb, final String name, final String help, final String type)
    {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    // the exposition format's escapes within a label value; a sink's class name needs none, but a scheme is text
    private static void appendLabelValue(final StringBuilder sb, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if ('\\' == c || '"' == c)
            {
                sb.append('\\').append(c);
            }
            else if ('\n' == c)
            {
                sb.append("\\n");
            }
            else
            {
                sb.append(c);
            }
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
