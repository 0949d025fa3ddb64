package io.trafficanalyzer.core.aggregate;

/**
 * Layout of the records an aggregator shard writes to its ring buffer towards the flush agent, in native byte
 * order.
 * <p>
 * A row record ({@link #ROW_MSG_TYPE_ID}), one row of one view of a sealed bucket:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Bucket start, seconds since the epoch (64)      |  0
 *  +---------------------------------------------------------------+
 *  |                 Local host address (128)                      |  8
 *  +---------------------------------------------------------------+
 *  |                 Peer address (128)                            | 24
 *  +---------------------------------------------------------------+
 *  |                 Custom key (64)                               | 40
 *  +---------------------------------------------------------------+
 *  |   In bytes (64), in packets (64), out bytes (64), out packets | 48
 *  +-------------------------------+-------------------------------+
 *  |          View index           |             Port              | 80
 *  +---------------+---------------+-------------------------------+
 *  |   Protocol    |     Flags     |            Padding            | 84
 *  +---------------+---------------+-------------------------------+
 * </pre>
 * Flags: {@link #SERVED_FLAG}, {@link #FOLDED_FLAG}.
 * <p>
 * A bucket-end record ({@link #BUCKET_END_MSG_TYPE_ID}) follows the rows of each sealed bucket: bucket start at 0,
 * folded count at 8. An end-of-stream record ({@link #END_OF_STREAM_MSG_TYPE_ID}) follows the last bucket.
 */
final class RowRecordDescriptor
{
    static final int ROW_MSG_TYPE_ID = 1;
    static final int BUCKET_END_MSG_TYPE_ID = 2;
    static final int END_OF_STREAM_MSG_TYPE_ID = 3;

    static final int BUCKET_START_OFFSET = 0;
    static final int HOST_HI_OFFSET = 8;
    static final int HOST_LO_OFFSET = 16;
    static final int PEER_HI_OFFSET = 24;
    static final int PEER_LO_OFFSET = 32;
    static final int KEY_OFFSET = 40;
    static final int IN_BYTES_OFFSET = 48;
    static final int IN_PACKETS_OFFSET = 56;
    static final int OUT_BYTES_OFFSET = 64;
    static final int OUT_PACKETS_OFFSET = 72;
    static final int VIEW_INDEX_OFFSET = 80;
    static final int PORT_OFFSET = 82;
    static final int PROTOCOL_OFFSET = 84;
    static final int FLAGS_OFFSET = 85;
    static final int ROW_LENGTH = 88;

    static final int FOLDED_COUNT_OFFSET = 8;
    static final int BUCKET_END_LENGTH = 16;
    static final int END_OF_STREAM_LENGTH = 8;

    static final int SERVED_FLAG = 0x1;
    static final int FOLDED_FLAG = 0x2;

    private RowRecordDescriptor()
    {
    }
}
