package io.trafficanalyzer.core.testing;

import org.agrona.ExpandableArrayBuffer;

import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes pcapng files for tests and benchmarks: sections of either byte order, Interface Description Blocks
 * with {@code if_tsresol} and {@code if_tsoffset}, Enhanced, Simple and obsolete Packet Blocks, blocks of any
 * other type, and deliberately broken blocks.
 * <p>
 * {@link #position()} tells the offset of the next byte in the uncompressed file, so that a test knows where a
 * broken block starts.
 */
public final class PcapngFileWriter implements AutoCloseable
{
    /**
     * Section Header Block type.
     */
    public static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;

    /**
     * Interface Description Block type.
     */
    public static final int INTERFACE_DESCRIPTION_BLOCK = 1;

    /**
     * Obsolete Packet Block type.
     */
    public static final int PACKET_BLOCK = 2;

    /**
     * Simple Packet Block type.
     */
    public static final int SIMPLE_PACKET_BLOCK = 3;

    /**
     * Name Resolution Block type, a block the reader skips.
     */
    public static final int NAME_RESOLUTION_BLOCK = 4;

    /**
     * Interface Statistics Block type, a block the reader skips.
     */
    public static final int INTERFACE_STATISTICS_BLOCK = 5;

    /**
     * Enhanced Packet Block type.
     */
    public static final int ENHANCED_PACKET_BLOCK = 6;

    /**
     * Length of a block's type, total length and trailing total length.
     */
    public static final int BLOCK_OVERHEAD = 12;

    /**
     * Length of an Enhanced or obsolete Packet Block without packet data nor options.
     */
    public static final int PACKET_BLOCK_OVERHEAD = 32;

    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int OPT_COMMENT = 1;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    private final CaptureOutput out;
    private final ExpandableArrayBuffer body = new ExpandableArrayBuffer(1024);
    private ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;

    /**
     * A writer to a stream, which it closes.
     *
     * @param out the stream.
     */
    public PcapngFileWriter(final OutputStream out)
    {
        this.out = new CaptureOutput(out);
    }

    /**
     * A writer to a new file.
     *
     * @param file the file, replaced if it exists.
     * @return the writer.
     */
    public static PcapngFileWriter create(final Path file)
    {
        return new PcapngFileWriter(CaptureOutput.open(file, false));
    }

    /**
     * A writer to a new gzip-compressed file.
     *
     * @param file the file, replaced if it exists.
     * @return the writer.
     */
    public static PcapngFileWriter createGzip(final Path file)
    {
        return new PcapngFileWriter(CaptureOutput.open(file, true));
    }

    /**
     * Start a section of version 1.0 in the given byte order; the blocks after it are written in that order.
     *
     * @param byteOrder the section's byte order.
     * @return this.
     */
    public PcapngFileWriter sectionHeader(final ByteOrder byteOrder)
    {
        return sectionHeader(byteOrder, 1, 0, BYTE_ORDER_MAGIC);
    }

    /**
     * Start a section with any version and byte-order magic (to write broken ones).
     *
     * @param byteOrder      the section's byte order.
     * @param major          the major version.
     * @param minor          the minor version.
     * @param byteOrderMagic the byte-order magic, 0x1A2B3C4D when well-formed.
     * @return this.
     */
    public PcapngFileWriter sectionHeader(
        final ByteOrder byteOrder, final int major, final int minor, final int byteOrderMagic)
    {
        this.byteOrder = byteOrder;
        int length = 0;
        body.putInt(length, byteOrderMagic, byteOrder);
        length += 4;
        body.putShort(length, (short)major, byteOrder);
        length += 2;
        body.putShort(length, (short)minor, byteOrder);
        length += 2;
        body.putLong(length, -1L, byteOrder);
        length += 8;
        return block(SECTION_HEADER_BLOCK, length);
    }

    /**
     * Describe the next interface of the section, with the default resolution (microseconds) and no offset.
     *
     * @param linkType   the LINKTYPE_ value.
     * @param snapLength the snap length, 0 for none.
     * @return this.
     */
    public PcapngFileWriter interfaceDescription(final int linkType, final int snapLength)
    {
        return interfaceDescription(linkType, snapLength, null, null);
    }

    /**
     * Describe the next interface of the section, with an {@code if_name} option and the optional
     * {@code if_tsresol} and {@code if_tsoffset} options.
     *
     * @param linkType        the LINKTYPE_ value.
     * @param snapLength      the snap length, 0 for none.
     * @param tsresol         the {@code if_tsresol} byte, or null for none.
     * @param tsoffsetSeconds the {@code if_tsoffset} seconds, or null for none.
     * @return this.
     */
    public PcapngFileWriter interfaceDescription(
        final int linkType, final int snapLength, final Integer tsresol, final Long tsoffsetSeconds)
    {
        int length = 0;
        body.putShort(length, (short)linkType, byteOrder);
        body.putShort(length + 2, (short)0, byteOrder);
        body.putInt(length + 4, snapLength, byteOrder);
        length += 8;
        if (null != tsresol || null != tsoffsetSeconds)
        {
            length = putOption(length, IF_NAME, "test0".getBytes(StandardCharsets.US_ASCII));
            if (null != tsresol)
            {
                length = putOption(length, IF_TSRESOL, new byte[]{ (byte)(int)tsresol });
            }
            if (null != tsoffsetSeconds)
            {
                final byte[] value = new byte[8];
                final ExpandableArrayBuffer valueBuffer = new ExpandableArrayBuffer(8);
                valueBuffer.putLong(0, tsoffsetSeconds, byteOrder);
                valueBuffer.getBytes(0, value);
                length = putOption(length, IF_TSOFFSET, value);
            }
            length = putEndOfOptions(length);
        }
        return block(INTERFACE_DESCRIPTION_BLOCK, length);
    }

    /**
     * Describe the next interface with options given as raw bytes (to write broken options).
     *
     * @param linkType   the LINKTYPE_ value.
     * @param snapLength the snap length.
     * @param options    the options area as it is, a multiple of 4 bytes.
     * @return this.
     */
    public PcapngFileWriter interfaceDescriptionWithOptions(
        final int linkType, final int snapLength, final byte[] options)
    {
        body.putShort(0, (short)linkType, byteOrder);
        body.putShort(2, (short)0, byteOrder);
        body.putInt(4, snapLength, byteOrder);
        body.putBytes(8, options);
        return block(INTERFACE_DESCRIPTION_BLOCK, 8 + options.length);
    }

    /**
     * Write an Enhanced Packet Block whose captured and original lengths are the frame's length.
     *
     * @param interfaceId    the interface.
     * @param timestampUnits the timestamp in units of the interface's resolution.
     * @param frame          the frame.
     * @return this.
     */
    public PcapngFileWriter enhancedPacket(final int interfaceId, final long timestampUnits, final byte[] frame)
    {
        return enhancedPacket(interfaceId, timestampUnits, frame, frame.length, frame.length, null);
    }

    /**
     * Write an Enhanced Packet Block.
     *
     * @param interfaceId    the interface.
     * @param timestampUnits the timestamp in units of the interface's resolution.
     * @param frame          holding at least {@code capturedLength} bytes.
     * @param capturedLength bytes of the frame written.
     * @param originalLength length on the wire.
     * @param comment        an {@code opt_comment} option after the data, or null for none.
     * @return this.
     */
    public PcapngFileWriter enhancedPacket(
        final int interfaceId,
        final long timestampUnits,
        final byte[] frame,
        final int capturedLength,
        final int originalLength,
        final String comment)
    {
        int length = putPacketHeader(interfaceId, timestampUnits, capturedLength, originalLength);
        body.putBytes(length, frame, 0, capturedLength);
        length = pad(length + capturedLength);
        if (null != comment)
        {
            length = putOption(length, OPT_COMMENT, comment.getBytes(StandardCharsets.UTF_8));
            length = putEndOfOptions(length);
        }
        return block(ENHANCED_PACKET_BLOCK, length);
    }

    /**
     * Write an Enhanced Packet Block whose captured length field is given apart from the data written (to write
     * one that claims more bytes than the block holds).
     *
     * @param interfaceId         the interface.
     * @param timestampUnits      the timestamp.
     * @param capturedLengthField the captured length field.
     * @param originalLength      the original length field.
     * @param data                the packet data written (padded).
     * @return this.
     */
    public PcapngFileWriter enhancedPacketRaw(
        final int interfaceId,
        final long timestampUnits,
        final int capturedLengthField,
        final int originalLength,
        final byte[] data)
    {
        int length = putPacketHeader(interfaceId, timestampUnits, capturedLengthField, originalLength);
        body.putBytes(length, data);
        length = pad(length + data.length);
        return block(ENHANCED_PACKET_BLOCK, length);
    }

    /**
     * Write a Simple Packet Block.
     *
     * @param frame          the packet data written (padded).
     * @param originalLength the original length field.
     * @return this.
     */
    public PcapngFileWriter simplePacket(final byte[] frame, final int originalLength)
    {
        body.putInt(0, originalLength, byteOrder);
        body.putBytes(4, frame);
        return block(SIMPLE_PACKET_BLOCK, pad(4 + frame.length));
    }

    /**
     * Write an obsolete Packet Block (type 2) with a drops count of 0.
     *
     * @param interfaceId    the interface, 16 bits.
     * @param timestampUnits the timestamp in units of the interface's resolution.
     * @param frame          holding at least {@code capturedLength} bytes.
     * @param capturedLength bytes of the frame written.
     * @param originalLength length on the wire.
     * @return this.
     */
    public PcapngFileWriter packet(
        final int interfaceId,
        final long timestampUnits,
        final byte[] frame,
        final int capturedLength,
        final int originalLength)
    {
        int length = putPacketHeader(0, timestampUnits, capturedLength, originalLength);
        body.putShort(0, (short)interfaceId, byteOrder);
        body.putShort(2, (short)0, byteOrder);
        body.putBytes(length, frame, 0, capturedLength);
        length = pad(length + capturedLength);
        return block(PACKET_BLOCK, length);
    }

    /**
     * Write a well-formed block of any type with the given body (padded).
     *
     * @param type     the block type.
     * @param blockBody the body.
     * @return this.
     */
    public PcapngFileWriter block(final int type, final byte[] blockBody)
    {
        body.putBytes(0, blockBody);
        return block(type, pad(blockBody.length));
    }

    /**
     * Write a block with its framing fields as given, possibly broken: type, total length, the body as it is
     * (not padded) and the trailing length.
     *
     * @param type           the block type.
     * @param totalLength    the total length field.
     * @param blockBody      the body bytes.
     * @param trailingLength the trailing total length field.
     * @return this.
     */
    public PcapngFileWriter rawBlock(
        final int type, final int totalLength, final byte[] blockBody, final int trailingLength)
    {
        out.writeInt(type, byteOrder);
        out.writeInt(totalLength, byteOrder);
        out.write(blockBody, 0, blockBody.length);
        out.writeInt(trailingLength, byteOrder);
        return this;
    }

    /**
     * Write bytes as they are (garbage, a cut block).
     *
     * @param bytes the bytes.
     * @return this.
     */
    public PcapngFileWriter bytes(final byte[] bytes)
    {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /**
     * The byte order of the current section.
     *
     * @return the order.
     */
    public ByteOrder byteOrder()
    {
        return byteOrder;
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
     * Finish and close the file.
     */
    public void close()
    {
        out.close();
    }

    private int putPacketHeader(
        final int interfaceId, final long timestampUnits, final int capturedLength, final int originalLength)
    {
        body.putInt(0, interfaceId, byteOrder);
        body.putInt(4, (int)(timestampUnits >>> 32), byteOrder);
        body.putInt(8, (int)timestampUnits, byteOrder);
        body.putInt(12, capturedLength, byteOrder);
        body.putInt(16, originalLength, byteOrder);
        return 20;
    }

    private int putOption(final int offset, final int code, final byte[] value)
    {
        body.putShort(offset, (short)code, byteOrder);
        body.putShort(offset + 2, (short)value.length, byteOrder);
        body.putBytes(offset + 4, value);
        return pad(offset + 4 + value.length);
    }

    private int putEndOfOptions(final int offset)
    {
        body.putInt(offset, 0, byteOrder);
        return offset + 4;
    }

    private int pad(final int length)
    {
        final int padded = (length + 3) & ~3;
        body.setMemory(length, padded - length, (byte)0);
        return padded;
    }

    private PcapngFileWriter block(final int type, final int bodyLength)
    {
        final int totalLength = BLOCK_OVERHEAD + bodyLength;
        out.writeInt(type, byteOrder);
        out.writeInt(totalLength, byteOrder);
        out.write(body.byteArray(), 0, bodyLength);
        out.writeInt(totalLength, byteOrder);
        return this;
    }
}
