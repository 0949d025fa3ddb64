package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;

/**
 * Takes frames from the kernel, through libpcap ({@link NextPacketReader}, {@link DumpStreamReader}) or a packet
 * ring of our own ({@link PacketRing}), and hands them to a {@link FrameHandler} in place, without allocation.
 * A reader never throws on the frame path: it delivers what it has, then reports the end of a file or a failure
 * through {@link #status()}.
 */
interface FrameReader
{
    /** Frames may follow. */
    int READY = 0;
    /** A file was read to its end. */
    int END_OF_STREAM = 1;
    /** The kernel or libpcap reported an error, see {@link #error()}; every frame read before it was delivered. */
    int FAILED = 2;

    /**
     * Deliver up to {@code limit} frames.
     *
     * @param handler receives the frames.
     * @param limit   the most frames to deliver.
     * @return the number delivered; 0 when none is ready or the status is no longer {@link #READY}.
     */
    int read(FrameHandler handler, int limit);

    /**
     * The read mode this reader implements.
     *
     * @return the mode.
     */
    PcapReadMode mode();

    /**
     * Release what the reader holds (not a libpcap handle, which its opener closes).
     */
    void close();

    /**
     * Add the kernel's counters since the last call to the sums.
     *
     * @param counters the sums of the interface.
     */
    void updateStatistics(KernelCounters counters);

    /**
     * Whether frames may follow.
     *
     * @return {@link #READY}, {@link #END_OF_STREAM} or {@link #FAILED}.
     */
    int status();

    /**
     * Why the reader failed.
     *
     * @return the message once {@link #status()} is {@link #FAILED}, else null.
     */
    String error();
}
