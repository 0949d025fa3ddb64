package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.aggregate.LiveView;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.codec.IpProtocol;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.web.query.Json;

import java.util.List;

/**
 * The live view of a running analyzer as one JSON document: rates over the last seconds of packet time, the
 * counters since the start, and the top hosts, ports and peers of the open and recently sealed buckets.
 */
final class LiveDocument
{
    static final int RATE_SECONDS = 5;

    private LiveDocument()
    {
    }

    static String write(final TrafficAnalyzer analyzer, final int limit)
    {
        final LiveView view = analyzer.liveView();
        final StringBuilder sb = new StringBuilder(4096).append('{');
        if (null != view)
        {
            final LiveView.Rates rates = view.rates(RATE_SECONDS);
            sb.append("\"window_seconds\": ").append(view.windowSeconds())
                .append(", \"latest_second\": ").append(rates.latestSecond() == Long.MIN_VALUE ? "null" :
                    Long.toString(rates.latestSecond()))
                .append(", \"rate_seconds\": ").append(rates.seconds())
                .append(", \"packets_per_second\": ").append(Math.round(rates.packetsPerSecond()))
                .append(", \"bits_per_second\": ").append(Math.round(rates.bitsPerSecond()))
                .append(", \"in_bits_per_second\": ").append(Math.round(rates.inBytes() * 8.0 / rates.seconds()))
                .append(", \"out_bits_per_second\": ").append(Math.round(rates.outBytes() * 8.0 / rates.seconds()))
                .append(", \"in_packets_per_second\": ").append(Math.round((double)rates.inPackets() / rates.seconds()))
                .append(", \"out_packets_per_second\": ")
                .append(Math.round((double)rates.outPackets() / rates.seconds()))
                .append(", ");
        }

        sb.append("\"counters\": {");
        for (int i = 0; i < TrafficCounter.count(); i++)
        {
            final TrafficCounter counter = TrafficCounter.get(i);
            sb.append(i > 0 ? ", " : "");
            Json.appendQuoted(sb, counter.label()).append(": ").append(analyzer.counter(counter));
        }
        sb.append('}');

        if (null != view)
        {
            appendTop(sb.append(", \"top_hosts\": "), view.topHosts(limit), false, false);
            appendTop(sb.append(", \"top_ports\": "), view.topPorts(limit), true, false);
            appendTop(sb.append(", \"top_peers\": "), view.topPeers(limit), false, true);
        }

        return sb.append("}\n").toString();
    }

    private static void appendTop(
        final StringBuilder sb, final List<LiveView.Entry> entries, final boolean ports, final boolean peers)
    {
        sb.append('[');
        for (int i = 0; i < entries.size(); i++)
        {
            final LiveView.Entry entry = entries.get(i);
            sb.append(i > 0 ? ", {" : "{");
            Json.appendQuoted(sb.append("\"host\": "), IpAddresses.format(entry.hostHi(), entry.hostLo()));
            if (peers)
            {
                Json.appendQuoted(sb.append(", \"peer\": "), entry.isFolded() ? "*" :
                    IpAddresses.format(entry.peerHi(), entry.peerLo()));
            }
            if (ports)
            {
                Json.appendQuoted(sb.append(", \"protocol\": "), protocol(entry.protocol()));
                sb.append(", \"port\": ").append(entry.port());
                Json.appendQuoted(sb.append(", \"role\": "), entry.served() ? "server" : "client");
            }
            sb.append(", \"bytes\": ").append(entry.totalBytes())
                .append(", \"in_bytes\": ").append(entry.inBytes())
                .append(", \"out_bytes\": ").append(entry.outBytes())
                .append(", \"in_packets\": ").append(entry.inPackets())
                .append(", \"out_packets\": ").append(entry.outPackets())
                .append('}');
        }
        sb.append(']');
    }

    /*
     * The names the store's views give protocols.
     */
    static String protocol(final int protocol)
    {
        switch (protocol)
        {
            case IpProtocol.TCP:
                return "tcp";
            case IpProtocol.UDP:
                return "udp";
            case IpProtocol.ICMP:
                return "icmp";
            case IpProtocol.ICMPV6:
                return "icmpv6";
            default:
                return "other";
        }
    }
}
