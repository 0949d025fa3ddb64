package io.trafficanalyzer.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.trafficanalyzer.core.status.TrafficCounters;
import io.trafficanalyzer.web.TrafficMetric;

/**
 * Binds the analyzer's counters to a Micrometer registry as function counters and gauges read when the registry
 * is scraped: nothing is recorded on the packet path. Names follow {@link TrafficMetric}, so a Prometheus registry
 * shows the same series as the dashboard's {@code /metrics}, and no series carries a host.
 * <pre>{@code
 * new TrafficMeterBinder(analyzer.counters()).bindTo(registry);
 * }</pre>
 */
public final class TrafficMeterBinder implements MeterBinder
{
    private final TrafficCounters counters;
    private final Tags tags;

    /**
     * A binder over the counters of one analyzer.
     *
     * @param counters the analyzer's counters, {@code TrafficAnalyzer.counters()}.
     */
    public TrafficMeterBinder(final TrafficCounters counters)
    {
        this(counters, Tags.empty());
    }

    /**
     * A binder over the counters of one analyzer, with tags common to its meters (e.g. the capture interface).
     *
     * @param counters the analyzer's counters.
     * @param tags     added to every meter.
     */
    public TrafficMeterBinder(final TrafficCounters counters, final Iterable<Tag> tags)
    {
        this.counters = counters;
        this.tags = Tags.of(tags);
    }

    /**
     * Register a meter per {@link TrafficMetric}.
     *
     * @param registry the registry.
     */
    public void bindTo(final MeterRegistry registry)
    {
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
    }
}
