package io.trafficanalyzer.pcap;

/**
 * One kind of test frame: addresses, protocol, ports and the frame's length on the wire.
 *
 * @param src         source address.
 * @param dst         destination address.
 * @param protocol    IP protocol number.
 * @param srcPort     source port, -1 for none.
 * @param dstPort     destination port, -1 for none.
 * @param frameLength Ethernet frame length.
 */
record Flow(String src, String dst, int protocol, int srcPort, int dstPort, int frameLength)
{
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ETHERNET_HEADER = 14;

    static Flow tcp(final String src, final int srcPort, final String dst, final int dstPort, final int frameLength)
    {
        return new Flow(src, dst, TCP, srcPort, dstPort, frameLength);
    }

    static Flow udp(final String src, final int srcPort, final String dst, final int dstPort, final int frameLength)
    {
        return new Flow(src, dst, UDP, srcPort, dstPort, frameLength);
    }

    static Flow icmp(final String src, final String dst, final int frameLength)
    {
        return new Flow(src, dst, ICMP, -1, -1, frameLength);
    }

    boolean isIpv6()
    {
        return src.indexOf(':') >= 0;
    }

    /**
     * The IP packet's length: what the statistics count as bytes.
     *
     * @return frame length less the Ethernet header.
     */
    int ipBytes()
    {
        return frameLength - ETHERNET_HEADER;
    }
}
