package io.trafficanalyzer.core.view;

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
 * Flags: {@link #OUTBOUND_FLAG}, {@link #SERVED_FLAG}, {@link #FRAGMENT_FLAG}, {@link #REFUSED_FLAG}.
 * <p>
 * A seal record ({@link #SEAL_MSG_TYPE_ID}) holds the bucket start at offset 0; an end-of-stream record
 * ({@link #END_OF_STREAM_MSG_TYPE_ID}) follows the last seal.
 */
public final class PacketRecordDescriptor
{
    /** Type of a packet record. */
    public static final int PACKET_MSG_TYPE_ID = 1;
    /** Type of a seal record: a bucket is sealed. */
    public static final int SEAL_MSG_TYPE_ID = 2;
    /** Type of the record that ends the stream. */
    public static final int END_OF_STREAM_MSG_TYPE_ID = 3;

    /** Offset of the bucket start, seconds since the epoch. */
    public static final int BUCKET_START_OFFSET = 0;
    /** Offset of the local host, upper 64 bits. */
    public static final int HOST_HI_OFFSET = 8;
    /** Offset of the local host, lower 64 bits. */
    public static final int HOST_LO_OFFSET = 16;
    /** Offset of the peer, upper 64 bits. */
    public static final int PEER_HI_OFFSET = 24;
    /** Offset of the peer, lower 64 bits. */
    public static final int PEER_LO_OFFSET = 32;
    /** Offset of the service port. */
    public static final int SERVICE_PORT_OFFSET = 40;
    /** Offset of the VLAN id. */
    public static final int VLAN_ID_OFFSET = 44;
    /** Offset of the IP protocol. */
    public static final int PROTOCOL_OFFSET = 48;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 49;
    /** Offset of the IP version. */
    public static final int IP_VERSION_OFFSET = 50;
    /** Offset of the DSCP value. */
    public static final int DSCP_OFFSET = 51;
    /** Offset of the packet count. */
    public static final int PACKETS_OFFSET = 52;
    /** Offset of the byte count. */
    public static final int BYTES_OFFSET = 56;
    /** Length of the key, the fields before the counts. */
    public static final int KEY_LENGTH = 52;
    /** Length of a packet record. */
    public static final int PACKET_LENGTH = 64;

    /** Length of a seal record. */
    public static final int SEAL_LENGTH = 8;
    /** Length of an end-of-stream record. */
    public static final int END_OF_STREAM_LENGTH = 8;

    /** Flag: the local host sent the packets. */
    public static final int OUTBOUND_FLAG = 0x1;
    /** Flag: the local host serves the service port. */
    public static final int SERVED_FLAG = 0x2;
    /** Flag: IP fragments. */
    public static final int FRAGMENT_FLAG = 0x4;
    /** Flag, with {@link #SERVED_FLAG}: the local host refused a connection to its service port (a TCP reset). */
    public static final int REFUSED_FLAG = 0x8;

    private PacketRecordDescriptor()
    {
    }
}
