package io.trafficanalyzer.core.capture;

/**
 * Layout of a classic pcap file: a file header, then records of a header and the captured bytes, every field in
 * the byte order of the writer, which the magic number tells.
 * <pre>
 *   File header
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |        Magic: a1b2c3d4 (us), a1b23c4d (ns), a1b2cd34 (mod.)   |  0
 *   +-------------------------------+-------------------------------+
 *   |         Major version         |         Minor version         |  4
 *   +-------------------------------+-------------------------------+
 *   |                   Time zone (ignored)                         |  8
 *   +---------------------------------------------------------------+
 *   |                   Sigfigs (ignored)                           | 12
 *   +---------------------------------------------------------------+
 *   |                          Snap length                          | 16
 *   +---------------------------------------------------------------+
 *   |   FCS info and reserved bits  |           Link type           | 20
 *   +-------------------------------+-------------------------------+
 *
 *   Record header (modified pcap adds 8 bytes: ifindex, protocol, packet type, pad)
 *   +---------------------------------------------------------------+
 *   |                     Timestamp seconds                         |  0
 *   +---------------------------------------------------------------+
 *   |        Timestamp microseconds or nanoseconds                  |  4
 *   +---------------------------------------------------------------+
 *   |                      Captured length                          |  8
 *   +---------------------------------------------------------------+
 *   |                      Original length                          | 12
 *   +---------------------------------------------------------------+
 *   |                 Captured bytes ...                            | 16 (24)
 * </pre>
 */
final class PcapDescriptor
{
    /**
     * Magic of a file with microsecond timestamps, as read in the writer's byte order.
     */
    static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;

    /**
     * Magic of a file with nanosecond timestamps.
     */
    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;

    /**
     * Magic of Alexey Kuznetzov's modified pcap: microseconds, records with 8 more header bytes.
     */
    static final int MAGIC_MODIFIED = 0xa1b2cd34;

    static final int FILE_HEADER_LENGTH = 24;
    static final int VERSION_MAJOR_OFFSET = 4;
    static final int VERSION_MINOR_OFFSET = 6;
    static final int SNAP_LENGTH_OFFSET = 16;
    static final int LINK_TYPE_OFFSET = 20;
    static final int LINK_TYPE_MASK = 0xFFFF;
    static final int VERSION_MAJOR = 2;

    static final int RECORD_HEADER_LENGTH = 16;
    static final int MODIFIED_RECORD_HEADER_LENGTH = 24;
    static final int TIMESTAMP_SECONDS_OFFSET = 0;
    static final int TIMESTAMP_FRACTION_OFFSET = 4;
    static final int CAPTURED_LENGTH_OFFSET = 8;
    static final int ORIGINAL_LENGTH_OFFSET = 12;

    private PcapDescriptor()
    {
    }
}
