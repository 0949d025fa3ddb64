package io.trafficanalyzer.core.codec;

/**
 * Layout of the start of Apple's PKTAP header (LINKTYPE_PKTAP, and LINKTYPE_USER2 as macOS's tcpdump writes it),
 * all fields little endian; the frame that follows the header has the link type the header names.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Header Length (>= 108)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Record Type (1: a packet)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   DLT of the inner frame                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     interface name, flags, process, ... up to Header Length ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The inner DLT is a macOS DLT_ value: Ethernet (1), NULL (0), raw IP (12), PPP (9) and the like.
 */
final class PktapDescriptor
{
    static final int HEADER_LENGTH_OFFSET = 0;
    static final int RECORD_TYPE_OFFSET = 4;
    static final int DLT_OFFSET = 8;
    static final int FIXED_FIELDS_LENGTH = 12;

    /**
     * Length of the header structure that every PKTAP writer fills in; a shorter header length is invalid.
     */
    static final int MIN_HEADER_LENGTH = 108;

    static final int RECORD_TYPE_PACKET = 1;

    private PktapDescriptor()
    {
    }
}
