package io.trafficanalyzer.core.view;

/**
 * Names a view and creates its {@link Aggregator}, one per shard. Providers listed in
 * {@code META-INF/services/io.trafficanalyzer.core.view.AggregatorProvider} can be chosen by view name in the
 * configuration; a provider instance can also be given directly.
 * <p>
 * Example, for the per-DSCP view of {@link Aggregator}:
 * <pre>{@code
 * public final class DscpAggregatorProvider implements AggregatorProvider
 * {
 *     public String view() { return "dscp"; }
 *     public Aggregator newAggregator(final AggregatorContext context) { return new DscpAggregator(context); }
 * }
 * }</pre>
 */
public interface AggregatorProvider
{
    /**
     * Name of the view, carried by every row the view writes ({@link io.trafficanalyzer.core.sink.StatsRow#view()}).
     *
     * @return the name, unique among the configured views.
     */
    String view();

    /**
     * Create the aggregator of one shard.
     *
     * @param context the shard and the limits the aggregator must respect.
     * @return a new aggregator.
     */
    Aggregator newAggregator(AggregatorContext context);
}
