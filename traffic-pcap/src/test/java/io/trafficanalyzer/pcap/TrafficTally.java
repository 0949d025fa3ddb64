package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.codec.LinkType;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts packets and IP bytes per local host, protocol, service port and direction, the way the statistics define
 * them: local to remote is OUT for the source, remote to local IN for the destination, local to local both, remote to
 * remote transit; the service port of TCP and UDP is the lower port. Fed either from the flows a test sent (the
 * expectation) or from captured frames through a minimal parser of its own (Ethernet, Linux cooked, IPv4, IPv6).
 */
final class TrafficTally
{
    static final String NON_IP = "non_ip";
    static final String TRANSIT = "transit";

    private final LocalNetworks local;
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

    void addFrame(final DirectBuffer buffer, final int offset, final int capturedLength, final int linkType)
    {
        final int etherType;
        final int ip;
        if (linkType == LinkType.ETHERNET)
        {
            etherType = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            ip = offset + 14;
        }
        else if (linkType == LinkType.LINUX_SLL)
        {
            etherType = buffer.getShort(offset + 14, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            ip = offset + 16;
        }
        else
        {
            throw new AssertionError("link type " + linkType);
        }

        if (etherType == 0x0800)
        {
            final int headerLength = (buffer.getByte(ip) & 0x0F) * 4;
            add(ipv4(buffer, ip + 12), ipv4(buffer, ip + 16), buffer.getByte(ip + 9) & 0xFF,
                port(buffer, ip + headerLength), port(buffer, ip + headerLength + 2),
                buffer.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        }
        else if (etherType == 0x86DD)
        {
            add(ipv6(buffer, ip + 8), ipv6(buffer, ip + 24), buffer.getByte(ip + 6) & 0xFF,
                port(buffer, ip + 40), port(buffer, ip + 42),
                40 + (buffer.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF));
        }
        else
        {
            count(NON_IP, 0);
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
        final boolean srcLocal = local.isLocal(s[0], s[1]);
        final boolean dstLocal = local.isLocal(d[0], d[1]);
        final boolean hasPorts = protocol == Flow.TCP || protocol == Flow.UDP;
        final String service = protocolName(protocol) + " " + (hasPorts ? Math.min(srcPort, dstPort) : 0);
        if (srcLocal)
        {
            count(IpAddresses.format(s[0], s[1]) + " " + service + " OUT", bytes);
        }
        if (dstLocal)
        {
            count(IpAddresses.format(d[0], d[1]) + " " + service + " IN", bytes);
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

    private static int port(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private static String ipv4(final DirectBuffer buffer, final int index)
    {
        return IpAddresses.format(
            0, 0x0000_FFFF_0000_0000L | (buffer.getInt(index, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL));
    }

    private static String ipv6(final DirectBuffer buffer, final int index)
    {
        return IpAddresses.format(
            buffer.getLong(index, ByteOrder.BIG_ENDIAN), buffer.getLong(index + 8, ByteOrder.BIG_ENDIAN));
    }
}
