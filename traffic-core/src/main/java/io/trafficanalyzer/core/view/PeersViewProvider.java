package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.StatsRow;

/**
 * The built-in {@code peers} view: bytes and packets per local host, remote peer and protocol.
 */
public final class PeersViewProvider implements AggregatorProvider
{
    /**
     * {@inheritDoc}
     */
    public String view()
    {
        return StatsRow.PEERS;
    }

    /**
     * {@inheritDoc}
     */
    public Aggregator newAggregator(final AggregatorContext context)
    {
        return new PeersAggregator(context);
    }
}
