package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static io.trafficanalyzer.pcap.DumpRecordDescriptor.CAPTURED_LENGTH_OFFSET;
import static io.trafficanalyzer.pcap.DumpRecordDescriptor.HEADER_LENGTH;
import static io.trafficanalyzer.pcap.DumpRecordDescriptor.TS_FRACTION_OFFSET;
import static io.trafficanalyzer.pcap.DumpRecordDescriptor.TS_SECONDS_OFFSET;
import static io.trafficanalyzer.pcap.DumpRecordDescriptor.WIRE_LENGTH_OFFSET;

/**
 * {@link PcapReadMode#DISPATCH}: one {@code pcap_dispatch} call fills a batch. Its callback is libpcap's own
 * {@code pcap_dump}, writing into a C memory stream ({@code fmemopen}) over a direct buffer of ours, so no Java code
 * runs inside libpcap and Java calls into C once per batch rather than once per frame. The batch is then read in
 * place, a record at a time, across as many {@link #read(FrameHandler, int)} calls as the callers' limits need.
 * <p>
 * A batch is bounded to the records that fit the buffer at the handle's snapshot length, so {@code pcap_dump} never
 * meets a full stream (which it would not report); the stream's position says where the batch ends, and a record
 * that would run past it is treated as a failure rather than read.
 */
final class DumpStreamReader implements FrameReader
{
    private static final int MIN_CAPACITY = 1 << 20;
    private static final int MAX_RECORD_LENGTH = 1 << 20;
    private static final int RECORDS_PER_BATCH_AT_LEAST = 32;

    private final LibPcapHandle handle;
    // the handle's facts in this reader's own fields, read once per frame
    private final long pcap;
    private final int linkType;
    private final long nanosPerTick;
    private final boolean isLive;
    private final UnsafeBuffer batch;
    private final int maxRecords;
    private int status = READY;
    private String error;
    private long stream;
    private long dumper;
    private int offset;
    private int end;

    DumpStreamReader(final LibPcapHandle handle)
    {
        this.handle = handle;
        this.pcap = handle.pcap;
        this.linkType = handle.linkType;
        this.nanosPerTick = handle.nanosPerTick;
        this.isLive = handle.isLive;
        final int recordLength = HEADER_LENGTH + LibPcap.pcapSnapshot(pcap);
        final int capacity = Math.max(MIN_CAPACITY, RECORDS_PER_BATCH_AT_LEAST * recordLength);
        batch = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity));
        // fmemopen in "w" mode may write a terminating NUL after the data: keep a byte spare
        maxRecords = (capacity - 1) / recordLength;

        stream = LibC.fmemopen(batch.addressOffset(), capacity, "w");
        if (0 == stream)
        {
            fail("fmemopen failed");
            return;
        }

        // the stream is this reader's alone (one capture thread polls a source)
        LibC.lockByCaller(stream);
        dumper = LibPcap.pcapDumpFopen(pcap, stream);
        if (0 == dumper)
        {
            fail(handle.error());
            LibC.fclose(stream);
            stream = 0;
            return;
        }

        // drop the file header pcap_dump_fopen wrote: batches start at offset 0
        rewind();
    }

    static boolean canServe(final long pcap)
    {
        return LibC.isAvailable() && HEADER_LENGTH + LibPcap.pcapSnapshot(pcap) <= MAX_RECORD_LENGTH;
    }

    public int read(final FrameHandler handler, final int limit)
    {
        int delivered = 0;
        while (delivered < limit)
        {
            if (offset >= end && (status != READY || !refill()))
            {
                break;
            }

            final UnsafeBuffer records = batch;
            final int recordOffset = offset;
            final int capturedLength = records.getInt(recordOffset + CAPTURED_LENGTH_OFFSET);
            final long next = (long)recordOffset + HEADER_LENGTH + capturedLength;
            if (capturedLength < 0 || next > end)
            {
                // pcap_dump reports no short write: a record cut by the end of the buffer ends the capture
                fail("a record overruns the dump stream at offset " + recordOffset);
                end = recordOffset;
                break;
            }

            final long seconds = records.getInt(recordOffset + TS_SECONDS_OFFSET) & 0xFFFF_FFFFL;
            final long fraction = records.getInt(recordOffset + TS_FRACTION_OFFSET) & 0xFFFF_FFFFL;
            final int wireLength = records.getInt(recordOffset + WIRE_LENGTH_OFFSET);
            offset = (int)next;
            delivered++;
            handler.onFrame(
                records,
                recordOffset + HEADER_LENGTH,
                capturedLength,
                wireLength,
                linkType,
                seconds * 1_000_000_000L + fraction * nanosPerTick);
        }

        return delivered;
    }

    public PcapReadMode mode()
    {
        return PcapReadMode.DISPATCH;
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

    public void close()
    {
        if (0 != dumper)
        {
            // closes the stream too; it flushes into the buffer, which is still referenced here
            LibPcap.pcapDumpClose(dumper);
            dumper = 0;
            stream = 0;
        }
        end = 0;
    }

    private boolean refill()
    {
        offset = 0;
        end = 0;
        final int rc = LibPcap.pcapDispatch(pcap, maxRecords, LibPcap.PCAP_DUMP, dumper);
        if (0 == rc)
        {
            if (!isLive)
            {
                status = END_OF_STREAM;
            }
            return false;
        }

        // an error ends the call without its count: what was dumped before it is still in the stream
        final String failure = rc < 0 ? handle.error() : null;
        LibC.fflush(stream);
        final long written = LibC.ftell(stream);
        if (rewind())
        {
            end = (int)Math.max(0, Math.min(written, batch.capacity()));
        }
        if (rc == LibPcap.PCAP_ERROR_BREAK && !isLive)
        {
            status = END_OF_STREAM;
        }
        else if (rc < 0 && status == READY)
        {
            fail(failure);
        }

        return end > 0;
    }

    private void fail(final String message)
    {
        status = FAILED;
        error = message;
    }

    private boolean rewind()
    {
        // fseek flushes what stdio still holds into the buffer, then writing starts again at offset 0
        if (0 != LibC.fseek(stream, 0, LibC.SEEK_SET))
        {
            fail("cannot rewind the dump stream");
            return false;
        }

        return true;
    }
}
