package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.aggregate.TestPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.testing.FrameBuilder;

/**
 * Real Ethernet frames for the packets of the traffic generator.
 */
final class EthernetFrames
{
    private EthernetFrames()
    {
    }

    /**
     * The frame of a generated packet: ARP for non-IP, a bad IPv4 header length for malformed, else the packet with
     * its ports and a payload of up to 1400 bytes.
     *
     * @param packet the generated packet.
     * @return the frame builder, ready to write.
     */
    static FrameBuilder frame(final TestPacket packet)
    {
        final FrameBuilder frame = new FrameBuilder().ethernet();
        if (FrameOutcome.NON_IP == packet.outcome())
        {
            return frame.etherType(0x0806).payload(28);
        }
        if (FrameOutcome.DECODED != packet.outcome())
        {
            return frame.ipv4("10.0.0.1", "10.0.0.2").ihl(4).tcp(1, 2);
        }

        final String src = IpAddresses.format(packet.srcHi(), packet.srcLo());
        final String dst = IpAddresses.format(packet.dstHi(), packet.dstLo());
        if (4 == packet.ipVersion())
        {
            frame.ipv4(src, dst);
        }
        else
        {
            frame.ipv6(src, dst);
        }

        switch (packet.protocol())
        {
            case TestPacket.TCP:
                frame.tcp(packet.srcPort(), packet.dstPort());
                break;
            case TestPacket.UDP:
                frame.udp(packet.srcPort(), packet.dstPort());
                break;
            case TestPacket.ICMP:
                frame.icmp();
                break;
            case TestPacket.ICMPV6:
                frame.icmpv6();
                break;
            default:
                frame.protocol(packet.protocol());
                break;
        }

        return frame.payload(packet.ipBytes() % 1400);
    }
}
