package io.trafficanalyzer.core.codec;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over the fixed IPv6 header (RFC 8200), fields in network byte order.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |              Flow Label               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                        Source Address                         +
 *  |                          (16 bytes)                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                                                               |
 *  +                      Destination Address                      +
 *  |                          (16 bytes)                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The fields may be read once {@link #isComplete()}; they are read a 32- or 64-bit word at a time and taken apart
 * with shifts and masks: one bounds check per word.
 */
final class Ipv6Flyweight
{
    static final int VERSION_CLASS_FLOW_OFFSET = 0;
    static final int PAYLOAD_LENGTH_OFFSET = 4;
    static final int NEXT_HEADER_OFFSET = 6;
    static final int HOP_LIMIT_OFFSET = 7;
    static final int SOURCE_ADDRESS_OFFSET = 8;
    static final int DESTINATION_ADDRESS_OFFSET = 24;
    static final int HEADER_LENGTH = 40;

    static final int VERSION = 6;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Wrap the bytes of a packet that starts with an IPv6 header.
     *
     * @param buffer holding the packet.
     * @param offset of the first header byte.
     * @param length bytes available from the offset (captured, not claimed by the header).
     * @return this for a fluent API.
     */
    Ipv6Flyweight wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /**
     * Whether the fixed header is within the available bytes (checked once per packet).
     *
     * @return true when every field may be read.
     */
    boolean isComplete()
    {
        return length >= HEADER_LENGTH;
    }

    /**
     * The first 32-bit word of the header, for {@link #dscp(int)}.
     *
     * @return version, traffic class and flow label, in network order.
     */
    int firstWord()
    {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, BIG_ENDIAN);
    }

    /**
     * The DSCP bits of the traffic class.
     *
     * @param firstWord as read by {@link #firstWord()}.
     * @return 0-63.
     */
    static int dscp(final int firstWord)
    {
        return (firstWord >>> 22) & 0x3F;
    }

    /**
     * The second 32-bit word of the header, for {@link #payloadLength(int)} and {@link #nextHeader(int)}.
     *
     * @return payload length, next header and hop limit, in network order.
     */
    int secondWord()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN);
    }

    /**
     * Length of what follows the fixed header; 0 for jumbograms and BIG TCP packets.
     *
     * @param secondWord as read by {@link #secondWord()}.
     * @return 0-65535.
     */
    static int payloadLength(final int secondWord)
    {
        return secondWord >>> 16;
    }

    /**
     * The type of the first extension header or of the transport.
     *
     * @param secondWord as read by {@link #secondWord()}.
     * @return 0-255.
     */
    static int nextHeader(final int secondWord)
    {
        return (secondWord >>> 8) & 0xFF;
    }

    /**
     * Upper 64 bits of the source address.
     *
     * @return bytes 0-7 of the address, most significant first.
     */
    long sourceHi()
    {
        return buffer.getLong(offset + SOURCE_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * Lower 64 bits of the source address.
     *
     * @return bytes 8-15 of the address, most significant first.
     */
    long sourceLo()
    {
        return buffer.getLong(offset + SOURCE_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    /**
     * Upper 64 bits of the destination address.
     *
     * @return bytes 0-7 of the address, most significant first.
     */
    long destinationHi()
    {
        return buffer.getLong(offset + DESTINATION_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * Lower 64 bits of the destination address.
     *
     * @return bytes 8-15 of the address, most significant first.
     */
    long destinationLo()
    {
        return buffer.getLong(offset + DESTINATION_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }
}
