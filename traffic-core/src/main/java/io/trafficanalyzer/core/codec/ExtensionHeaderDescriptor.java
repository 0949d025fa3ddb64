package io.trafficanalyzer.core.codec;

/**
 * Layout of the IPv6 extension headers the decoder skips (RFC 8200) and of the Authentication Header (RFC 4302),
 * which it skips behind IPv4 as well.
 * <pre>
 *  Hop-by-hop, routing, destination options: length = (Hdr Ext Len + 1) * 8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |  Hdr Ext Len  |  Options / routing data      ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Fragment: always 8 bytes
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Identification                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Authentication Header: length = (Payload Len + 2) * 4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |  Payload Len  |          RESERVED             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Security Parameters Index, Sequence, ICV          ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class ExtensionHeaderDescriptor
{
    static final int NEXT_HEADER_OFFSET = 0;
    static final int LENGTH_OFFSET = 1;
    static final int FRAGMENT_OFFSET_FLAGS_OFFSET = 2;

    /**
     * Bytes needed to read the next header and length fields of any extension header.
     */
    static final int MIN_LENGTH = 2;
    static final int FRAGMENT_HEADER_LENGTH = 8;
    static final int FRAGMENT_OFFSET_MASK = 0xFFF8;
    static final int MORE_FRAGMENTS_MASK = 0x0001;

    /**
     * Bounds the walk so that a crafted chain of empty headers costs a fixed amount of work.
     */
    static final int MAX_CHAIN_LENGTH = 16;

    private ExtensionHeaderDescriptor()
    {
    }

    /**
     * Length in bytes of a hop-by-hop, routing or destination options header.
     *
     * @param lengthField the unsigned Hdr Ext Len field.
     * @return (lengthField + 1) * 8.
     */
    static int optionsHeaderLength(final int lengthField)
    {
        return (lengthField + 1) << 3;
    }

    /**
     * Length in bytes of an Authentication Header.
     *
     * @param lengthField the unsigned Payload Len field.
     * @return (lengthField + 2) * 4.
     */
    static int authenticationHeaderLength(final int lengthField)
    {
        return (lengthField + 2) << 2;
    }
}
