package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;

/**
 * Takes frames from an open libpcap handle and hands them to a {@link FrameHandler} in place, without allocation.
 * A reader never throws on the frame path: it delivers what it has, then reports the end of a file or a failure
 * through {@link #status()}.
 */
abstract class FrameReader
{
    /** Frames may follow. */
    static final int READY = 0;
    /** A file was read to its end. */
    static final int END_OF_STREAM = 1;
    /** libpcap reported an error, see {@link #error()}; every frame read before it was delivered. */
    static final int FAILED = 2;

    final long pcap;
    final int linkType;
    final long nanosPerTick;
    final boolean isLive;
    int status = READY;
    String error;

    FrameReader(final long pcap, final boolean isLive)
    {
        this.pcap = pcap;
        this.isLive = isLive;
        this.linkType = LibPcap.pcapDatalink(pcap);
        this.nanosPerTick = LibPcap.pcapGetTstampPrecision(pcap) == LibPcap.TSTAMP_PRECISION_NANO ? 1 : 1000;
    }

    FrameReader(final int linkType, final long nanosPerTick)
    {
        this.pcap = 0;
        this.isLive = true;
        this.linkType = linkType;
        this.nanosPerTick = nanosPerTick;
    }

    /**
     * A reader of the given mode, or a {@link NextPacketReader} where the mode cannot be served.
     *
     * @param pcap   the activated handle (or one opened on a file).
     * @param mode   the preferred read mode; {@link PcapReadMode#RING} is served by {@link PcapReadMode#DISPATCH}.
     * @param isLive whether the handle captures live (no end of stream).
     * @return the reader; it does not own the handle.
     */
    static FrameReader open(final long pcap, final PcapReadMode mode, final boolean isLive)
    {
        if (mode != PcapReadMode.NEXT_EX && DumpStreamReader.canServe(pcap))
        {
            final DumpStreamReader reader = new DumpStreamReader(pcap, isLive);
            if (reader.status == READY)
            {
                return reader;
            }
            reader.close();
        }

        return new NextPacketReader(pcap, isLive);
    }

    /**
     * Deliver up to {@code limit} frames.
     *
     * @param handler receives the frames.
     * @param limit   the most frames to deliver.
     * @return the number delivered; 0 when none is ready or the status is no longer {@link #READY}.
     */
    abstract int read(FrameHandler handler, int limit);

    /**
     * The read mode this reader implements.
     *
     * @return the mode.
     */
    abstract PcapReadMode mode();

    /**
     * Release what the reader holds (not the libpcap handle).
     */
    abstract void close();

    /**
     * Add the kernel's counters since the last call to the channel's sums.
     *
     * @param channel the sums.
     */
    void updateStatistics(final LiveChannel channel)
    {
        channel.updatePcapStatistics();
    }

    final int status()
    {
        return status;
    }

    final String error()
    {
        return error;
    }

    final void fail(final String message)
    {
        status = FAILED;
        error = message;
    }

    final void failFromHandle()
    {
        fail(LibPcap.pcapGeterr(pcap));
    }
}
