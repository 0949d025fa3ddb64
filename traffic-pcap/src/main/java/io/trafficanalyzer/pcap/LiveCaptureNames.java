package io.trafficanalyzer.pcap;

/**
 * Names the live capture's classes share: the pseudo-interface that captures on every interface, and the logger
 * their messages go to, which users know as the public source's.
 */
final class LiveCaptureNames
{
    /** The pseudo-interface that captures on every interface (Linux). */
    static final String ANY = "any";

    /** The logger of live capture, named after {@link PcapLiveSource}, under which users configure its messages. */
    static final String LOGGER_NAME = "io.trafficanalyzer.pcap.PcapLiveSource";

    private LiveCaptureNames()
    {
    }
}
