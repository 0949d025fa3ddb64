package io.trafficanalyzer.core.capture;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the records of one capture file out of a {@link CaptureInput} and hands the frames over in place.
 */
abstract class CaptureFileReader
{
    /**
     * How many bytes after the record being delivered the readers touch, every cache line of them. The next
     * record's position depends on this record's length, so without it each record header is a cache miss waited
     * for in turn; the loads ahead are independent and overlap, as a memory copy's would. The body of a record
     * longer than this is not touched (the handler reads what it needs of it).
     */
    static final int READ_AHEAD = 2048;

    /**
     * Stride of the loads ahead.
     */
    static final int CACHE_LINE = 64;

    final Path file;
    final CaptureInput input;

    /**
     * Index in the input's window of the next record.
     */
    int index;

    /**
     * Frames delivered from this file so far.
     */
    long frames;

    /**
     * Sum of the bytes touched ahead, kept so that the loads are not optimised away.
     */
    int touched;
    private long endPosition = -1;

    CaptureFileReader(final Path file, final CaptureInput input)
    {
        this.file = file;
        this.input = input;
    }

    /**
     * Deliver up to {@code limit} frames.
     *
     * @param handler receives the frames.
     * @param limit   the most frames to deliver.
     * @return frames delivered; fewer than {@code limit} only when the file is done.
     * @throws IOException when the file is damaged (after delivering every frame before the damage) or unreadable.
     */
    abstract int read(FrameHandler handler, int limit) throws IOException;

    /**
     * Whether the file has been read to its end or up to its damage.
     *
     * @return true once no more frames will come from this file.
     */
    final boolean isDone()
    {
        return endPosition >= 0;
    }

    /**
     * Offset in the (decompressed) file of the next record, or of the end or the damage once done.
     *
     * @return the file offset.
     */
    final long position()
    {
        return endPosition >= 0 ? endPosition : input.windowStart + index;
    }

    /**
     * Make {@code length} bytes from the window index {@code index} contiguous and update {@link #index}
     * to where that position lies in the window afterwards.
     *
     * @param index  window index of the first byte wanted.
     * @param length bytes wanted.
     * @return bytes available, fewer than {@code length} only at the end of the data.
     * @throws IOException when the input cannot be read.
     */
    final int require(final int index, final int length) throws IOException
    {
        final long position = input.windowStart + index;
        final int available = input.require(position, length);
        this.index = (int)(position - input.windowStart);
        return available;
    }

    /**
     * Mark the file as read to its end at the current position.
     */
    final void endOfFile()
    {
        endPosition = input.windowStart + index;
    }

    /**
     * Mark the file as done at damage and describe it.
     *
     * @param offset file offset of the damaged record or block.
     * @param reason what is wrong.
     * @return the exception to throw.
     */
    final CaptureFileException damage(final long offset, final String reason)
    {
        endPosition = offset;
        return new CaptureFileException(file, offset, reason);
    }

    /**
     * Describe a record or block cut short by the end of the file.
     *
     * @param offset file offset of the record or block.
     * @param what   "record", "block", ...
     * @param needed bytes the record or block needs from {@code offset}.
     * @return the exception to throw.
     */
    final CaptureFileException truncated(final long offset, final String what, final long needed)
    {
        final long length = input.knownLength();
        final long left = length >= 0 ? Math.max(0, length - offset) : 0;
        return damage(offset, "truncated " + what + ": " + needed + " bytes needed, " + left + " left in the file");
    }
}
