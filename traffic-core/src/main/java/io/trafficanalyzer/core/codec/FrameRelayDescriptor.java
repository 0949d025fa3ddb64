package io.trafficanalyzer.core.codec;

/**
 * Layout of a Frame Relay frame (LINKTYPE_FRELAY): a Q.922 address of 2 to 4 bytes, the last one with the EA bit
 * set, then one of two encapsulations of the payload.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | DLCI high |C|0| DLCI lo|F|B|D|1| Control 0x03  |     NLPID     |  RFC 2427
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | DLCI high |C|0| DLCI lo|F|B|D|1|       EtherType (Cisco)       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * RFC 2427 puts the control byte and an NLPID after the address, with a zero pad byte between them when that aligns
 * what follows; NLPID {@link #NLPID_SNAP} is followed by a SNAP header (3-byte OUI, 2-byte protocol identifier, an
 * EtherType when the OUI is zero). Cisco routers put an EtherType right after the address instead: a byte other than
 * the control byte after the address of a DLCI other than 0 (the signalling channel) starts one.
 */
final class FrameRelayDescriptor
{
    static final int MIN_ADDRESS_LENGTH = 2;
    static final int MAX_ADDRESS_LENGTH = 4;

    /**
     * Set in the last byte of the address, clear in the others.
     */
    static final int EXTENDED_ADDRESS_MASK = 0x01;

    static final int CONTROL_UNNUMBERED = 0x03;
    static final int PAD = 0x00;
    static final int ETHER_TYPE_LENGTH = 2;

    static final int NLPID_IPV4 = 0xCC;
    static final int NLPID_IPV6 = 0x8E;
    static final int NLPID_SNAP = 0x80;

    static final int SNAP_OUI_OFFSET = 0;
    static final int SNAP_PROTOCOL_OFFSET = 3;
    static final int SNAP_LENGTH = 5;
    static final int SNAP_OUI_ETHER_TYPE = 0x000000;

    private FrameRelayDescriptor()
    {
    }

    /**
     * The DLCI bits of the first two address bytes: six in the first, four in the second.
     *
     * @param first  first address byte, unsigned.
     * @param second second address byte, unsigned.
     * @return the upper ten bits of the DLCI.
     */
    static int dlciHigh(final int first, final int second)
    {
        return ((first & 0xFC) << 2) | ((second & 0xF0) >> 4);
    }
}
