package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.codec.IpProtocol;
import io.trafficanalyzer.core.live.LiveView;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.web.query.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The live view of a running analyzer as one JSON document: rates over the last seconds (the analyzer's rate
 * window), the counters since the start, and the top hosts, ports and peers of the open and recently sealed buckets.
 */
final class LiveDocument
{
    private LiveDocument()
    {
    }

    static String write(final TrafficAnalyzer analyzer, final int limit)
    {
        final LiveView view = analyzer.liveView();
        final StringBuilder sb = new StringBuilder(4096).append('{');
        if (null != view)
        {
            final LiveView.Rates rates = view.rates();
            sb.append("\"window_seconds\": ").append(view.windowSeconds())
                .append(", \"latest_second\": ").append(rates.latestSecond() == Long.MIN_VALUE ? "null" :
                    Long.toString(rates.latestSecond()))
                .append(", \"rate_seconds\": ").append(rates.seconds())
                .append(", \"packets_per_second\": ").append(Math.round(rates.packetsPerSecond()))
                .append(", \"bits_per_second\": ").append(Math.round(rates.bitsPerSecond()))
                .append(", \"in_bits_per_second\": ").append(Math.round(rates.inBitsPerSecond()))
                .append(", \"out_bits_per_second\": ").append(Math.round(rates.outBitsPerSecond()))
                .append(", \"in_packets_per_second\": ").append(Math.round(rates.inPacketsPerSecond()))
                .append(", \"out_packets_per_second\": ").append(Math.round(rates.outPacketsPerSecond()))
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
            appendTop(sb.append(", \"top_hosts\": "), summed(view.topHosts(limit), false, limit), false, false);
            appendTop(sb.append(", \"top_ports\": "), summed(view.topPorts(limit), true, limit), true, false);
            appendTop(sb.append(", \"top_peers\": "), summed(view.topPeers(limit), false, limit), false, true);
        }

        return sb.append("}\n").toString();
    }

    /*
     * Rows of the live view by their key: host and peer (one of them for the hosts view), and the port for the
     * ports view; largest first, at most limit.
     */
    private static List<Row> summed(final List<LiveView.Entry> entries, final boolean ports, final int limit)
    {
        final Map<Row, long[]> sums = new LinkedHashMap<>();
        for (final LiveView.Entry entry : entries)
        {
            final String peer = entry.isFolded() ? "*" : IpAddresses.format(entry.peerHi(), entry.peerLo());
            final Row key = new Row(
                IpAddresses.format(entry.hostHi(), entry.hostLo()),
                StatsRow.PEERS.equals(entry.view()) ? peer : null,
                ports ? protocol(entry.protocol()) : null,
                ports ? entry.port() : 0,
                ports ? (entry.served() ? (entry.refused() ? "refused" : "server") : "client") : null,
                null);
            final long[] sum = sums.computeIfAbsent(key, (ignore) -> new long[4]);
            sum[0] += entry.inBytes();
            sum[1] += entry.inPackets();
            sum[2] += entry.outBytes();
            sum[3] += entry.outPackets();
        }

        final List<Row> rows = new ArrayList<>(sums.size());
        sums.forEach((key, sum) -> rows.add(new Row(key.host, key.peer, key.protocol, key.port, key.role, sum)));
        rows.sort(Comparator.comparingLong((Row row) -> -(row.sums[0] + row.sums[2])));
        return rows.subList(0, Math.min(limit, rows.size()));
    }

    private static void appendTop(
        final StringBuilder sb, final List<Row> rows, final boolean ports, final boolean peers)
    {
        sb.append('[');
        for (int i = 0; i < rows.size(); i++)
        {
            final Row row = rows.get(i);
            sb.append(i > 0 ? ", {" : "{");
            Json.appendQuoted(sb.append("\"host\": "), row.host);
            if (peers)
            {
                Json.appendQuoted(sb.append(", \"peer\": "), row.peer);
            }
            if (ports)
            {
                Json.appendQuoted(sb.append(", \"protocol\": "), row.protocol);
                sb.append(", \"port\": ").append(row.port);
                Json.appendQuoted(sb.append(", \"role\": "), row.role);
            }
            sb.append(", \"bytes\": ").append(row.sums[0] + row.sums[2])
                .append(", \"in_bytes\": ").append(row.sums[0])
                .append(", \"out_bytes\": ").append(row.sums[2])
                .append(", \"in_packets\": ").append(row.sums[1])
                .append(", \"out_packets\": ").append(row.sums[3])
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

    /*
     * A row's key (equal keys are summed; the sums are not compared) and its in bytes, in packets, out bytes and
     * out packets.
     */
    private record Row(String host, String peer, String protocol, int port, String role, long[] sums)
    {
        public boolean equals(final Object o)
        {
            return o instanceof Row && Objects.equals(host, ((Row)o).host) && Objects.equals(peer, ((Row)o).peer) &&
                Objects.equals(protocol, ((Row)o).protocol) && port == ((Row)o).port &&
                Objects.equals(role, ((Row)o).role);
        }

        public int hashCode()
        {
            return Objects.hash(host, peer, protocol, port, role);
        }
    }
}
