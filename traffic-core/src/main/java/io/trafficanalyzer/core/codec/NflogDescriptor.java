package io.trafficanalyzer.core.codec;

/**
 * Layout of a Linux NFLOG record (LINKTYPE_NFLOG, {@code tcpdump -i nflog}): a 4-byte header, then TLVs, one of
 * which holds the logged network-layer packet.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    Family     |   Version 0   |     Resource ID (network)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          TLV Length           |           TLV Type            |  repeated,
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  each padded
 *  |              Value (TLV Length - 4 bytes)                   ...  to 4 bytes
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The TLV length counts the TLV header but not the padding. TLV length and type are in the byte order of the host
 * that wrote the capture, little endian in practice; every type is below 256 and the first TLV is the kernel's
 * packet header (type 1), so a zero first byte of the first type tells a big-endian writer.
 */
final class NflogDescriptor
{
    static final int FAMILY_OFFSET = 0;
    static final int VERSION_OFFSET = 1;
    static final int RESOURCE_ID_OFFSET = 2;
    static final int HEADER_LENGTH = 4;

    static final int TLV_LENGTH_OFFSET = 0;
    static final int TLV_TYPE_OFFSET = 2;
    static final int TLV_HEADER_LENGTH = 4;
    static final int TLV_ALIGNMENT = 4;

    static final int VERSION = 0;
    static final int TYPE_PAYLOAD = 9;

    /**
     * AF_INET and AF_INET6 as Linux numbers them, whatever system reads the capture.
     */
    static final int FAMILY_IPV4 = 2;
    static final int FAMILY_IPV6 = 10;

    private NflogDescriptor()
    {
    }

    /**
     * Bytes a TLV takes, its padding included.
     *
     * @param tlvLength the TLV's length field, unsigned.
     * @return the length rounded up to {@link #TLV_ALIGNMENT}.
     */
    static int paddedLength(final int tlvLength)
    {
        return (tlvLength + TLV_ALIGNMENT - 1) & -TLV_ALIGNMENT;
    }
}
