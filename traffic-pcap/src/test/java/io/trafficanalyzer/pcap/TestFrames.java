package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.testing.FrameBuilder;

/**
 * Builds the Ethernet frame of a test {@link Flow} with core's {@link FrameBuilder}, so tests know every byte that
 * was sent. The destination MAC is {@link FrameBuilder#DESTINATION_MAC}, which no interface of the tests has: the
 * receiving kernel drops such frames before IP, so it never answers them.
 */
final class TestFrames
{
    static final int NON_IP_ETHER_TYPE = 0x88B5;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_OR_ICMP_HEADER = 8;

    private TestFrames()
    {
    }

    static byte[] frame(final Flow flow)
    {
        final FrameBuilder builder = new FrameBuilder().ethernet();
        int headers = Flow.ETHERNET_HEADER;
        if (flow.isIpv6())
        {
            builder.ipv6(flow.src(), flow.dst());
            headers += IPV6_HEADER;
        }
        else
        {
            builder.ipv4(flow.src(), flow.dst());
            headers += IPV4_HEADER;
        }

        switch (flow.protocol())
        {
            case Flow.TCP:
                builder.tcp(flow.srcPort(), flow.dstPort());
                headers += TCP_HEADER;
                break;
            case Flow.UDP:
                builder.udp(flow.srcPort(), flow.dstPort());
                headers += UDP_OR_ICMP_HEADER;
                break;
            case Flow.ICMP:
                builder.icmp();
                headers += UDP_OR_ICMP_HEADER;
                break;
            default:
                throw new IllegalArgumentException("protocol " + flow.protocol());
        }

        final byte[] frame = builder.payload(flow.frameLength() - headers).build();
        if (frame.length != flow.frameLength())
        {
            throw new IllegalStateException(flow + " built " + frame.length + " bytes");
        }
        return frame;
    }

    static byte[] nonIpFrame(final int length)
    {
        return new FrameBuilder().ethernet().etherType(NON_IP_ETHER_TYPE)
            .payload(length - Flow.ETHERNET_HEADER).build();
    }
}
