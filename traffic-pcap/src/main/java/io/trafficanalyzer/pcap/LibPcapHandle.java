package io.trafficanalyzer.pcap;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * An open libpcap handle as its readers ({@link NextPacketReader}, {@link DumpStreamReader}) share it: the handle,
 * its link type, its timestamp unit, whether it captures live, its last error and its kernel counters. It does not
 * own the handle: whoever opened it closes it.
 */
final class LibPcapHandle
{
    final long pcap;
    final int linkType;
    final long nanosPerTick;
    final boolean isLive;
    private UnsafeBuffer stat;
    private int lastReceived;
    private int lastDropped;
    private int lastInterfaceDropped;

    /**
     * Take the facts of an activated handle (or one opened on a file).
     *
     * @param pcap   the handle.
     * @param isLive whether the handle captures live (no end of stream).
     */
    LibPcapHandle(final long pcap, final boolean isLive)
    {
        this.pcap = pcap;
        this.isLive = isLive;
        this.linkType = LibPcap.pcapDatalink(pcap);
        this.nanosPerTick = LibPcap.pcapGetTstampPrecision(pcap) == LibPcap.TSTAMP_PRECISION_NANO ? 1 : 1000;
    }

    /**
     * libpcap's message for the last error on the handle.
     *
     * @return the message.
     */
    String error()
    {
        return LibPcap.pcapGeterr(pcap);
    }

    /**
     * Add what {@code pcap_stats} counted since the last call to the sums.
     *
     * @param counters the sums.
     */
    void updateStatistics(final KernelCounters counters)
    {
        if (null == stat)
        {
            // only a live capture reads counters: a file's handle never needs the buffer
            stat = new UnsafeBuffer(ByteBuffer.allocateDirect(LibPcap.STAT_SIZE));
        }

        if (LibPcap.pcapStats(pcap, stat.addressOffset()) == 0)
        {
            // libpcap's counters are 32-bit and wrap: sum their differences into 64 bits
            final int nowReceived = stat.getInt(LibPcap.STAT_RECEIVED_OFFSET);
            final int nowDropped = stat.getInt(LibPcap.STAT_DROPPED_OFFSET);
            final int nowInterfaceDropped = stat.getInt(LibPcap.STAT_INTERFACE_DROPPED_OFFSET);
            counters.add(
                (nowReceived - lastReceived) & 0xFFFF_FFFFL,
                (nowDropped - lastDropped) & 0xFFFF_FFFFL,
                (nowInterfaceDropped - lastInterfaceDropped) & 0xFFFF_FFFFL);
            lastReceived = nowReceived;
            lastDropped = nowDropped;
            lastInterfaceDropped = nowInterfaceDropped;
        }
    }
}
