package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.query.OutputFormat;
import io.trafficanalyzer.web.query.ResultTable;
import io.trafficanalyzer.web.query.StoreReader;
import io.trafficanalyzer.web.query.TrafficDocuments;
import io.trafficanalyzer.web.query.TrafficDocuments.TopView;
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
    TopView by;

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

        final ResultTable table = StoreQueries.read(db.path(), reader ->
        {
            reader.checkAgent(agent, "--");
            final StoreReader.Span span = reader.span(agent);
            return TrafficDocuments.top(reader, agent, null == span ? null : range.resolve(span), by, host, limit);
        });
        table.print(format, context.out());

        return TrafficAnalyzerCommand.SUCCESS;
    }
}
