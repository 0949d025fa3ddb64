package io.trafficanalyzer.core.codec;

/**
 * Layout of a PPP frame (RFC 1661) as LINKTYPE_PPP and LINKTYPE_PPP_HDLC captures hold it: the HDLC-like address
 * and control bytes (RFC 1662) when they were not compressed away, then the protocol field.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | Address 0xFF  | Control 0x03  |           Protocol            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Address and control may be absent (address and control field compression), and the protocol field may be a
 * single byte (protocol field compression): a protocol's first byte is even and its last byte odd, so an odd first
 * byte is a whole compressed protocol. pppd writes a direction byte (0 in, 1 out) in place of the address.
 */
final class PppDescriptor
{
    static final int ADDRESS_CONTROL_LENGTH = 2;
    static final int PROTOCOL_LENGTH = 2;

    static final int ADDRESS_ALL_STATIONS = 0xFF;
    static final int CONTROL_UNNUMBERED = 0x03;
    static final int PPPD_IN = 0x00;
    static final int PPPD_OUT = 0x01;

    /**
     * Set in the first byte of a protocol field compressed to that byte alone.
     */
    static final int COMPRESSED_PROTOCOL_MASK = 0x01;

    static final int PROTOCOL_IPV4 = 0x0021;
    static final int PROTOCOL_IPV6 = 0x0057;
    static final int PROTOCOL_MPLS_UNICAST = 0x0281;
    static final int PROTOCOL_MPLS_MULTICAST = 0x0283;

    private PppDescriptor()
    {
    }
}
