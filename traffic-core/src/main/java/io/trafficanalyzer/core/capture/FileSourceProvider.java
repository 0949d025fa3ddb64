package io.trafficanalyzer.core.capture;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Serves {@code file:} sources with the pure-Java pcap and pcapng reader: {@code file:/data/capture.pcapng},
 * {@code file:///data/capture.pcap.gz} or a relative {@code file:captures/today.pcap}.
 */
public final class FileSourceProvider implements CaptureSourceProvider
{
    /**
     * The scheme served.
     */
    public static final String SCHEME = "file";

    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return SCHEME;
    }

    /**
     * Open a capture file.
     *
     * @param uri {@code file:} and a path, or a {@code file://} URI.
     * @return a source reading the file.
     * @throws IOException when the file does not exist or cannot be read.
     */
    public CaptureSource newSource(final String uri) throws IOException
    {
        final Path path = path(uri);
        if (!Files.isRegularFile(path) || !Files.isReadable(path))
        {
            throw new IOException("not a readable file: " + path);
        }

        return CaptureFileSource.open(path);
    }

    static Path path(final String uri)
    {
        final String rest = uri.substring(SCHEME.length() + 1);
        if (rest.startsWith("//"))
        {
            return Paths.get(URI.create(uri));
        }

        return Paths.get(rest);
    }
}
