package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Serves {@code jsonl:} sink URIs with a {@link JsonLinesSink}: {@code jsonl:/var/log/traffic.jsonl} or
 * {@code jsonl:relative.jsonl} append to a file, {@code jsonl:-} writes to standard output. Listed in
 * {@code META-INF/services/io.trafficanalyzer.core.sink.StatsSinkProvider}, so
 * {@code TrafficAnalyzer.builder().sink("jsonl:-")} finds it by its scheme.
 */
public final class JsonLinesSinkProvider implements StatsSinkProvider
{
    /**
     * The scheme served.
     */
    public static final String SCHEME = "jsonl";

    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return SCHEME;
    }

    /**
     * Open the file a URI names for appending, or standard output for {@code jsonl:-}.
     *
     * @param uri {@code jsonl:} and a path or {@code -}.
     * @return the sink.
     * @throws IOException              when the file cannot be opened.
     * @throws IllegalArgumentException when the URI names no file.
     */
    public StatsSink newSink(final String uri) throws IOException
    {
        final String rest = uri.substring(SCHEME.length() + 1);
        if ("-".equals(rest))
        {
            return JsonLinesSink.toStandardOutput();
        }
        if (rest.isEmpty())
        {
            throw new IllegalArgumentException("a jsonl: URI needs a file, or '-' for standard output");
        }

        return JsonLinesSink.appendingTo(rest.startsWith("//") ? Path.of(URI.create(uri)) : Path.of(rest));
    }
}
