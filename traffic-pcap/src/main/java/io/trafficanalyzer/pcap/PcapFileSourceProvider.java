package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;

import java.io.IOException;

/**
 * Serves {@code pcapfile:} URIs with a {@link PcapFileSource}, for the capture files only libpcap reads (the
 * pure-Java {@code file:} reader stays the default): {@code pcapfile:PATH[?filter=BPF&mode=dispatch|next_ex]}.
 */
public final class PcapFileSourceProvider implements CaptureSourceProvider
{
    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return PcapUris.FILE_SCHEME;
    }

    /**
     * Open a capture file through libpcap.
     *
     * @param uri the whole URI, e.g. {@code pcapfile:/data/old.pcap}.
     * @return the open source.
     * @throws IOException              when the file cannot be opened or is not a capture file libpcap knows.
     * @throws IllegalArgumentException when the URI or a setting in it is invalid.
     */
    public CaptureSource newSource(final String uri) throws IOException
    {
        return PcapUris.file(uri);
    }
}
