package io.trafficanalyzer.core.testing;

import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes classic pcap files for tests and benchmarks: any byte order, microsecond, nanosecond or modified
 * (Kuznetzov) magic, snap length and link type field, well-formed records, and deliberately broken headers and
 * records. The file header is written before the first record unless {@link #header()} wrote it already.
 * <p>
 * {@link #position()} tells the offset of the next byte in the uncompressed file, so that a test knows where a
 * broken record starts.
 */
public final class PcapFileWriter implements AutoCloseable
{
    /**
     * Magic of a file with microsecond timestamps.
     */
    public static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;

    /**
     * Magic of a file with nanosecond timestamps.
     */
    public static final int MAGIC_NANOSECONDS = 0xa1b23c4d;

    /**
     * Magic of the modified pcap format (microseconds, 8 more bytes per record header).
     */
    public static final int MAGIC_MODIFIED = 0xa1b2cd34;

    /**
     * Length of the file header.
     */
    public static final int FILE_HEADER_LENGTH = 24;

    /**
     * Length of a record header of the standard formats.
     */
    public static final int RECORD_HEADER_LENGTH = 16;

    /**
     * Length of a record header of the modified format.
     */
    public static final int MODIFIED_RECORD_HEADER_LENGTH = 24;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final CaptureOutput out;
    private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
    private int magic = MAGIC_MICROSECONDS;
    private int versionMajor = 2;
    private int versionMinor = 4;
    private int snapLength = 262144;
    private int linkType = 1;
    private boolean headerWritten;

    /**
     * A writer to a stream, which it closes.
     *
     * @param out the stream.
     */
    public PcapFileWriter(final OutputStream out)
    {
        this.out = new CaptureOutput(out);
    }

    /**
     * A writer to a new file.
     *
     * @param file the file, replaced if it exists.
     * @return the writer.
     */
    public static PcapFileWriter create(final Path file)
    {
        return new PcapFileWriter(CaptureOutput.open(file, false));
    }

    /**
     * A writer to a new gzip-compressed file.
     *
     * @param file the file, replaced if it exists.
     * @return the writer.
     */
    public static PcapFileWriter createGzip(final Path file)
    {
        return new PcapFileWriter(CaptureOutput.open(file, true));
    }

    /**
     * Byte order of every field (default little endian).
     *
     * @param byteOrder the order.
     * @return this.
     */
    public PcapFileWriter byteOrder(final ByteOrder byteOrder)
    {
        this.byteOrder = byteOrder;
        return this;
    }

    /**
     * Magic number (default {@link #MAGIC_MICROSECONDS}); any value may be written to make a broken header.
     *
     * @param magic the magic as the writer's byte order reads it.
     * @return this.
     */
    public PcapFileWriter magic(final int magic)
    {
        this.magic = magic;
        return this;
    }

    /**
     * Version numbers (default 2.4).
     *
     * @param major the major version.
     * @param minor the minor version.
     * @return this.
     */
    public PcapFileWriter version(final int major, final int minor)
    {
        this.versionMajor = major;
        this.versionMinor = minor;
        return this;
    }

    /**
     * Snap length of the header (default 262144).
     *
     * @param snapLength the snap length.
     * @return this.
     */
    public PcapFileWriter snapLength(final int snapLength)
    {
        this.snapLength = snapLength;
        return this;
    }

    /**
     * The 32-bit link type field: LINKTYPE_ value in the lower 16 bits, FCS information above (default 1).
     *
     * @param linkType the field.
     * @return this.
     */
    public PcapFileWriter linkType(final int linkType)
    {
        this.linkType = linkType;
        return this;
    }

    /**
     * Write the file header now.
     *
     * @return this.
     */
    public PcapFileWriter header()
    {
        out.writeInt(magic, byteOrder);
        out.writeShort(versionMajor, byteOrder);
        out.writeShort(versionMinor, byteOrder);
        out.writeInt(0, byteOrder);
        out.writeInt(0, byteOrder);
        out.writeInt(snapLength, byteOrder);
        out.writeInt(linkType, byteOrder);
        headerWritten = true;
        return this;
    }

    /**
     * Write a record whose captured and original lengths are the frame's length.
     *
     * @param timestampNs nanoseconds since the epoch, rounded down to the file's resolution.
     * @param frame       the frame.
     * @return this.
     */
    public PcapFileWriter record(final long timestampNs, final byte[] frame)
    {
        return record(timestampNs, frame, frame.length, frame.length);
    }

    /**
     * Write a record.
     *
     * @param timestampNs    nanoseconds since the epoch, rounded down to the file's resolution.
     * @param frame          holding at least {@code capturedLength} bytes.
     * @param capturedLength bytes of the frame written.
     * @param originalLength length on the wire.
     * @return this.
     */
    public PcapFileWriter record(
        final long timestampNs, final byte[] frame, final int capturedLength, final int originalLength)
    {
        final long seconds = Math.floorDiv(timestampNs, NANOS_PER_SECOND);
        final long nanos = Math.floorMod(timestampNs, NANOS_PER_SECOND);
        final long fraction = MAGIC_NANOSECONDS == magic ? nanos : nanos / 1000;
        return rawRecord((int)seconds, (int)fraction, capturedLength, originalLength, frame, capturedLength);
    }

    /**
     * Write a record with header fields as given, possibly broken, followed by {@code dataLength} bytes.
     *
     * @param seconds        the seconds field.
     * @param fraction       the microseconds or nanoseconds field.
     * @param capturedLength the captured length field.
     * @param originalLength the original length field.
     * @param data           the bytes that follow the header.
     * @param dataLength     how many of them to write (zeros past the end of {@code data}).
     * @return this.
     */
    public PcapFileWriter rawRecord(
        final int seconds,
        final int fraction,
        final int capturedLength,
        final int originalLength,
        final byte[] data,
        final int dataLength)
    {
        if (!headerWritten)
        {
            header();
        }
        out.writeInt(seconds, byteOrder);
        out.writeInt(fraction, byteOrder);
        out.writeInt(capturedLength, byteOrder);
        out.writeInt(originalLength, byteOrder);
        if (MAGIC_MODIFIED == magic)
        {
            out.writeInt(7, byteOrder);
            out.writeShort(0x0800, byteOrder);
            out.writeShort(0, byteOrder);
        }
        final int fromData = Math.min(dataLength, data.length);
        out.write(data, 0, fromData);
        out.writeZeros(dataLength - fromData);
        return this;
    }

    /**
     * Write bytes as they are (garbage, a cut record).
     *
     * @param bytes the bytes.
     * @return this.
     */
    public PcapFileWriter bytes(final byte[] bytes)
    {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /**
     * Offset of the next byte in the uncompressed file.
     *
     * @return the number of bytes written so far.
     */
    public long position()
    {
        return out.position();
    }

    /**
     * Finish and close the file (writes the header if nothing was written).
     */
    public void close()
    {
        if (!headerWritten && 0 == out.position())
        {
            header();
        }
        out.close();
    }
}
