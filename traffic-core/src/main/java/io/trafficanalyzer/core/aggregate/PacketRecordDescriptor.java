package io.trafficanalyzer.core.aggregate;

/**
 * Layout of the records the capture agent writes to a shard's ring buffer. Records stay in process, so fields are
 * in native byte order.
 * <p>
 * A packet record ({@link #PACKET_MSG_TYPE_ID}): the packets of one key that concern one local host, counted
 * together (by the {@code FlowCache} of the capture agent) or one at a time:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Bucket start, seconds since the epoch           |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Local host address (128 bits)                 |  8
 *  |                             ...                               |
 *  +---------------------------------------------------------------+
 *  |                 Peer address (128 bits)                       | 24
 *  |                             ...                               |
 *  +---------------------------------------------------------------+
 *  |                  Service port, or -1 without ports            | 40
 *  +---------------------------------------------------------------+
 *  |                       VLAN id, or -1                          | 44
 *  +---------------+---------------+---------------+---------------+
 *  |   Protocol    |     Flags     |  IP version   |     DSCP      | 48
 *  +---------------+---------------+---------------+---------------+
 *  |                            Packets                            | 52
 *  +---------------------------------------------------------------+
 *  |                   IP bytes of those packets                   | 56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * The first 52 bytes are the key; a record is one cache line.
 * Flags: {@link #OUTBOUND_FLAG}, {@link #SERVED_FLAG}, {@link #FRAGMENT_FLAG}.
 * <p>
 * A seal record ({@link #SEAL_MSG_TYPE_ID}) holds the bucket start at offset 0; an end-of-stream record
 * ({@link #END_OF_STREAM_MSG_TYPE_ID}) follows the last seal.
 */
final class PacketRecordDescriptor
{
    static final int PACKET_MSG_TYPE_ID = 1;
    static final int SEAL_MSG_TYPE_ID = 2;
    static final int END_OF_STREAM_MSG_TYPE_ID = 3;

    static final int BUCKET_START_OFFSET = 0;
    static final int HOST_HI_OFFSET = 8;
    static final int HOST_LO_OFFSET = 16;
    static final int PEER_HI_OFFSET = 24;
    static final int PEER_LO_OFFSET = 32;
    static final int SERVICE_PORT_OFFSET = 40;
    static final int VLAN_ID_OFFSET = 44;
    static final int PROTOCOL_OFFSET = 48;
    static final int FLAGS_OFFSET = 49;
    static final int IP_VERSION_OFFSET = 50;
    static final int DSCP_OFFSET = 51;
    static final int PACKETS_OFFSET = 52;
    static final int BYTES_OFFSET = 56;
    static final int KEY_LENGTH = 52;
    static final int PACKET_LENGTH = 64;

    static final int SEAL_LENGTH = 8;
    static final int END_OF_STREAM_LENGTH = 8;

    static final int OUTBOUND_FLAG = 0x1;
    static final int SERVED_FLAG = 0x2;
    static final int FRAGMENT_FLAG = 0x4;

    private PacketRecordDescriptor()
    {
    }
}
