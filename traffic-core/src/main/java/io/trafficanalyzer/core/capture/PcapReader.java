package io.trafficanalyzer.core.capture;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.trafficanalyzer.core.capture.CaptureFileSource.MAX_CAPTURED_LENGTH;
import static io.trafficanalyzer.core.capture.PcapDescriptor.CAPTURED_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.FILE_HEADER_LENGTH;
import static io.trafficanalyzer.core.capture.PcapDescriptor.LINK_TYPE_MASK;
import static io.trafficanalyzer.core.capture.PcapDescriptor.LINK_TYPE_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.MAGIC_MODIFIED;
import static io.trafficanalyzer.core.capture.PcapDescriptor.MAGIC_NANOSECONDS;
import static io.trafficanalyzer.core.capture.PcapDescriptor.MODIFIED_RECORD_HEADER_LENGTH;
import static io.trafficanalyzer.core.capture.PcapDescriptor.ORIGINAL_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.RECORD_HEADER_LENGTH;
import static io.trafficanalyzer.core.capture.PcapDescriptor.SNAP_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.TIMESTAMP_FRACTION_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.TIMESTAMP_SECONDS_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.VERSION_MAJOR;
import static io.trafficanalyzer.core.capture.PcapDescriptor.VERSION_MAJOR_OFFSET;
import static io.trafficanalyzer.core.capture.PcapDescriptor.VERSION_MINOR_OFFSET;

/**
 * Reads a classic pcap file (microsecond, nanosecond or modified magic, either byte order) record by record.
 * <p>
 * As libpcap does, a record whose captured length exceeds the snap length of the file header is read whole but
 * delivered cut to the snap length (a snap length of 0 or above the maximum means no limit); a captured length
 * beyond {@link CaptureFileSource#MAX_CAPTURED_LENGTH} is damage.
 */
final class PcapReader extends CaptureFileReader
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ByteOrder order;
    private final int recordHeaderLength;
    private final long nanosPerFraction;
    private final int linkType;
    private final int snapLength;
    private final int deliveredLimit;

    /**
     * Check the file header at offset 0 whose magic has been read already.
     *
     * @param file  the file, for errors.
     * @param input the file's bytes.
     * @param magic the magic as read in big-endian order.
     * @throws IOException when the header is cut short or unsupported.
     */
    PcapReader(final Path file, final CaptureInput input, final int magic) throws IOException
    {
        super(file, input);
        final int writerMagic;
        if (magic == PcapDescriptor.MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS || magic == MAGIC_MODIFIED)
        {
            order = ByteOrder.BIG_ENDIAN;
            writerMagic = magic;
        }
        else
        {
            order = ByteOrder.LITTLE_ENDIAN;
            writerMagic = Integer.reverseBytes(magic);
        }
        nanosPerFraction = writerMagic == MAGIC_NANOSECONDS ? 1 : 1000;
        recordHeaderLength = writerMagic == MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER_LENGTH : RECORD_HEADER_LENGTH;

        final int available = require(0, FILE_HEADER_LENGTH);
        if (available < FILE_HEADER_LENGTH)
        {
            throw damage(0, "not a capture file: pcap file header truncated at " + available + " bytes");
        }

        final UnsafeBuffer buffer = input.buffer;
        final int major = buffer.getShort(index + VERSION_MAJOR_OFFSET, order) & 0xFFFF;
        final int minor = buffer.getShort(index + VERSION_MINOR_OFFSET, order) & 0xFFFF;
        if (VERSION_MAJOR != major)
        {
            throw damage(0, "unsupported pcap version " + major + "." + minor);
        }
        snapLength = buffer.getInt(index + SNAP_LENGTH_OFFSET, order);
        deliveredLimit = snapLength <= 0 || snapLength > MAX_CAPTURED_LENGTH ? MAX_CAPTURED_LENGTH : snapLength;
        linkType = buffer.getInt(index + LINK_TYPE_OFFSET, order) & LINK_TYPE_MASK;
        index += FILE_HEADER_LENGTH;
    }

    /**
     * The link type of every record.
     *
     * @return the LINKTYPE_ value (lower 16 bits of the header field).
     */
    int linkType()
    {
        return linkType;
    }

    /**
     * The snap length of the header.
     *
     * @return the snap length as written.
     */
    int snapLength()
    {
        return snapLength;
    }

    int read(final FrameHandler handler, final int limit) throws IOException
    {
        if (isDone())
        {
            return 0;
        }

        final CaptureInput input = this.input;
        final UnsafeBuffer buffer = input.buffer;
        final ByteOrder order = this.order;
        final int headerLength = recordHeaderLength;
        final long nanosPerFraction = this.nanosPerFraction;
        final int linkType = this.linkType;
        final int deliveredLimit = this.deliveredLimit;
        int index = this.index;
        int end = input.windowLength;
        int count = 0;
        int ahead = index;
        int touched = 0;

        while (count < limit)
        {
            if (end - index < headerLength)
            {
                final int available = require(index, headerLength);
                if (available < headerLength)
                {
                    if (0 == available)
                    {
                        endOfFile();
                        break;
                    }
                    throw truncated(position(), "record header", headerLength);
                }
                index = this.index;
                end = input.windowLength;
                ahead = index;
            }

            final int capturedLength = buffer.getInt(index + CAPTURED_LENGTH_OFFSET, order);
            final int wireLength = buffer.getInt(index + ORIGINAL_LENGTH_OFFSET, order);
            if (capturedLength < 0 || capturedLength > MAX_CAPTURED_LENGTH || wireLength < 0)
            {
                this.index = index;
                throw badLengths(capturedLength, wireLength);
            }

            final int recordLength = headerLength + capturedLength;
            if (end - index < recordLength)
            {
                if (require(index, recordLength) < recordLength)
                {
                    throw truncated(position(), "record", recordLength);
                }
                index = this.index;
                end = input.windowLength;
                ahead = index;
            }

            ahead = Math.max(ahead, index + recordLength);
            final int aheadLimit = Math.min(end, index + recordLength + READ_AHEAD);
            while (ahead < aheadLimit)
            {
                touched += buffer.getByte(ahead);
                ahead += CACHE_LINE;
            }

            final long timestampNs =
                (buffer.getInt(index + TIMESTAMP_SECONDS_OFFSET, order) & 0xFFFF_FFFFL) * NANOS_PER_SECOND +
                (buffer.getInt(index + TIMESTAMP_FRACTION_OFFSET, order) & 0xFFFF_FFFFL) * nanosPerFraction;

            this.index = index + recordLength;
            frames++;
            handler.onFrame(
                buffer,
                index + headerLength,
                Math.min(capturedLength, deliveredLimit),
                wireLength,
                linkType,
                timestampNs);
            index += recordLength;
            count++;
        }

        this.touched = touched;
        return count;
    }

    private CaptureFileException badLengths(final int capturedLength, final int wireLength)
    {
        if (capturedLength < 0 || capturedLength > MAX_CAPTURED_LENGTH)
        {
            return damage(position(), "captured length " + Integer.toUnsignedString(capturedLength) +
                " exceeds the maximum " + MAX_CAPTURED_LENGTH);
        }
        return damage(position(), "original length " + Integer.toUnsignedString(wireLength) + " is absurd");
    }
}
