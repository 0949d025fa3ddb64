package io.trafficanalyzer.core.capture;

/**
 * Layout of a pcapng file: sections, each a Section Header Block followed by blocks, every block framed by its
 * type and total length at the front and the same total length at the back, padded to 4 bytes, every field in the
 * byte order the section header's byte-order magic tells.
 * <pre>
 *   Every block                          offset  Section Header Block, type 0x0A0D0D0A (palindromic)
 *   +--------------------------------+     8     byte-order magic 0x1A2B3C4D
 *   |         Block type             |  0 12     major version (1)       14  minor version
 *   +--------------------------------+    16     section length (64 bits, may be -1)
 *   |      Block total length        |  4 24     options
 *   +--------------------------------+
 *   |      Body, padded to 4         |  8        Interface Description Block, type 1
 *   +--------------------------------+     8     link type (16 bits)     10  reserved
 *   |      Block total length        |    12     snap length             16  options (if_tsresol 9,
 *   +--------------------------------+                                        if_tsoffset 14)
 *
 *   Enhanced Packet Block, type 6        Obsolete Packet Block, type 2       Simple Packet Block, type 3
 *    8  interface id                      8  interface id (16)               8  original length
 *   12  timestamp, high 32 bits          10  drops count (16)               12  packet data, padded
 *   16  timestamp, low 32 bits           12..28 as the Enhanced Packet Block
 *   20  captured length
 *   24  original length
 *   28  packet data, padded, options
 *
 *   Option: code (16 bits), length (16 bits), value padded to 4; code 0 ends the list.
 * </pre>
 */
final class PcapngDescriptor
{
    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION_BLOCK = 1;
    static final int PACKET_BLOCK = 2;
    static final int SIMPLE_PACKET_BLOCK = 3;
    static final int ENHANCED_PACKET_BLOCK = 6;

    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int VERSION_MAJOR = 1;

    static final int BLOCK_TYPE_OFFSET = 0;
    static final int BLOCK_LENGTH_OFFSET = 4;
    static final int BLOCK_HEADER_LENGTH = 8;
    static final int BLOCK_TRAILER_LENGTH = 4;
    static final int MIN_BLOCK_LENGTH = 12;

    static final int SHB_BYTE_ORDER_MAGIC_OFFSET = 8;
    static final int SHB_VERSION_MAJOR_OFFSET = 12;
    static final int SHB_VERSION_MINOR_OFFSET = 14;
    static final int SHB_MIN_LENGTH = 28;

    static final int IDB_LINK_TYPE_OFFSET = 8;
    static final int IDB_SNAP_LENGTH_OFFSET = 12;
    static final int IDB_OPTIONS_OFFSET = 16;
    static final int IDB_MIN_LENGTH = 20;

    static final int EPB_INTERFACE_ID_OFFSET = 8;
    static final int EPB_TIMESTAMP_HIGH_OFFSET = 12;
    static final int EPB_TIMESTAMP_LOW_OFFSET = 16;
    static final int EPB_CAPTURED_LENGTH_OFFSET = 20;
    static final int EPB_ORIGINAL_LENGTH_OFFSET = 24;
    static final int EPB_DATA_OFFSET = 28;
    static final int EPB_MIN_LENGTH = 32;

    static final int PB_INTERFACE_ID_OFFSET = 8;

    static final int SPB_ORIGINAL_LENGTH_OFFSET = 8;
    static final int SPB_DATA_OFFSET = 12;
    static final int SPB_MIN_LENGTH = 16;

    static final int OPTION_HEADER_LENGTH = 4;
    static final int OPTION_END = 0;
    static final int IF_TSRESOL = 9;
    static final int IF_TSOFFSET = 14;

    /**
     * Longest block skipped unread (libpcap rejects longer ones too); the blocks read whole are bounded by
     * {@link CaptureInput#MAX_REQUIRED_LENGTH}.
     */
    static final int MAX_SKIPPED_BLOCK_LENGTH = 16 * 1024 * 1024;

    private PcapngDescriptor()
    {
    }
}
