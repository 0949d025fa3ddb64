package io.trafficanalyzer.core.sink;

/**
 * Creates {@link StatsSink}s for the URIs of one scheme; found with {@link java.util.ServiceLoader}, so adding a
 * module that lists its provider in {@code META-INF/services/io.trafficanalyzer.core.sink.StatsSinkProvider}
 * adds its scheme.
 * <p>
 * Example, a provider of {@code print:} sinks:
 * <pre>{@code
 * public final class PrintSinkProvider implements StatsSinkProvider
 * {
 *     public String scheme() { return "print"; }
 *     public StatsSink newSink(final String uri) { return new PrintSink(); }
 * }
 * }</pre>
 */
public interface StatsSinkProvider
{
    /**
     * The URI scheme this provider serves, without the colon, e.g. {@code "sqlite"}.
     *
     * @return the scheme, lower case.
     */
    String scheme();

    /**
     * Create a sink for a URI of this provider's scheme.
     *
     * @param uri the whole URI, e.g. {@code "sqlite:/var/lib/traffic/stats.db"}.
     * @return a new sink.
     * @throws Exception when the URI is invalid or the sink cannot be opened; reported as a configuration error.
     */
    StatsSink newSink(String uri) throws Exception;
}
