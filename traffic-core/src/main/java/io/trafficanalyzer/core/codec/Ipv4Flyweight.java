package io.trafficanalyzer.core.codec;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an IPv4 header (RFC 791), fields in network byte order.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options (IHL > 5)                         ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The first byte may be read once {@link #length()} is at least 1; the other fields once {@link #isComplete()}.
 */
final class Ipv4Flyweight
{
    static final int VERSION_IHL_OFFSET = 0;
    static final int TOS_OFFSET = 1;
    static final int TOTAL_LENGTH_OFFSET = 2;
    static final int IDENTIFICATION_OFFSET = 4;
    static final int FLAGS_FRAGMENT_OFFSET_OFFSET = 6;
    static final int TTL_OFFSET = 8;
    static final int PROTOCOL_OFFSET = 9;
    static final int CHECKSUM_OFFSET = 10;
    static final int SOURCE_ADDRESS_OFFSET = 12;
    static final int DESTINATION_ADDRESS_OFFSET = 16;
    static final int MIN_HEADER_LENGTH = 20;

    static final int VERSION = 4;
    static final int MORE_FRAGMENTS_MASK = 0x2000;
    static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wrap the bytes of a packet that starts with an IPv4 header.
     *
     * @param buffer holding the packet.
     * @param offset of the first header byte.
     * @param length bytes available from the offset (captured, not claimed by the header).
     * @return this for a fluent API.
     */
    Ipv4Flyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Bytes available from the start of the header.
     *
     * @return the length given to {@link #wrap(DirectBuffer, int, int)}.
     */
    int length()
    {
        return length;
    }

    /**
     * The version nibble.
     *
     * @return 0-15; 4 for a valid IPv4 header.
     */
    int version()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) >> 4) & 0x0F;
    }

    /**
     * The header length in bytes, from the IHL nibble.
     *
     * @return IHL * 4, from 0 to 60.
     */
    int headerLength()
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0x0F) << 2;
    }

    /**
     * Whether the header, options included, is within the available bytes (checked once per packet).
     *
     * @return true when every field may be read.
     */
    boolean isComplete()
    {
        final int headerLength = headerLength();
        return headerLength >= MIN_HEADER_LENGTH && length >= headerLength;
    }

    /**
     * The DSCP bits of the type-of-service byte.
     *
     * @return 0-63.
     */
    int dscp()
    {
        return (buffer.getByte(offset + TOS_OFFSET) >> 2) & 0x3F;
    }

    /**
     * The total length of the packet, header included; 0 on packets captured before TSO/GSO segmentation.
     *
     * @return 0-65535.
     */
    int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * The flags and fragment offset field.
     *
     * @return the unsigned 16-bit field; see {@link #MORE_FRAGMENTS_MASK} and {@link #FRAGMENT_OFFSET_MASK}.
     */
    int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * The protocol of the payload.
     *
     * @return 0-255.
     */
    int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * The source address.
     *
     * @return a.b.c.d as (a &lt;&lt; 24 | b &lt;&lt; 16 | c &lt;&lt; 8 | d).
     */
    int sourceAddress()
    {
        return buffer.getInt(offset + SOURCE_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * The destination address.
     *
     * @return a.b.c.d as (a &lt;&lt; 24 | b &lt;&lt; 16 | c &lt;&lt; 8 | d).
     */
    int destinationAddress()
    {
        return buffer.getInt(offset + DESTINATION_ADDRESS_OFFSET, BIG_ENDIAN);
    }
}
