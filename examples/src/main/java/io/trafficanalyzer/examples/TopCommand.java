package io.trafficanalyzer.examples;

import io.trafficanalyzer.examples.ResultTable.Kind;
import io.trafficanalyzer.sqlite.HostTraffic;
import io.trafficanalyzer.sqlite.PeerTraffic;
import io.trafficanalyzer.sqlite.PortTraffic;
import io.trafficanalyzer.sqlite.TrafficTotals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code top}: the hosts, service ports or peers that moved the most bytes in a time range.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "The local hosts, service ports or peers that moved the most bytes (in + out) in a time range, from a " +
            "store written by 'replay', 'capture' or 'collect'.",
        "A store that 'collect' fills holds the rows of several agents: without --agent their figures are summed, " +
            "so a host that two agents saw (e.g. both ends of a link) counts with the traffic of both.",
        "Tables show human units (KiB, MiB, Mbit/s); csv and json show raw numbers (bytes, packets, bits/s). " +
            "AVG RATE is the bytes over the whole range, in bits per second." })
final class TopCommand implements Callable<Integer>
{
    enum By
    {
        hosts, ports, peers
    }

    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = "traffic.db",
        converter = Converters.StoreConverter.class,
        description = "The store to read: a path or a sqlite: URI. Default: ${DEFAULT-VALUE}.")
    StoreOption db;

    @Option(names = "--agent", paramLabel = "NAME",
        description = "Only the rows this agent captured (the name given to 'replay' or 'capture' with --agent, " +
        "the host name by default); --last and the default range then count from its own newest bucket. " +
        "Default: every agent's rows, summed.")
    String agent;

    @Mixin
    RangeOptions range;

    @Option(names = "--by", paramLabel = "VIEW", defaultValue = "hosts",
        description = "What to rank: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    By by;

    @Option(names = "--host", paramLabel = "IP", converter = Converters.AddressConverter.class,
        description = "Only this local host: its ports (--by ports), its peers (--by peers) or its protocols " +
        "(--by hosts).")
    String host;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
        description = "How many rows. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    private final CommandContext context;

    TopCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        if (limit < 1)
        {
            throw CliException.usage("--limit=" + limit + ": must be at least 1");
        }

        try (StoreQueries queries = StoreQueries.open(db.path(), agent))
        {
            final StoreQueries.Span span = queries.span();
            final RangeOptions.Range resolved = null == span ? null : range.resolve(span);
            final ResultTable table = newTable(queries, resolved);
            if (null != resolved)
            {
                fill(queries, resolved, table);
                table.emptyNote(emptyNote(queries, resolved));
            }
            table.print(format, context.out());
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }

    /*
     * Why a range shows nothing: no packet at all, or only packets between two hosts that are not local, which the
     * host views leave out (a --local-net that misses the host's networks).
     */
    private String emptyNote(final StoreQueries queries, final RangeOptions.Range resolved)
    {
        final TrafficTotals totals = queries.store().totals(agent, resolved.from(), resolved.to());
        if (totals.transitPackets() > 0 && totals.transitPackets() == totals.packets())
        {
            return "(no traffic of a local host in this range: all " + totals.transitPackets() + " packets were " +
                "transit, between two hosts outside the local networks; replay or capture again with --local-net " +
                "naming the networks of the hosts to count)";
        }

        return "(no traffic in this range)";
    }

    private ResultTable newTable(final StoreQueries queries, final RangeOptions.Range resolved)
    {
        final String what = null == host ? by.name() : (by == By.hosts ? "protocols" : by.name()) + " of " + host;
        final ResultTable table = new ResultTable(
            "Top " + limit + " " + what + " by bytes in " + queries.path() +
            (null == agent ? "" : ", agent " + agent) + (null == resolved ? "" : ", " + resolved.describe()))
            .meta("db", queries.path().toString())
            .meta("agent", agent)
            .meta("by", by.name())
            .meta("host", host)
            .meta("from", null == resolved ? null : resolved.from())
            .meta("to", null == resolved ? null : resolved.to())
            .emptyNote(null == resolved ? "(the store holds no traffic yet)" : "(no traffic in this range)");

        if (null == host && by != By.hosts)
        {
            table.column("host", "HOST", Kind.TEXT);
        }
        switch (by)
        {
            case hosts:
                table.column(null == host ? "host" : "protocol", null == host ? "HOST" : "PROTOCOL", Kind.TEXT);
                break;

            case ports:
                table.column("protocol", "PROTOCOL", Kind.TEXT)
                    .column("port", "PORT", Kind.INTEGER)
                    .column("role", "ROLE", Kind.TEXT);
                break;

            case peers:
                table.column("peer", "PEER", Kind.TEXT);
                break;

            default:
                throw new IllegalStateException("unknown view " + by);
        }

        return table
            .column("bytes", "TOTAL", Kind.BYTES)
            .column("in_bytes", "IN", Kind.BYTES)
            .column("out_bytes", "OUT", Kind.BYTES)
            .column("in_packets", "PKTS IN", Kind.COUNT)
            .column("out_packets", "PKTS OUT", Kind.COUNT)
            .column("bits_per_second", "AVG RATE", Kind.RATE);
    }

    private void fill(final StoreQueries queries, final RangeOptions.Range resolved, final ResultTable table)
    {
        final double seconds = Math.max(1, resolved.seconds());
        if (by == By.hosts && null == host)
        {
            for (final HostTraffic row : queries.store().topHosts(agent, resolved.from(), resolved.to(), limit))
            {
                table.row(row.host(), row.bytes(), row.inBytes(), row.outBytes(), row.inPackets(), row.outPackets(),
                    row.bytes() * 8.0 / seconds);
            }
        }
        else if (by == By.hosts)
        {
            for (final Object[] row : queries.hostProtocols(host, resolved.from(), resolved.to(), limit))
            {
                addMeasured(table, seconds, row, 1);
            }
        }
        else if (by == By.ports && null != host)
        {
            for (final PortTraffic row : queries.store().topPorts(agent, host, resolved.from(), resolved.to(), limit))
            {
                table.row(row.protocol(), row.port(), role(row.served()), row.bytes(), row.inBytes(), row.outBytes(),
                    row.inPackets(), row.outPackets(), row.bytes() * 8.0 / seconds);
            }
        }
        else if (by == By.ports)
        {
            for (final Object[] row : queries.topPorts(resolved.from(), resolved.to(), limit))
            {
                row[3] = role(((Number)row[3]).intValue() != 0);
                addMeasured(table, seconds, row, 4);
            }
        }
        else if (null != host)
        {
            for (final PeerTraffic row : queries.store().topPeers(agent, host, resolved.from(), resolved.to(), limit))
            {
                table.row(row.peer(), row.bytes(), row.inBytes(), row.outBytes(), row.inPackets(), row.outPackets(),
                    row.bytes() * 8.0 / seconds);
            }
        }
        else
        {
            for (final Object[] row : queries.topPeers(resolved.from(), resolved.to(), limit))
            {
                addMeasured(table, seconds, row, 2);
            }
        }
    }

    /*
     * A row of `keys` key columns then in bytes, in packets, out bytes, out packets, as the SQL of StoreQueries
     * returns them; the table wants the keys, total, in bytes, out bytes, in packets, out packets and rate.
     */
    private static void addMeasured(final ResultTable table, final double seconds, final Object[] row, final int keys)
    {
        final long inBytes = (Long)row[keys];
        final long inPackets = (Long)row[keys + 1];
        final long outBytes = (Long)row[keys + 2];
        final long outPackets = (Long)row[keys + 3];
        final Object[] values = new Object[keys + 6];
        System.arraycopy(row, 0, values, 0, keys);
        values[keys] = inBytes + outBytes;
        values[keys + 1] = inBytes;
        values[keys + 2] = outBytes;
        values[keys + 3] = inPackets;
        values[keys + 4] = outPackets;
        values[keys + 5] = (inBytes + outBytes) * 8.0 / seconds;
        table.row(values);
    }

    private static String role(final boolean served)
    {
        return served ? "server" : "client";
    }
}
