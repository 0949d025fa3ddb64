package io.trafficanalyzer.core.codec;

/**
 * Layout of a Cisco HDLC header (LINKTYPE_C_HDLC), as routers' serial interfaces and captures of them write it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |    Address    |    Control    |       Protocol (EtherType)    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The address is 0x0F for unicast and 0x8F for broadcast frames; the protocol is an EtherType (SLARP and CDP are
 * the usual non-IP ones).
 */
final class CiscoHdlcDescriptor
{
    static final int ADDRESS_OFFSET = 0;
    static final int CONTROL_OFFSET = 1;
    static final int PROTOCOL_OFFSET = 2;
    static final int HEADER_LENGTH = 4;

    static final int ADDRESS_UNICAST = 0x0F;
    static final int ADDRESS_BROADCAST = 0x8F;

    private CiscoHdlcDescriptor()
    {
    }
}
