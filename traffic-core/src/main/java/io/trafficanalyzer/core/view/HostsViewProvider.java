package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.StatsRow;

/**
 * The built-in {@code hosts} view: bytes and packets per local host and protocol.
 */
public final class HostsViewProvider implements AggregatorProvider
{
    /**
     * {@inheritDoc}
     */
    public String view()
    {
        return StatsRow.HOSTS;
    }

    /**
     * {@inheritDoc}
     */
    public Aggregator newAggregator(final AggregatorContext context)
    {
        return new HostsAggregator(context);
    }
}
