package io.trafficanalyzer.core.sink;

/**
 * Layout of one row of a bucket: what a {@link RowWriter} writes, the shards' rings carry to the flush agent, a
 * {@link BucketBuilder} sums and a {@link SealedBucket} keeps, read through a {@link BucketRow}. A row is eleven
 * 64-bit words in native byte order, the key first, in the order rows sort by, then the measures:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  View index (bits 0-15) and flags (bits 16-23) of a word (64)  |  0
 *  +---------------------------------------------------------------+
 *  |                 Local host address (128)                      |  8
 *  +---------------------------------------------------------------+
 *  |  IP protocol (bits 32-63) and service port (bits 0-31) (64)    | 24
 *  +---------------------------------------------------------------+
 *  |                 Peer address (128)                            | 32
 *  +---------------------------------------------------------------+
 *  |                 Custom key (64)                               | 48
 *  +---------------------------------------------------------------+
 *  |   In bytes (64), in packets (64), out bytes (64), out packets | 56
 *  +---------------------------------------------------------------+
 * </pre>
 * The key is the first seven words; bits a field does not use are zero, so equal rows are equal bytes.
 * Flags: {@link #SERVED_FLAG}, {@link #FOLDED_FLAG}, {@link #REFUSED_FLAG} (with the served flag: the host refused
 * connections to the port).
 */
final class BucketRowDescriptor
{
    static final int VIEW_FLAGS_OFFSET = 0;
    static final int HOST_HI_OFFSET = 8;
    static final int HOST_LO_OFFSET = 16;
    static final int PROTOCOL_PORT_OFFSET = 24;
    static final int PEER_HI_OFFSET = 32;
    static final int PEER_LO_OFFSET = 40;
    static final int KEY_OFFSET = 48;
    static final int IN_BYTES_OFFSET = 56;
    static final int IN_PACKETS_OFFSET = 64;
    static final int OUT_BYTES_OFFSET = 72;
    static final int OUT_PACKETS_OFFSET = 80;
    static final int LENGTH = 88;

    static final int FLAGS_SHIFT = 16;
    static final int PROTOCOL_SHIFT = 32;
    static final long SERVED_FLAG = 1L << FLAGS_SHIFT;
    static final long FOLDED_FLAG = 2L << FLAGS_SHIFT;
    static final long REFUSED_FLAG = 4L << FLAGS_SHIFT;

    private BucketRowDescriptor()
    {
    }

    static int viewIndex(final long viewFlags)
    {
        return (int)(viewFlags & 0xFFFF);
    }

    static int protocol(final long protocolPort)
    {
        return (int)(protocolPort >> PROTOCOL_SHIFT);
    }

    static int port(final long protocolPort)
    {
        return (int)protocolPort;
    }

    static long protocolPort(final int protocol, final int port)
    {
        return ((long)protocol << PROTOCOL_SHIFT) | (port & 0xFFFF_FFFFL);
    }
}
