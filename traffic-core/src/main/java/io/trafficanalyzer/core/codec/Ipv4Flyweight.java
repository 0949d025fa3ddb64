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
 * Fields are read a 32- or 64-bit word at a time and taken apart with shifts and masks: one bounds check per word.
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
     * The first 32-bit word of the header, for {@link #dscp(int)} and {@link #totalLength(int)}: one read (one bounds
     * check) for several fields.
     *
     * @return Version, IHL, type of service and total length, in network order.
     */
    int firstWord()
    {
        return buffer.getInt(offset + VERSION_IHL_OFFSET, BIG_ENDIAN);
    }

    /**
     * The DSCP bits of the type-of-service byte.
     *
     * @param firstWord as read by {@link #firstWord()}.
     * @return 0-63.
     */
    static int dscp(final int firstWord)
    {
        return (firstWord >>> 18) & 0x3F;
    }

    /**
     * The total length of the packet, header included; 0 on packets captured before TSO/GSO segmentation.
     *
     * @param firstWord as read by {@link #firstWord()}.
     * @return 0-65535.
     */
    static int totalLength(final int firstWord)
    {
        return firstWord & 0xFFFF;
    }

    /**
     * The second 32-bit word of the header, for {@link #fragmentOffset(int)} and {@link #moreFragments(int)}.
     *
     * @return identification, flags and fragment offset, in network order.
     */
    int fragmentWord()
    {
        return buffer.getInt(offset + IDENTIFICATION_OFFSET, BIG_ENDIAN);
    }

    /**
     * The fragment offset.
     *
     * @param fragmentWord as read by {@link #fragmentWord()}.
     * @return the offset in 8-byte units, 0 for an unfragmented packet or a first fragment.
     */
    static int fragmentOffset(final int fragmentWord)
    {
        return fragmentWord & FRAGMENT_OFFSET_MASK;
    }

    /**
     * The MF flag.
     *
     * @param fragmentWord as read by {@link #fragmentWord()}.
     * @return true when more fragments follow.
     */
    static boolean moreFragments(final int fragmentWord)
    {
        return (fragmentWord & MORE_FRAGMENTS_MASK) != 0;
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
     * Both addresses in one read: they are adjacent in the header.
     *
     * @return the source address in the upper 32 bits, the destination address in the lower 32 bits.
     */
    long addresses()
    {
        return buffer.getLong(offset + SOURCE_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * The source address.
     *
     * @param addresses as read by {@link #addresses()}.
     * @return a.b.c.d as (a &lt;&lt; 24 | b &lt;&lt; 16 | c &lt;&lt; 8 | d).
     */
    static int sourceAddress(final long addresses)
    {
        return (int)(addresses >>> 32);
    }

    /**
     * The destination address.
     *
     * @param addresses as read by {@link #addresses()}.
     * @return a.b.c.d as (a &lt;&lt; 24 | b &lt;&lt; 16 | c &lt;&lt; 8 | d).
     */
    static int destinationAddress(final long addresses)
    {
        return (int)addresses;
    }
}
