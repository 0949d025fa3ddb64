package io.trafficanalyzer.core.codec;

/**
 * Layout of one MPLS label stack entry (RFC 3032); entries repeat until the one with the bottom-of-stack bit.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Label                  | TC  |S|      TTL      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * MPLS does not say what the payload is: after the bottom of the stack an IP packet is recognised by its version
 * nibble, anything else (a pseudowire control word, an Ethernet frame) is not IP.
 */
final class MplsLabelDescriptor
{
    static final int BOTTOM_OF_STACK_OFFSET = 2;
    static final int BOTTOM_OF_STACK_MASK = 0x01;
    static final int LENGTH = 4;

    private MplsLabelDescriptor()
    {
    }
}
