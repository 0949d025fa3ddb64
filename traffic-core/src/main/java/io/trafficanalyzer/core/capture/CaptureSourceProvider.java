package io.trafficanalyzer.core.capture;

/**
 * Creates {@link CaptureSource}s for the URIs of one scheme; found with {@link java.util.ServiceLoader}, so adding
 * a module that lists its provider in
 * {@code META-INF/services/io.trafficanalyzer.core.capture.CaptureSourceProvider} adds its scheme
 * (core serves {@code file:}, traffic-pcap e.g. {@code pcap:}).
 * <p>
 * Example, a provider of {@code memory:} sources:
 * <pre>{@code
 * public final class MemorySourceProvider implements CaptureSourceProvider
 * {
 *     public String scheme() { return "memory"; }
 *     public CaptureSource newSource(final String uri) { return new MemorySource(uri.substring(7)); }
 * }
 * }</pre>
 */
public interface CaptureSourceProvider
{
    /**
     * The URI scheme this provider serves, without the colon, e.g. {@code "file"}.
     *
     * @return the scheme, lower case.
     */
    String scheme();

    /**
     * Open a source for a URI of this provider's scheme.
     *
     * @param uri the whole URI, e.g. {@code "file:/data/capture.pcapng"}.
     * @return the open source.
     * @throws Exception when the URI is invalid or the source cannot be opened; reported as a configuration error.
     */
    CaptureSource newSource(String uri) throws Exception;
}
