package io.trafficanalyzer.core.capture;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * Sequential access to the bytes of one capture file through a bounded window, shared by the pcap and pcapng
 * parsers: either a memory-mapped window of the file ({@link MappedFileInput}) or a refilled buffer of
 * inflated bytes ({@link GzipFileInput}).
 * <p>
 * {@link #buffer} index 0 holds the byte at file offset {@link #windowStart} and the next {@link #windowLength}
 * bytes are valid. A parser reads records in place while they lie inside the window and calls
 * {@link #require(long, int)} when one does not; that moves the window forward (never backward), which
 * invalidates every index the parser held and every view a handler was given.
 */
abstract class CaptureInput implements AutoCloseable
{
    /**
     * The largest run of bytes a parser may require to be contiguous: the largest block it reads whole.
     */
    static final int MAX_REQUIRED_LENGTH = 512 * 1024;

    /**
     * The window over the file's (decompressed) bytes.
     */
    final UnsafeBuffer buffer = new UnsafeBuffer();

    /**
     * File offset of {@link #buffer} index 0.
     */
    long windowStart;

    /**
     * Valid bytes in {@link #buffer} from index 0.
     */
    int windowLength;

    /**
     * Make the bytes {@code [offset, offset + length)} addressable in {@link #buffer}; the bytes before
     * {@code offset} may be released.
     *
     * @param offset file offset, at least {@link #windowStart}.
     * @param length bytes wanted, at most {@link #MAX_REQUIRED_LENGTH}.
     * @return bytes available from {@code offset}: {@code length}, or fewer only at the end of the data
     * (0 at or beyond it).
     * @throws IOException when the file cannot be read or its compression is damaged.
     */
    abstract int require(long offset, int length) throws IOException;

    /**
     * Length of the whole (decompressed) data once known.
     *
     * @return the length, or -1 while it is not known yet (a compressed stream not read to its end).
     */
    abstract long knownLength();

    /**
     * Release the window and the file.
     */
    public abstract void close();
}
