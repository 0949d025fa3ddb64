package io.trafficanalyzer.core.codec;

/**
 * Layout of the Linux cooked capture v1 header (LINKTYPE_LINUX_SLL), all fields in network byte order.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Packet Type          |        ARPHRD_ Type           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Link-layer Address Length    |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |              Link-layer Address (8 bytes, padded)             |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |        Protocol Type          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class LinuxSllDescriptor
{
    static final int PACKET_TYPE_OFFSET = 0;
    static final int ARPHRD_TYPE_OFFSET = 2;
    static final int ADDRESS_LENGTH_OFFSET = 4;
    static final int ADDRESS_OFFSET = 6;
    static final int PROTOCOL_OFFSET = 14;
    static final int HEADER_LENGTH = 16;

    private LinuxSllDescriptor()
    {
    }
}
