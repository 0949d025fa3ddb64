package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;

/**
 * Serves {@code kafka://} sink URIs, e.g. {@code kafka://broker:9092/traffic.buckets.v1?compression.type=zstd},
 * found by {@link java.util.ServiceLoader} when this module is on the class path.
 */
public final class KafkaSinkProvider implements StatsSinkProvider
{
    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return KafkaSink.SCHEME;
    }

    /**
     * Make a sink for a URI; it connects at its first batch.
     *
     * @param uri {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?options]} (see {@link KafkaSink#fromUri}).
     * @return the sink.
     */
    public StatsSink newSink(final String uri)
    {
        return KafkaSink.fromUri(uri).build();
    }
}
