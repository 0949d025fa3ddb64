package io.trafficanalyzer.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounters;
import io.trafficanalyzer.web.TrafficGauge;
import io.trafficanalyzer.web.TrafficMetric;

import java.nio.file.Path;

/**
 * Binds the analyzer's counters, its sinks' queue depths and, when given, its store's size to a Micrometer registry
 * as function counters and gauges read when the registry is scraped: nothing is recorded on the packet path. Names
 * follow {@link TrafficMetric} and {@link TrafficGauge}, so a Prometheus registry shows the same series as the
 * dashboard's {@code /metrics}, and no series carries a host.
 * <pre>{@code
 * new TrafficMeterBinder(analyzer, Path.of("/var/lib/traffic/traffic.db"), Tags.empty()).bindTo(registry);
 * }</pre>
 */
public final class TrafficMeterBinder implements MeterBinder
{
    private final TrafficAnalyzer analyzer;
    private final Path store;
    private final Tags tags;

    /**
     * A binder over one analyzer, without a store.
     *
     * @param analyzer the analyzer, built (started or not).
     */
    public TrafficMeterBinder(final TrafficAnalyzer analyzer)
    {
        this(analyzer, null, Tags.empty());
    }

    /**
     * A binder over one analyzer and the store it writes, with tags common to its meters (e.g. the capture
     * interface).
     *
     * @param analyzer the analyzer, built (started or not).
     * @param store    the store's database file, whose size to show; null for none.
     * @param tags     added to every meter.
     */
    public TrafficMeterBinder(final TrafficAnalyzer analyzer, final Path store, final Iterable<Tag> tags)
    {
        this.analyzer = analyzer;
        this.store = store;
        this.tags = Tags.of(tags);
    }

    /**
     * Register a meter per {@link TrafficMetric}, one per sink for {@link TrafficGauge#SINK_QUEUE_DEPTH}, and one for
     * {@link TrafficGauge#STORE_SIZE} when a store was given.
     *
     * @param registry the registry.
     */
    public void bindTo(final MeterRegistry registry)
    {
        final TrafficCounters counters = analyzer.counters();
        for (int i = 0; i < TrafficMetric.count(); i++)
        {
            final TrafficMetric metric = TrafficMetric.get(i);
            final Tags meterTags =
                null == metric.labelName() ? tags : tags.and(metric.labelName(), metric.labelValue());
            final String unit = metric.unit().isEmpty() ? null : metric.unit();
            if (metric.isCounter())
            {
                FunctionCounter.builder(metric.meterName(), counters, metric::read)
                    .description(metric.help())
                    .baseUnit(unit)
                    .tags(meterTags)
                    .register(registry);
            }
            else
            {
                Gauge.builder(metric.meterName(), counters, metric::read)
                    .description(metric.help())
                    .baseUnit(unit)
                    .tags(meterTags)
                    .register(registry);
            }
        }

        final TrafficGauge depth = TrafficGauge.SINK_QUEUE_DEPTH;
        for (int i = 0; i < analyzer.sinkCount(); i++)
        {
            final int sink = i;
            Gauge.builder(depth.meterName(), analyzer, (a) -> a.sinkQueueDepth(sink))
                .description(depth.help())
                .tags(tags.and(TrafficGauge.SINK_LABEL, Integer.toString(sink))
                    .and(TrafficGauge.TYPE_LABEL, TrafficGauge.sinkType(analyzer, sink)))
                .register(registry);
        }

        if (null != store)
        {
            final TrafficGauge size = TrafficGauge.STORE_SIZE;
            // a Path has no owner that keeps it alive, unlike the analyzer: held strongly, or the gauge reads NaN
            Gauge.builder(size.meterName(), store, TrafficGauge::storeSize)
                .description(size.help())
                .baseUnit(size.unit())
                .tags(tags)
                .strongReference(true)
                .register(registry);
        }
    }
}
