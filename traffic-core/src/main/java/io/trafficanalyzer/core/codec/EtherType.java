package io.trafficanalyzer.core.codec;

/**
 * EtherType values (IEEE 802 numbers) the decoder acts upon, as found in the Ethernet type field, in 802.1Q tags
 * and in the protocol field of Linux cooked captures.
 */
final class EtherType
{
    /**
     * Values below this are an IEEE 802.3 length field, so the frame carries LLC/SNAP (STP, CDP, ...).
     */
    static final int MIN_ETHER_TYPE = 0x0600;

    static final int IPV4 = 0x0800;
    static final int ARP = 0x0806;
    static final int VLAN = 0x8100;
    static final int IPV6 = 0x86DD;
    static final int MPLS_UNICAST = 0x8847;
    static final int MPLS_MULTICAST = 0x8848;
    static final int PPPOE_DISCOVERY = 0x8863;
    static final int PPPOE_SESSION = 0x8864;
    static final int QINQ = 0x88A8;
    static final int LLDP = 0x88CC;

    /**
     * The pre-standard QinQ service tag still used by some switches.
     */
    static final int VLAN_9100 = 0x9100;

    private EtherType()
    {
    }

    /**
     * Whether an EtherType announces a VLAN tag (802.1Q, 802.1ad or the 0x9100 service tag).
     *
     * @param etherType the unsigned 16-bit EtherType.
     * @return true when a 4-byte tag follows.
     */
    static boolean isVlanTag(final int etherType)
    {
        return etherType == VLAN || etherType == QINQ || etherType == VLAN_9100;
    }
}
