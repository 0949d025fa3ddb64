package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;

/**
 * Serves {@code sqlite:} sink URIs, e.g. {@code sqlite:/var/lib/traffic/stats.db}, found by
 * {@link java.util.ServiceLoader} when this module is on the class path.
 */
public final class SqliteSinkProvider implements StatsSinkProvider
{
    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return SqliteSink.SCHEME;
    }

    /**
     * Open the store a URI names, creating it when missing.
     *
     * @param uri {@code sqlite:} and a path, with optional query parameters (see {@link SqliteSink#fromUri}).
     * @return the sink.
     */
    public StatsSink newSink(final String uri)
    {
        return SqliteSink.fromUri(uri).build();
    }
}
