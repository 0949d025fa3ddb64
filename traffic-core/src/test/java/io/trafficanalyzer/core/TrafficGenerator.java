package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.FrameOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a reproducible mix of frames: IPv4 and IPv6; TCP, UDP, ICMP, ICMPv6 and GRE; local to remote, remote to
 * local, local to local and transit; service and ephemeral ports; non-IP and malformed frames; timestamps that
 * mostly advance, sometimes step back by up to {@code maxJitterNs}.
 */
public final class TrafficGenerator
{
    private static final int[] SERVICE_PORTS = { 22, 53, 80, 123, 443, 8080 };
    private static final int[] DSCPS = { 0, 10, 46 };

    private final Random random;
    private final int localHosts;
    private final int remoteHosts;

    public TrafficGenerator(final long seed, final int localHosts, final int remoteHosts)
    {
        this.random = new Random(seed);
        this.localHosts = localHosts;
        this.remoteHosts = remoteHosts;
    }

    public List<TestPacket> generate(
        final int count,
        final long startNs,
        final long meanGapNs,
        final long maxJitterNs)
    {
        final List<TestPacket> packets = new ArrayList<>(count);
        long clock = startNs;
        for (int i = 0; i < count; i++)
        {
            clock += (long)(random.nextDouble() * 2 * meanGapNs);
            long timestamp = clock;
            if (maxJitterNs > 0 && random.nextInt(20) == 0)
            {
                timestamp -= (long)(random.nextDouble() * maxJitterNs);
            }
            packets.add(next(timestamp));
        }
        return packets;
    }

    public TestPacket next(final long timestampNs)
    {
        final int kind = random.nextInt(100);
        if (kind < 3)
        {
            return TestPacket.frame(timestampNs, FrameOutcome.NON_IP);
        }
        if (kind < 6)
        {
            final int reason = 2 + random.nextInt(FrameOutcome.count() - 2);
            return TestPacket.frame(timestampNs, FrameOutcome.get(reason));
        }

        final boolean v6 = random.nextInt(3) == 0;
        final int direction = random.nextInt(10);
        final boolean srcLocal = direction < 4 || direction == 8;
        final boolean dstLocal = (direction >= 4 && direction < 8) || direction == 8;
        final long[] src = address(v6, srcLocal);
        final long[] dst = address(v6, dstLocal);
        final int protocolChoice = random.nextInt(10);
        final int protocol = protocolChoice < 5 ? TestPacket.TCP : protocolChoice < 8 ? TestPacket.UDP :
            protocolChoice < 9 ? (v6 ? TestPacket.ICMPV6 : TestPacket.ICMP) : 47;
        int srcPort = -1;
        int dstPort = -1;
        if (protocol == TestPacket.TCP || protocol == TestPacket.UDP)
        {
            final int service = SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)];
            final int ephemeral = 32768 + random.nextInt(28000);
            final int pattern = random.nextInt(10);
            if (pattern < 5)
            {
                srcPort = ephemeral;
                dstPort = service;
            }
            else if (pattern < 9)
            {
                srcPort = service;
                dstPort = ephemeral;
            }
            else
            {
                srcPort = service;
                dstPort = service;
            }
        }

        final int bytes = 40 + random.nextInt(1461);
        final TestPacket packet = new TestPacket(
            timestampNs, FrameOutcome.DECODED, v6 ? 6 : 4, src[0], src[1], dst[0], dst[1], protocol, srcPort, dstPort,
            bytes, -1, 0);
        return packet.withDscp(DSCPS[random.nextInt(DSCPS.length)]);
    }

    private long[] address(final boolean v6, final boolean local)
    {
        if (v6)
        {
            if (local)
            {
                return new long[]{ 0xFD00_0000_0000_0000L, 1 + random.nextInt(localHosts) };
            }
            return new long[]{ 0x2001_0DB8_0000_0000L, 1 + random.nextInt(remoteHosts) };
        }

        final int n = local ? random.nextInt(localHosts) : random.nextInt(remoteHosts);
        final String dotted = local ?
            "10.0." + (n / 250) + "." + (1 + n % 250) :
            "203.0." + (n / 250) + "." + (1 + n % 250);
        return new long[]{ 0, TestPacket.v4(dotted) };
    }
}
