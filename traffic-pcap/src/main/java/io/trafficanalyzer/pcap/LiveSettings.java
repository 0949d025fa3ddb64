package io.trafficanalyzer.pcap;

/**
 * The settings of a live capture handle, fixed when the source is built and reused for every reopening.
 */
final class LiveSettings
{
    final int snaplen;
    final boolean promiscuous;
    final boolean immediateMode;
    final int bufferSize;
    final int timeoutMillis;
    final boolean nanosecondTimestamps;
    final String filter;
    final PcapReadMode readMode;

    LiveSettings(
        final int snaplen,
        final boolean promiscuous,
        final boolean immediateMode,
        final int bufferSize,
        final int timeoutMillis,
        final boolean nanosecondTimestamps,
        final String filter,
        final PcapReadMode readMode)
    {
        this.snaplen = snaplen;
        this.promiscuous = promiscuous;
        this.immediateMode = immediateMode;
        this.bufferSize = bufferSize;
        this.timeoutMillis = timeoutMillis;
        this.nanosecondTimestamps = nanosecondTimestamps;
        this.filter = filter;
        this.readMode = readMode;
    }
}
