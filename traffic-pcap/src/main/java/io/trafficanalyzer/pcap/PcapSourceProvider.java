package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;

/**
 * Serves {@code pcap:} URIs with a {@link PcapLiveSource}: {@code pcap:IFACE[,IFACE...][?filter=BPF&snaplen=N
 * &promiscuous=BOOL&immediate=BOOL&buffer=BYTES&timeout=MS&nanos=BOOL&mode=dispatch|next_ex]}, e.g.
 * {@code pcap:eth0?filter=not+port+22} or {@code pcap:any}. Values are percent-decoded.
 */
public final class PcapSourceProvider implements CaptureSourceProvider
{
    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return PcapUris.LIVE_SCHEME;
    }

    /**
     * Open a live capture.
     *
     * @param uri the whole URI, e.g. {@code pcap:eth0}.
     * @return the open source.
     * @throws PcapException            when the capture cannot be opened (libpcap missing, no permission, unknown
     *                                  interface, invalid filter).
     * @throws IllegalArgumentException when the URI or a setting in it is invalid.
     */
    public CaptureSource newSource(final String uri) throws PcapException
    {
        return PcapUris.live(uri).build();
    }
}
