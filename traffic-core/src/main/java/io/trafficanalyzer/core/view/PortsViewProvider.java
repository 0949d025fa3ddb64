package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.StatsRow;

/**
 * The built-in {@code ports} view: bytes and packets per local host, protocol, service port and side (served or
 * client), for the TCP and UDP packets that carry ports.
 */
public final class PortsViewProvider implements AggregatorProvider
{
    /**
     * {@inheritDoc}
     */
    public String view()
    {
        return StatsRow.PORTS;
    }

    /**
     * {@inheritDoc}
     */
    public Aggregator newAggregator(final AggregatorContext context)
    {
        return new PortsAggregator(context);
    }
}
