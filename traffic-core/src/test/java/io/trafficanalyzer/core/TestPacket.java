package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.testing.FrameBuilder;

// One generated frame as a test writes it: what the decoder would make of it.
public record TestPacket(
    long timestampNs,
    FrameOutcome outcome,
    int ipVersion,
    long srcHi,
    long srcLo,
    long dstHi,
    long dstLo,
    int protocol,
    int srcPort,
    int dstPort,
    int ipBytes,
    int vlanId,
    int dscp)
{
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public static TestPacket ipv4(
        final long timestampNs,
        final String src,
        final String dst,
        final int protocol,
        final int srcPort,
        final int dstPort,
        final int ipBytes)
    {
        return new TestPacket(
            timestampNs, FrameOutcome.DECODED, 4, 0, v4(src), 0, v4(dst), protocol, srcPort, dstPort, ipBytes,
            DecodedPacket.NO_VLAN, 0);
    }

    public static TestPacket ipv6(
        final long timestampNs,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int protocol,
        final int srcPort,
        final int dstPort,
        final int ipBytes)
    {
        return new TestPacket(
            timestampNs, FrameOutcome.DECODED, 6, srcHi, srcLo, dstHi, dstLo, protocol, srcPort, dstPort, ipBytes,
            DecodedPacket.NO_VLAN, 0);
    }

    public static TestPacket frame(final long timestampNs, final FrameOutcome outcome)
    {
        return new TestPacket(timestampNs, outcome, 0, 0, 0, 0, 0, 0, -1, -1, 0, DecodedPacket.NO_VLAN, 0);
    }

    public TestPacket withDscp(final int dscp)
    {
        return new TestPacket(
            timestampNs, outcome, ipVersion, srcHi, srcLo, dstHi, dstLo, protocol, srcPort, dstPort, ipBytes,
            vlanId, dscp);
    }

    public TestPacket at(final long timestampNs)
    {
        return new TestPacket(
            timestampNs, outcome, ipVersion, srcHi, srcLo, dstHi, dstLo, protocol, srcPort, dstPort, ipBytes,
            vlanId, dscp);
    }

    public boolean hasPorts()
    {
        return srcPort >= 0 && dstPort >= 0;
    }

    // The IPv4-mapped lower half of a dotted quad, computed here rather than by the code under test.
    public static long v4(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        long value = 0;
        for (final String part : parts)
        {
            value = (value << 8) | Integer.parseInt(part);
        }
        return 0x0000_FFFF_0000_0000L | value;
    }

    /**
     * A real Ethernet frame for this packet: ARP for non-IP, a bad IPv4 header length for malformed, else the
     * packet with its addresses, DSCP and ports and a payload of {@code ipBytes % maxPayload} bytes.
     *
     * @param maxPayload bound of the payload length.
     * @return the frame builder, ready to write.
     */
    public FrameBuilder toFrame(final int maxPayload)
    {
        final FrameBuilder frame = new FrameBuilder().ethernet();
        if (FrameOutcome.NON_IP == outcome)
        {
            return frame.etherType(0x0806).payload(28);
        }
        if (FrameOutcome.DECODED != outcome)
        {
            // an IPv4 header length of 4 words: malformed, whatever reason the generator picked
            return frame.ipv4("10.0.0.1", "10.0.0.2").ihl(4).tcp(1, 2);
        }

        final String src = IpAddresses.format(srcHi(), srcLo());
        final String dst = IpAddresses.format(dstHi(), dstLo());
        if (4 == ipVersion())
        {
            frame.ipv4(src, dst);
        }
        else
        {
            frame.ipv6(src, dst);
        }
        frame.trafficClass(dscp() << 2);

        switch (protocol())
        {
            case TCP:
                frame.tcp(srcPort(), dstPort());
                break;
            case UDP:
                frame.udp(srcPort(), dstPort());
                break;
            case ICMP:
                frame.icmp();
                break;
            case ICMPV6:
                frame.icmpv6();
                break;
            default:
                frame.protocol(protocol());
                break;
        }

        return frame.payload(ipBytes() % maxPayload);
    }
}
