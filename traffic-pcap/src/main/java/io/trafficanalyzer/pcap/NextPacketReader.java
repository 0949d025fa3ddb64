package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.trafficanalyzer.pcap.PacketHeaderDescriptor.CAPTURED_LENGTH_OFFSET;
import static io.trafficanalyzer.pcap.PacketHeaderDescriptor.LONG_SIZE;
import static io.trafficanalyzer.pcap.PacketHeaderDescriptor.TS_FRACTION_OFFSET;
import static io.trafficanalyzer.pcap.PacketHeaderDescriptor.TS_SECONDS_OFFSET;
import static io.trafficanalyzer.pcap.PacketHeaderDescriptor.WIRE_LENGTH_OFFSET;

/**
 * {@link PcapReadMode#NEXT_EX}: one directly mapped {@code pcap_next_ex} call per frame; libpcap's header and frame
 * are read where libpcap keeps them, through flyweights re-wrapped on each frame.
 */
final class NextPacketReader implements FrameReader
{
    private static final int HEADER_POINTER_OFFSET = 0;
    private static final int DATA_POINTER_OFFSET = 8;

    private final UnsafeBuffer pointers = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private final long pointersAddress = pointers.addressOffset();
    private final UnsafeBuffer header = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private final LibPcapHandle handle;
    // the handle's facts in this reader's own fields, read once per frame
    private final long pcap;
    private final int linkType;
    private final long nanosPerTick;
    private final boolean isLive;
    private int status = READY;
    private String error;

    NextPacketReader(final LibPcapHandle handle)
    {
        this.handle = handle;
        this.pcap = handle.pcap;
        this.linkType = handle.linkType;
        this.nanosPerTick = handle.nanosPerTick;
        this.isLive = handle.isLive;
    }

    public int read(final FrameHandler handler, final int limit)
    {
        int delivered = 0;
        while (delivered < limit && status == READY)
        {
            final int rc = LibPcap.pcapNextEx(
                pcap, pointersAddress + HEADER_POINTER_OFFSET, pointersAddress + DATA_POINTER_OFFSET);
            if (rc == 1)
            {
                header.wrap(pointers.getLong(HEADER_POINTER_OFFSET), PacketHeaderDescriptor.LENGTH);
                // seconds are unsigned 32 bits in capture files; libpcap sign-extends them into time_t
                final long seconds = (LONG_SIZE == 8 ?
                    header.getLong(TS_SECONDS_OFFSET) : header.getInt(TS_SECONDS_OFFSET)) & 0xFFFF_FFFFL;
                final long fraction = header.getInt(TS_FRACTION_OFFSET) & 0xFFFF_FFFFL;
                final int capturedLength = header.getInt(CAPTURED_LENGTH_OFFSET);
                final int wireLength = header.getInt(WIRE_LENGTH_OFFSET);
                frame.wrap(pointers.getLong(DATA_POINTER_OFFSET), capturedLength);
                delivered++;
                handler.onFrame(
                    frame, 0, capturedLength, wireLength, linkType, seconds * 1_000_000_000L + fraction * nanosPerTick);
            }
            else if (rc == 0)
            {
                break;
            }
            else if (rc == LibPcap.PCAP_ERROR_BREAK && !isLive)
            {
                status = END_OF_STREAM;
            }
            else
            {
                status = FAILED;
                error = handle.error();
            }
        }

        return delivered;
    }

    public PcapReadMode mode()
    {
        return PcapReadMode.NEXT_EX;
    }

    public void close()
    {
    }

    public void updateStatistics(final KernelCounters counters)
    {
        handle.updateStatistics(counters);
    }

    public int status()
    {
        return status;
    }

    public String error()
    {
        return error;
    }
}
