package io.trafficanalyzer.core.codec;

/**
 * Layout of the Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2), all fields in network byte order.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        Protocol Type          |       Reserved (MBZ)          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Interface Index                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         ARPHRD_ Type          |  Packet Type  | Address Length|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |              Link-layer Address (8 bytes, padded)             |
 *  +                                                               +
 *  |                                                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class LinuxSll2Descriptor
{
    static final int PROTOCOL_OFFSET = 0;
    static final int RESERVED_OFFSET = 2;
    static final int INTERFACE_INDEX_OFFSET = 4;
    static final int ARPHRD_TYPE_OFFSET = 8;
    static final int PACKET_TYPE_OFFSET = 10;
    static final int ADDRESS_LENGTH_OFFSET = 11;
    static final int ADDRESS_OFFSET = 12;
    static final int HEADER_LENGTH = 20;

    private LinuxSll2Descriptor()
    {
    }
}
