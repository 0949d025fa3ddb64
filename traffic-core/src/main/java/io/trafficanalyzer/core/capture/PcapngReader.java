package io.trafficanalyzer.core.capture;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import static io.trafficanalyzer.core.capture.CaptureFileSource.MAX_CAPTURED_LENGTH;
import static io.trafficanalyzer.core.capture.CaptureInput.MAX_REQUIRED_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.BLOCK_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.BLOCK_TRAILER_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.BLOCK_TYPE_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.BYTE_ORDER_MAGIC;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.ENHANCED_PACKET_BLOCK;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_CAPTURED_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_DATA_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_INTERFACE_ID_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_MIN_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_ORIGINAL_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_TIMESTAMP_HIGH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.EPB_TIMESTAMP_LOW_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IDB_LINK_TYPE_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IDB_MIN_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IDB_OPTIONS_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IDB_SNAP_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IF_TSOFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.IF_TSRESOL;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.INTERFACE_DESCRIPTION_BLOCK;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.MAX_SKIPPED_BLOCK_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.MIN_BLOCK_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.OPTION_END;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.OPTION_HEADER_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.PACKET_BLOCK;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.PB_INTERFACE_ID_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SECTION_HEADER_BLOCK;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SHB_BYTE_ORDER_MAGIC_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SHB_MIN_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SHB_VERSION_MAJOR_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SHB_VERSION_MINOR_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SIMPLE_PACKET_BLOCK;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SPB_DATA_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SPB_MIN_LENGTH;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.SPB_ORIGINAL_LENGTH_OFFSET;
import static io.trafficanalyzer.core.capture.PcapngDescriptor.VERSION_MAJOR;

/**
 * Reads a pcapng file block by block: sections of either byte order, each with its own table of interfaces
 * (link type, snap length, timestamp resolution and offset); Enhanced, Simple and obsolete Packet Blocks are
 * delivered, every other block is skipped by its length after its trailing length is checked.
 * <p>
 * A Simple Packet Block has no timestamp: it is given the timestamp of the packet before it (0 if none).
 */
final class PcapngReader extends CaptureFileReader
{
    /**
     * Most interfaces one section may describe.
     */
    static final int MAX_INTERFACES = 65536;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int INITIAL_INTERFACES = 4;

    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private int interfaceCount;
    private int[] linkTypes = new int[INITIAL_INTERFACES];
    private int[] snapLengths = new int[INITIAL_INTERFACES];
    private int[] timestampModes = new int[INITIAL_INTERFACES];
    private long[] timestampFactors = new long[INITIAL_INTERFACES];
    private long[] timestampOffsetsNs = new long[INITIAL_INTERFACES];
    private long lastTimestampNs;
    private int sections;

    PcapngReader(final Path file, final CaptureInput input)
    {
        super(file, input);
    }

    int read(final FrameHandler handler, final int limit) throws IOException
    {
        if (isDone())
        {
            return 0;
        }

        final UnsafeBuffer buffer = input.buffer;
        ByteOrder order = this.order;
        int index = this.index;
        int end = input.windowLength;
        int count = 0;
        int ahead = index;
        int touched = 0;

        while (count < limit)
        {
            if (end - index < MIN_BLOCK_LENGTH)
            {
                final int available = require(index, MIN_BLOCK_LENGTH);
                if (available < MIN_BLOCK_LENGTH)
                {
                    if (0 == available && sections > 0)
                    {
                        endOfFile();
                        break;
                    }
                    throw truncated(position(), "block header", MIN_BLOCK_LENGTH);
                }
                index = this.index;
                end = input.windowLength;
                ahead = index;
            }

            final int type = buffer.getInt(index + BLOCK_TYPE_OFFSET, order);
            final int totalLength = buffer.getInt(index + BLOCK_LENGTH_OFFSET, order);
            if (ENHANCED_PACKET_BLOCK == type && totalLength >= EPB_MIN_LENGTH && totalLength <= end - index &&
                totalLength <= MAX_REQUIRED_LENGTH && 0 == (totalLength & 3) &&
                buffer.getInt(index + totalLength - BLOCK_TRAILER_LENGTH, order) == totalLength)
            {
                final int interfaceId = buffer.getInt(index + EPB_INTERFACE_ID_OFFSET, order);
                final int capturedLength = buffer.getInt(index + EPB_CAPTURED_LENGTH_OFFSET, order);
                final int wireLength = buffer.getInt(index + EPB_ORIGINAL_LENGTH_OFFSET, order);
                if (interfaceId < 0 || interfaceId >= interfaceCount ||
                    capturedLength < 0 || capturedLength > totalLength - EPB_MIN_LENGTH ||
                    capturedLength > MAX_CAPTURED_LENGTH || wireLength < 0)
                {
                    this.index = index;
                    throw badPacket(interfaceId, capturedLength, wireLength, totalLength - EPB_MIN_LENGTH);
                }

                ahead = Math.max(ahead, index + totalLength);
                final int aheadLimit = Math.min(end, index + totalLength + READ_AHEAD);
                while (ahead < aheadLimit)
                {
                    touched += buffer.getByte(ahead);
                    ahead += CACHE_LINE;
                }

                final long units = ((long)buffer.getInt(index + EPB_TIMESTAMP_HIGH_OFFSET, order) << 32) |
                    (buffer.getInt(index + EPB_TIMESTAMP_LOW_OFFSET, order) & 0xFFFF_FFFFL);
                final long timestampNs = PcapngTimestamps.toNanos(
                    units, timestampModes[interfaceId], timestampFactors[interfaceId]) +
                    timestampOffsetsNs[interfaceId];
                lastTimestampNs = timestampNs;

                this.index = index + totalLength;
                frames++;
                handler.onFrame(
                    buffer, index + EPB_DATA_OFFSET, capturedLength, wireLength, linkTypes[interfaceId], timestampNs);
                index += totalLength;
                count++;
            }
            else
            {
                this.index = index;
                count += readBlock(handler, type, totalLength);
                order = this.order;
                index = this.index;
                end = input.windowLength;
                ahead = index;
            }
        }

        this.touched = touched;
        return count;
    }

    // any block but a well-formed Enhanced Packet Block wholly inside the window; returns the frames delivered
    private int readBlock(final FrameHandler handler, final int type, final int totalLength) throws IOException
    {
        if (SECTION_HEADER_BLOCK == type)
        {
            readSectionHeader();
            return 0;
        }
        if (0 == sections)
        {
            throw damage(position(), String.format("first block is not a section header: type 0x%08x", type));
        }

        switch (type)
        {
            case ENHANCED_PACKET_BLOCK:
            case PACKET_BLOCK:
                requireBlock(type, totalLength, EPB_MIN_LENGTH);
                return deliverPacket(handler, type, totalLength);

            case SIMPLE_PACKET_BLOCK:
                requireBlock(type, totalLength, SPB_MIN_LENGTH);
                return deliverSimplePacket(handler, totalLength);

            case INTERFACE_DESCRIPTION_BLOCK:
                requireBlock(type, totalLength, IDB_MIN_LENGTH);
                readInterfaceDescription(totalLength);
                return 0;

            default:
                skipBlock(type, totalLength);
                return 0;
        }
    }

    private void readSectionHeader() throws IOException
    {
        final UnsafeBuffer buffer = input.buffer;
        final long offset = position();
        final int magic = buffer.getInt(index + SHB_BYTE_ORDER_MAGIC_OFFSET, ByteOrder.BIG_ENDIAN);
        final ByteOrder sectionOrder;
        if (BYTE_ORDER_MAGIC == magic)
        {
            sectionOrder = ByteOrder.BIG_ENDIAN;
        }
        else if (Integer.reverseBytes(BYTE_ORDER_MAGIC) == magic)
        {
            sectionOrder = ByteOrder.LITTLE_ENDIAN;
        }
        else
        {
            throw damage(offset, String.format("section header: bad byte-order magic 0x%08x", magic));
        }

        order = sectionOrder;
        final int totalLength = buffer.getInt(index + BLOCK_LENGTH_OFFSET, sectionOrder);
        requireBlock(SECTION_HEADER_BLOCK, totalLength, SHB_MIN_LENGTH);

        final int major = input.buffer.getShort(index + SHB_VERSION_MAJOR_OFFSET, sectionOrder) & 0xFFFF;
        final int minor = input.buffer.getShort(index + SHB_VERSION_MINOR_OFFSET, sectionOrder) & 0xFFFF;
        if (VERSION_MAJOR != major)
        {
            throw damage(offset, "unsupported pcapng version " + major + "." + minor);
        }

        interfaceCount = 0;
        sections++;
        index += totalLength;
    }

    private void readInterfaceDescription(final int totalLength) throws CaptureFileException
    {
        final UnsafeBuffer buffer = input.buffer;
        final long offset = position();
        if (MAX_INTERFACES == interfaceCount)
        {
            throw damage(offset, "more than " + MAX_INTERFACES + " interfaces in one section");
        }

        int resolution = PcapngTimestamps.DEFAULT_RESOLUTION;
        long offsetSeconds = 0;
        final int optionsEnd = index + totalLength - BLOCK_TRAILER_LENGTH;
        int option = index + IDB_OPTIONS_OFFSET;
        while (optionsEnd - option >= OPTION_HEADER_LENGTH)
        {
            final int code = buffer.getShort(option, order) & 0xFFFF;
            final int length = buffer.getShort(option + 2, order) & 0xFFFF;
            if (OPTION_END == code)
            {
                break;
            }
            if (length > optionsEnd - option - OPTION_HEADER_LENGTH)
            {
                throw damage(offset, "interface description: option " + code + " of length " + length +
                    " exceeds the block");
            }
            if (IF_TSRESOL == code)
            {
                checkOptionLength(code, length, 1, offset);
                resolution = buffer.getByte(option + OPTION_HEADER_LENGTH) & 0xFF;
                if (!PcapngTimestamps.isSupported(resolution))
                {
                    throw damage(offset, "interface description: if_tsresol 10^-" + resolution + " not supported");
                }
            }
            else if (IF_TSOFFSET == code)
            {
                checkOptionLength(code, length, 8, offset);
                offsetSeconds = buffer.getLong(option + OPTION_HEADER_LENGTH, order);
            }
            option += OPTION_HEADER_LENGTH + ((length + 3) & ~3);
        }

        ensureInterfaceCapacity();
        final int id = interfaceCount++;
        linkTypes[id] = buffer.getShort(index + IDB_LINK_TYPE_OFFSET, order) & 0xFFFF;
        snapLengths[id] = buffer.getInt(index + IDB_SNAP_LENGTH_OFFSET, order);
        timestampModes[id] = PcapngTimestamps.mode(resolution);
        timestampFactors[id] = PcapngTimestamps.factor(resolution);
        timestampOffsetsNs[id] = offsetSeconds * NANOS_PER_SECOND;
        index += totalLength;
    }

    private void checkOptionLength(final int code, final int length, final int expected, final long offset)
        throws CaptureFileException
    {
        if (expected != length)
        {
            throw damage(offset, "interface description: option " + code + " has length " + length +
                ", expected " + expected);
        }
    }

    private int deliverPacket(final FrameHandler handler, final int type, final int totalLength)
        throws CaptureFileException
    {
        final UnsafeBuffer buffer = input.buffer;
        final int index = this.index;
        final int interfaceId = ENHANCED_PACKET_BLOCK == type ?
            buffer.getInt(index + EPB_INTERFACE_ID_OFFSET, order) :
            buffer.getShort(index + PB_INTERFACE_ID_OFFSET, order) & 0xFFFF;
        final int capturedLength = buffer.getInt(index + EPB_CAPTURED_LENGTH_OFFSET, order);
        final int wireLength = buffer.getInt(index + EPB_ORIGINAL_LENGTH_OFFSET, order);
        if (interfaceId < 0 || interfaceId >= interfaceCount ||
            capturedLength < 0 || capturedLength > totalLength - EPB_MIN_LENGTH ||
            capturedLength > MAX_CAPTURED_LENGTH || wireLength < 0)
        {
            throw badPacket(interfaceId, capturedLength, wireLength, totalLength - EPB_MIN_LENGTH);
        }

        final long units = ((long)buffer.getInt(index + EPB_TIMESTAMP_HIGH_OFFSET, order) << 32) |
            (buffer.getInt(index + EPB_TIMESTAMP_LOW_OFFSET, order) & 0xFFFF_FFFFL);
        final long timestampNs = PcapngTimestamps.toNanos(
            units, timestampModes[interfaceId], timestampFactors[interfaceId]) + timestampOffsetsNs[interfaceId];
        lastTimestampNs = timestampNs;

        this.index = index + totalLength;
        frames++;
        handler.onFrame(
            buffer, index + EPB_DATA_OFFSET, capturedLength, wireLength, linkTypes[interfaceId], timestampNs);

        return 1;
    }

    private int deliverSimplePacket(final FrameHandler handler, final int totalLength) throws CaptureFileException
    {
        final UnsafeBuffer buffer = input.buffer;
        final int index = this.index;
        if (0 == interfaceCount)
        {
            throw damage(position(), "simple packet block before any interface description");
        }

        final int wireLength = buffer.getInt(index + SPB_ORIGINAL_LENGTH_OFFSET, order);
        if (wireLength < 0)
        {
            throw damage(position(), "original length " + Integer.toUnsignedString(wireLength) + " is absurd");
        }

        int capturedLength = Math.min(wireLength, totalLength - SPB_MIN_LENGTH);
        if (snapLengths[0] > 0)
        {
            capturedLength = Math.min(capturedLength, snapLengths[0]);
        }
        if (capturedLength > MAX_CAPTURED_LENGTH)
        {
            throw damage(position(), "captured length " + capturedLength + " exceeds the maximum " +
                MAX_CAPTURED_LENGTH);
        }

        this.index = index + totalLength;
        frames++;
        handler.onFrame(buffer, index + SPB_DATA_OFFSET, capturedLength, wireLength, linkTypes[0], lastTimestampNs);

        return 1;
    }

    // check a block's length and make the whole block contiguous at index
    private void requireBlock(final int type, final int totalLength, final int minLength) throws IOException
    {
        checkLength(type, totalLength, minLength, MAX_REQUIRED_LENGTH);
        if (input.windowLength - index < totalLength && require(index, totalLength) < totalLength)
        {
            throw truncated(position(), "block", Integer.toUnsignedLong(totalLength));
        }
        checkTrailer(index + totalLength - BLOCK_TRAILER_LENGTH, totalLength, position());
    }

    // move past a block whose body is not needed, checking that it ends inside the file with its trailing length
    private void skipBlock(final int type, final int totalLength) throws IOException
    {
        checkLength(type, totalLength, MIN_BLOCK_LENGTH, MAX_SKIPPED_BLOCK_LENGTH);
        final long offset = position();
        int trailer = index + totalLength - BLOCK_TRAILER_LENGTH;
        if (input.windowLength - trailer < BLOCK_TRAILER_LENGTH)
        {
            if (require(trailer, BLOCK_TRAILER_LENGTH) < BLOCK_TRAILER_LENGTH)
            {
                throw truncated(offset, "block", totalLength);
            }
            trailer = index;
        }
        checkTrailer(trailer, totalLength, offset);
        index = trailer + BLOCK_TRAILER_LENGTH;
    }

    private void checkLength(final int type, final int totalLength, final int minLength, final int maxLength)
        throws CaptureFileException
    {
        if (totalLength < minLength || totalLength > maxLength)
        {
            throw damage(position(), String.format(
                "block type 0x%08x: length %s outside [%d, %d]",
                type, Integer.toUnsignedString(totalLength), minLength, maxLength));
        }
        if (0 != (totalLength & 3))
        {
            throw damage(position(), String.format(
                "block type 0x%08x: length %d is not a multiple of 4", type, totalLength));
        }
    }

    private void checkTrailer(final int trailerIndex, final int totalLength, final long offset)
        throws CaptureFileException
    {
        final int trailingLength = input.buffer.getInt(trailerIndex, order);
        if (trailingLength != totalLength)
        {
            throw damage(offset, "block trailing length " + Integer.toUnsignedString(trailingLength) +
                " differs from its length " + totalLength);
        }
    }

    private CaptureFileException badPacket(
        final int interfaceId, final int capturedLength, final int wireLength, final int room)
    {
        final long offset = position();
        if (interfaceId < 0 || interfaceId >= interfaceCount)
        {
            return damage(offset, "packet names interface " + Integer.toUnsignedString(interfaceId) +
                " but the section describes " + interfaceCount);
        }
        if (capturedLength < 0 || capturedLength > MAX_CAPTURED_LENGTH)
        {
            return damage(offset, "captured length " + Integer.toUnsignedString(capturedLength) +
                " exceeds the maximum " + MAX_CAPTURED_LENGTH);
        }
        if (capturedLength > room)
        {
            return damage(offset, "captured length " + capturedLength + " exceeds the block's " + room +
                " bytes of packet data");
        }
        return damage(offset, "original length " + Integer.toUnsignedString(wireLength) + " is absurd");
    }

    private void ensureInterfaceCapacity()
    {
        if (interfaceCount == linkTypes.length)
        {
            final int capacity = Math.min(MAX_INTERFACES, interfaceCount * 2);
            linkTypes = Arrays.copyOf(linkTypes, capacity);
            snapLengths = Arrays.copyOf(snapLengths, capacity);
            timestampModes = Arrays.copyOf(timestampModes, capacity);
            timestampFactors = Arrays.copyOf(timestampFactors, capacity);
            timestampOffsetsNs = Arrays.copyOf(timestampOffsetsNs, capacity);
        }
    }
}
