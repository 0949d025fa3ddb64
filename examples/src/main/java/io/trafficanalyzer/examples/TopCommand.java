package io.trafficanalyzer.examples;

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
            "store written by 'replay' or 'capture'.",
        "Tables show human units (KiB, MiB, Mbit/s); csv and json show raw numbers (bytes, packets, bits/s). " +
            "AVG RATE is the bytes over the whole range, in bits per second." })
final class TopCommand implements Callable<Integer>
{
    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = "traffic.db",
        converter = Converters.StoreConverter.class,
        description = "The store to read: a path or a sqlite: URI. Default: ${DEFAULT-VALUE}.")
    StoreOption db;

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
            final StoreReader.Span span = reader.span();
            return TrafficDocuments.top(reader, null == span ? null : range.resolve(span), by, host, limit);
        });
        table.print(format, context.out());

        return TrafficAnalyzerCommand.SUCCESS;
    }
}
