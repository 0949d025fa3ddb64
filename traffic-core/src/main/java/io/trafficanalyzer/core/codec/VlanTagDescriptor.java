package io.trafficanalyzer.core.codec;

/**
 * Layout of the 4 bytes of an IEEE 802.1Q / 802.1ad tag that follow the TPID (the TPID sits in the EtherType field
 * of the header or tag before it).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | PCP |D|        VLAN Id        |     EtherType (next tag/IP)   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
final class VlanTagDescriptor
{
    static final int TCI_OFFSET = 0;
    static final int ETHER_TYPE_OFFSET = 2;
    static final int LENGTH = 4;
    static final int VLAN_ID_MASK = 0x0FFF;

    private VlanTagDescriptor()
    {
    }
}
