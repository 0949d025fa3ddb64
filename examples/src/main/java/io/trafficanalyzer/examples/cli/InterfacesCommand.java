package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.pcap.PcapException;
import io.trafficanalyzer.pcap.PcapInterface;
import io.trafficanalyzer.web.query.OutputFormat;
import io.trafficanalyzer.web.query.ResultTable;
import io.trafficanalyzer.web.query.ResultTable.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code interfaces}: the interfaces libpcap can capture on, with their addresses.
 */
@Command(
    name = "interfaces",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "The interfaces libpcap can capture on, with their addresses; 'any' captures on all of them (Linux). " +
            "Listing needs libpcap but no privileges." })
final class InterfacesCommand implements Callable<Integer>
{
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
        description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    OutputFormat format;

    private final CommandContext context;

    InterfacesCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        final ResultTable table = new ResultTable("Capture interfaces")
            .emptyNote("(libpcap lists no interface: is this process allowed to see them?)")
            .column("name", "NAME", Kind.TEXT)
            .column("up", "UP", Kind.FLAG)
            .column("loopback", "LOOPBACK", Kind.FLAG)
            .column("addresses", "ADDRESSES", Kind.TEXT)
            .column("description", "DESCRIPTION", Kind.TEXT);
        try
        {
            for (final PcapInterface candidate : PcapInterface.list())
            {
                table.row(candidate.name(), candidate.isUp(), candidate.isLoopback(),
                    String.join(" ", candidate.addresses()), candidate.description());
            }
        }
        catch (final PcapException ex)
        {
            throw CliException.runtime(ex.getMessage(), ex);
        }
        table.print(format, context.out());

        return TrafficAnalyzerCommand.SUCCESS;
    }
}
