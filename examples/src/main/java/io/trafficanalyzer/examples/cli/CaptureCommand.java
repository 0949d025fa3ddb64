package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.alert.AlertRules;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.pcap.PcapException;
import io.trafficanalyzer.pcap.PcapInterface;
import io.trafficanalyzer.pcap.PcapLiveSource;
import io.trafficanalyzer.web.TrafficDashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code capture}: live capture through libpcap into the store, until Ctrl-C or the duration, with a status line
 * every few seconds.
 */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Capture live traffic through libpcap into a SQLite store (or to Kafka for a fleet's store, --sink) until " +
            "Ctrl-C or --duration; Ctrl-C flushes every open bucket to the store before exiting. Needs libpcap " +
            "(Debian/Ubuntu: apt-get install libpcap0.8) and root, or the capabilities CAP_NET_RAW and CAP_NET_ADMIN " +
            "(the systemd unit in examples/systemd; never setcap on the system java).",
        "Prints a status line every " + CaptureCommand.STATUS_SECONDS + " seconds on stderr (packets/s, bits/s, " +
            "drops) and a summary at the end. The interfaces' own networks count as local, besides --local-net." })
final class CaptureCommand implements Callable<Integer>
{
    /**
     * The shortest capture that still holds the headers counted: Ethernet, one VLAN tag, IPv6 and the ports.
     */
    static final int MIN_SNAPLEN = 14 + 4 + 40 + 4;

    static final int STATUS_SECONDS = 5;

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Option(names = { "-i", "--interface" }, paramLabel = "IF", split = ",",
        description = "The interface to capture on, or 'any' for all (see 'interfaces'); several as a list " +
        "(-i eth0,eth1) or repeated, each a stream of its own. Default: the first interface that is up, not " +
        "loopback and has an address.")
    List<String> interfaceNames = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "BPF",
        description = "A BPF filter in tcpdump's syntax, applied in the kernel, e.g. 'not port 22'.")
    String filter;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop after this long (30s, 5m, 1h). Default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--db", paramLabel = "FILE|URI", converter = Converters.StoreConverter.class,
        description = "The store to write, created when missing: a path, or a sqlite: URI with the store's " +
        "options, e.g. 'sqlite:t.db?raw=P30D' (see traffic-sqlite's README). Default: " + Outputs.DEFAULT_STORE +
        ", unless --sink is given.")
    StoreOption db;

    @Option(names = "--sink", paramLabel = "URI", converter = Converters.SinkConverter.class,
        description = ReplayCommand.SINK_HELP)
    List<SinkOption> sinks = new ArrayList<>();

    @Option(names = "--agent", paramLabel = "NAME", description = ReplayCommand.AGENT_HELP)
    String agent;

    @Option(names = "--local-net", paramLabel = "CIDR", converter = Converters.CidrConverter.class,
        description = "A local network (repeat for several). Default: the private, shared, loopback and " +
        "link-local ranges. The capture interfaces' own networks are always added.")
    List<String> localNets = new ArrayList<>();

    @Option(names = "--snaplen", paramLabel = "N", defaultValue = "" + PcapLiveSource.DEFAULT_SNAPLEN,
        description = "Bytes captured of each frame, " + MIN_SNAPLEN + " to 262144; the headers are all the " +
        "analyzer needs, the " +
        "byte counts come from the IP header. Default: ${DEFAULT-VALUE}.")
    int snaplen;

    @Option(names = "--bucket", paramLabel = "DURATION", defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "Width of a time bucket, whole seconds from 1s to 1h. Default: ${DEFAULT-VALUE}.")
    Duration bucket;

    @Option(names = "--http", paramLabel = "HOST:PORT",
        description = "Also serve the web dashboard of the store and the live view of this capture (see 'serve').")
    String http;

    @Option(names = "--alerts", paramLabel = "FILE", converter = AlertRulesConverter.class,
        description = AlertRulesConverter.HELP)
    AlertRules alerts;

    @Mixin
    DashboardOptions web;

    private final CommandContext context;

    CaptureCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        if (snaplen < MIN_SNAPLEN || snaplen > 262_144)
        {
            throw CliException.usage("--snaplen=" + snaplen + ": must be from " + MIN_SNAPLEN + " to 262144 (the " +
                "headers counted: Ethernet, a VLAN tag, an IPv6 header and the ports take " + MIN_SNAPLEN + " bytes)");
        }

        final String name = interfaceNames.isEmpty() ? defaultInterface() : String.join(",", interfaceNames);
        final PcapLiveSource source = openSource(name);
        final Outputs outputs;
        try
        {
            outputs = Outputs.open(db, sinks);
        }
        catch (final RuntimeException ex)
        {
            source.close();
            throw ex;
        }
        final ErrorLog errors = new ErrorLog(context.err());
        final TrafficAnalyzer analyzer = build(source, outputs, errors);

        final long startNs = System.nanoTime();
        final long endNs = null == duration ? Long.MAX_VALUE : startNs + duration.toNanos();
        final Status status = new Status(context.err(), context.terminal(), name);
        context.err().println("capturing on " + name + (interfaceNames.isEmpty() ? " (the default interface)" : "") +
            " into " + outputs.describe() + " as agent " + ReplayCommand.agentName(agent) +
            (null == duration ? " until Ctrl-C" : " for " + Durations.format(duration)));
        context.err().flush();
        try (StopSignal stop = new StopSignal();
            TrafficDashboard ignored = web.startIf(http, outputs.store(), analyzer, context))
        {
            analyzer.start();
            try
            {
                while (!stop.isRequested() && System.nanoTime() - endNs < 0)
                {
                    analyzer.awaitCompletion(POLL_INTERVAL);
                    if (errors.hasPending())
                    {
                        status.breakLine();
                    }
                    errors.drain(null);
                    status.update(analyzer, System.nanoTime());
                }
            }
            finally
            {
                analyzer.close();
            }
            status.breakLine();
            errors.drain(null);

            RunSummary.print(context.out(), "Captured on " + name + " into " + outputs.describe() + " as agent " +
                ReplayCommand.agentName(agent) + (stop.isRequested() ? " (stopped by a signal)" : ""),
                List.of(), analyzer.counters(), outputs, System.nanoTime() - startNs);
            outputs.printNotes(context.out());
            ReplayCommand.checkLost(analyzer, errors, outputs);
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }

    private static String defaultInterface()
    {
        try
        {
            for (final PcapInterface candidate : PcapInterface.list())
            {
                if (candidate.isUp() && !candidate.isLoopback() && !candidate.addresses().isEmpty() &&
                    !PcapLiveSource.ANY.equals(candidate.name()))
                {
                    return candidate.name();
                }
            }
        }
        catch (final PcapException ex)
        {
            throw CliException.runtime(ex.getMessage(), ex);
        }

        throw CliException.usage("--interface: no interface is up with an address; name one (see 'interfaces')");
    }

    private PcapLiveSource openSource(final String name)
    {
        try
        {
            return PcapLiveSource.builder()
                .interfaces(name.split(","))
                .filter(filter)
                .snaplen(snaplen)
                .build();
        }
        catch (final PcapException ex)
        {
            switch (ex.reason())
            {
                case NO_SUCH_INTERFACE:
                    throw CliException.usage("--interface=" + name + ": " + ex.getMessage(), ex);

                case INVALID_FILTER:
                    throw CliException.usage("--filter=" + filter + ": " + ex.getMessage(), ex);

                default:
                    throw CliException.runtime("cannot capture on " + name + ": " + ex.getMessage(), ex);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw CliException.usage("--interface=" + name + ": " + ex.getMessage(), ex);
        }
    }

    private TrafficAnalyzer build(final PcapLiveSource source, final Outputs outputs, final ErrorLog errors)
    {
        return new AnalyzerBuild(source, outputs, errors)
            .agent(agent)
            .bucket(bucket)
            .localNets(localNets)
            .build(null == alerts ? TrafficAnalyzer.builder() : TrafficAnalyzer.builder().alerts(alerts));
    }

    /**
     * The status line: rates over the last interval from the counters, drops since the start.
     */
    static final class Status
    {
        private static final long INTERVAL_NS = STATUS_SECONDS * 1_000_000_000L;

        private final PrintWriter err;
        private final boolean terminal;
        private final String name;
        private long lastNs;
        private long lastPackets;
        private long lastBytes;
        private boolean drawn;

        Status(final PrintWriter err, final boolean terminal, final String name)
        {
            this.err = err;
            this.terminal = terminal;
            this.name = name;
            this.lastNs = System.nanoTime();
        }

        void update(final TrafficAnalyzer analyzer, final long nowNs)
        {
            if (nowNs - lastNs < INTERVAL_NS)
            {
                return;
            }

            final long packets = analyzer.counter(TrafficCounter.PACKETS);
            final long bytes = analyzer.counter(TrafficCounter.BYTES);
            final double seconds = (nowNs - lastNs) / 1e9;
            final String line = String.format(Locale.ROOT, "%s: %s packets/s  %s  drops %d kernel, %d ring  " +
                "total %s packets, %s", name, HumanUnits.count(Math.round((packets - lastPackets) / seconds)),
                HumanUnits.bitRate((bytes - lastBytes) * 8 / seconds), analyzer.counter(TrafficCounter.KERNEL_DROPS),
                analyzer.counter(TrafficCounter.RING_DROPS), HumanUnits.count(packets), HumanUnits.bytes(bytes));
            lastNs = nowNs;
            lastPackets = packets;
            lastBytes = bytes;

            if (terminal)
            {
                err.print("\r" + line + "   ");
                drawn = true;
            }
            else
            {
                err.println(line);
            }
            err.flush();
        }

        void breakLine()
        {
            if (drawn)
            {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
