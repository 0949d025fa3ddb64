package io.trafficanalyzer.core.codec;

/**
 * Layout of the start of a TCP (RFC 9293) or UDP (RFC 768) header: the only part the decoder needs. The ports are
 * read from both; of TCP, the sequence number and the flags too, when the captured bytes reach them.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   TCP: Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                   TCP: Acknowledgment Number (not read)       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Offset | Rsrvd |     Flags     |   rest of the header (not read)
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class TransportDescriptor
{
    static final int SOURCE_PORT_OFFSET = 0;
    static final int DESTINATION_PORT_OFFSET = 2;
    static final int PORTS_LENGTH = 4;
    static final int TCP_SEQUENCE_OFFSET = 4;
    static final int TCP_FLAGS_OFFSET = 13;
    static final int TCP_FLAGS_LENGTH = 14;

    private TransportDescriptor()
    {
    }
}
