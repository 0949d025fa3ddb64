package io.trafficanalyzer.core.codec;

/**
 * Layout of an Ethernet II / IEEE 802.3 header (the frame check sequence is not captured).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      Destination Address                      |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                        Source Address                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |   EtherType or 802.3 Length   |  Payload (tags, labels, IP)  ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * A type field below {@link EtherType#MIN_ETHER_TYPE} is an 802.3 length: the payload is LLC, never IP.
 */
final class EthernetDescriptor
{
    static final int DESTINATION_ADDRESS_OFFSET = 0;
    static final int SOURCE_ADDRESS_OFFSET = 6;
    static final int ETHER_TYPE_OFFSET = 12;
    static final int HEADER_LENGTH = 14;

    private EthernetDescriptor()
    {
    }
}
