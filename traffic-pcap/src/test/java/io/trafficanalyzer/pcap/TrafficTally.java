package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.classify.ServicePorts;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import org.agrona.DirectBuffer;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts packets and IP bytes per local host, protocol, service port and direction, the way the statistics define
 * them: local to remote is OUT for the source, remote to local IN for the destination, local to local both, remote to
 * remote transit; the service port of TCP and UDP is that of the port rule (a well-known port before the other, else
 * the smaller: the frames the tests send open no connections, so no handshake decides). Fed either from the flows a
 * test sent (the expectation) or from captured frames decoded by core's {@link FrameDecoder}; frames that are not IP
 * are counted under their outcome's label ({@code non_ip} and the malformed reasons).
 */
final class TrafficTally
{
    static final String NON_IP = FrameOutcome.NON_IP.label();
    static final String TRANSIT = "transit";

    private final LocalNetworks local;
    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedPacket packet = new DecodedPacket();
    final Map<String, long[]> counts = new TreeMap<>();

    TrafficTally(final LocalNetworks local)
    {
        this.local = local;
    }

    TrafficTally addFlow(final Flow flow, final int packets)
    {
        for (int i = 0; i < packets; i++)
        {
            add(flow.src(), flow.dst(), flow.protocol(), flow.srcPort(), flow.dstPort(), flow.ipBytes());
        }
        return this;
    }

    TrafficTally addNonIp(final int packets)
    {
        for (int i = 0; i < packets; i++)
        {
            count(NON_IP, 0);
        }
        return this;
    }

    void addFrame(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs)
    {
        final FrameOutcome outcome = decoder.decode(
            buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet);
        if (outcome == FrameOutcome.DECODED)
        {
            add(packet.srcHi, packet.srcLo, packet.dstHi, packet.dstLo, packet.protocol, packet.srcPort,
                packet.dstPort, packet.ipBytes);
        }
        else
        {
            count(outcome.label(), 0);
        }
    }

    long packets(final String key)
    {
        final long[] value = counts.get(key);
        return null == value ? 0 : value[0];
    }

    long bytes(final String key)
    {
        final long[] value = counts.get(key);
        return null == value ? 0 : value[1];
    }

    /**
     * The counts as text, one "key=packets/bytes" per entry, for exact comparison with readable failures.
     *
     * @return the text.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        counts.forEach((key, value) -> sb.append(key).append('=').append(value[0]).append('/').append(value[1])
            .append('\n'));
        return sb.toString();
    }

    private void add(
        final String src, final String dst, final int protocol, final int srcPort, final int dstPort, final int bytes)
    {
        final long[] s = IpAddresses.parse(src);
        final long[] d = IpAddresses.parse(dst);
        add(s[0], s[1], d[0], d[1], protocol, srcPort, dstPort, bytes);
    }

    private void add(
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int protocol,
        final int srcPort,
        final int dstPort,
        final int bytes)
    {
        final boolean srcLocal = local.isLocal(srcHi, srcLo);
        final boolean dstLocal = local.isLocal(dstHi, dstLo);
        final boolean hasPorts = protocol == Flow.TCP || protocol == Flow.UDP;
        final String service =
            protocolName(protocol) + " " + (hasPorts ? ServicePorts.servicePort(srcPort, dstPort) : 0);
        if (srcLocal)
        {
            count(IpAddresses.format(srcHi, srcLo) + " " + service + " OUT", bytes);
        }
        if (dstLocal)
        {
            count(IpAddresses.format(dstHi, dstLo) + " " + service + " IN", bytes);
        }
        if (!srcLocal && !dstLocal)
        {
            count(TRANSIT, bytes);
        }
    }

    private void count(final String key, final int bytes)
    {
        final long[] value = counts.computeIfAbsent(key, (k) -> new long[2]);
        value[0]++;
        value[1] += bytes;
    }

    private static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case Flow.TCP:
                return "tcp";
            case Flow.UDP:
                return "udp";
            case Flow.ICMP:
                return "icmp";
            default:
                return "other";
        }
    }
}
