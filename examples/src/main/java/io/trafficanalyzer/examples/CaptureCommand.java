package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.pcap.PcapException;
import io.trafficanalyzer.pcap.PcapInterface;
import io.trafficanalyzer.pcap.PcapLiveSource;
import io.trafficanalyzer.sqlite.SqliteSink;
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
        "Capture live traffic through libpcap into a SQLite store until Ctrl-C or --duration; Ctrl-C flushes every " +
            "open bucket to the store before exiting. Needs root, or the capabilities CAP_NET_RAW and " +
            "CAP_NET_ADMIN on the java binary, and libpcap (Debian/Ubuntu: apt-get install libpcap0.8).",
        "Prints a status line every " + CaptureCommand.STATUS_SECONDS + " seconds on stderr (packets/s, bits/s, " +
            "drops) and a summary at the end. The interfaces' own networks count as local, besides --local-net." })
final class CaptureCommand implements Callable<Integer>
{
    static final int STATUS_SECONDS = 5;

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Option(names = { "-i", "--interface" }, paramLabel = "IF",
        description = "The interface to capture on, or 'any' for all (see 'interfaces'). Default: the first " +
        "interface that is up, not loopback and has an address.")
    String interfaceName;

    @Option(names = "--filter", paramLabel = "BPF",
        description = "A BPF filter in tcpdump's syntax, applied in the kernel, e.g. 'not port 22'.")
    String filter;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Stop after this long (30s, 5m, 1h). Default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--db", paramLabel = "FILE|URI", defaultValue = "traffic.db",
        converter = Converters.StoreConverter.class,
        description = "The store to write, created when missing: a path, or a sqlite: URI with the store's " +
        "options, e.g. 'sqlite:t.db?raw=P30D' (see traffic-sqlite's README). Default: ${DEFAULT-VALUE}.")
    StoreOption db;

    @Option(names = "--local-net", paramLabel = "CIDR", converter = Converters.CidrConverter.class,
        description = "A local network (repeat for several). Default: the private, shared, loopback and " +
        "link-local ranges. The capture interfaces' own networks are always added.")
    List<String> localNets = new ArrayList<>();

    @Option(names = "--snaplen", paramLabel = "N", defaultValue = "" + PcapLiveSource.DEFAULT_SNAPLEN,
        description = "Bytes captured of each frame, 1 to 262144; the headers are all the analyzer needs, the " +
        "byte counts come from the IP header. Default: ${DEFAULT-VALUE}.")
    int snaplen;

    @Option(names = "--bucket", paramLabel = "DURATION", defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "Width of a time bucket, whole seconds from 1s to 1h. Default: ${DEFAULT-VALUE}.")
    Duration bucket;

    @Option(names = "--http", paramLabel = "HOST:PORT",
        description = "Also serve the web dashboard of the store and the live view of this capture (see 'serve').")
    String http;

    @Mixin
    DashboardOptions web;

    private final CommandContext context;

    CaptureCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        if (snaplen < 1 || snaplen > 262_144)
        {
            throw CliException.usage("--snaplen=" + snaplen + ": must be from 1 to 262144");
        }

        final String name = null != interfaceName ? interfaceName : defaultInterface();
        final PcapLiveSource source = openSource(name);
        final SqliteSink sink;
        try
        {
            sink = db.openSink();
        }
        catch (final CliException ex)
        {
            source.close();
            throw ex;
        }
        final ErrorLog errors = new ErrorLog(context.err());
        final TrafficAnalyzer analyzer = build(source, sink, errors);

        final long startNs = System.nanoTime();
        final long endNs = null == duration ? Long.MAX_VALUE : startNs + duration.toNanos();
        final Status status = new Status(context.err(), context.terminal(), name);
        context.err().println("capturing on " + name + (null == interfaceName ? " (the default interface)" : "") +
            " into " + sink.path() + (null == duration ? " until Ctrl-C" : " for " + Durations.format(duration)));
        context.err().flush();
        try (StopSignal stop = new StopSignal();
            TrafficDashboard ignored = web.startIf(http, sink.path(), analyzer, context))
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

            RunSummary.print(context.out(),
                "Captured on " + name + " into " + sink.path() + (stop.isRequested() ? " (stopped by a signal)" : ""),
                List.of(), analyzer.counters(), sink.rowsWritten(), System.nanoTime() - startNs);
            RunSummary.printRollupNotes(context.out(), sink);
            final long lost = analyzer.counter(TrafficCounter.SINK_DROPS);
            if (lost > 0)
            {
                final Throwable last = errors.last();
                throw CliException.runtime(lost + " bucket" + (lost > 1 ? "s" : "") + " could not be written to " +
                    sink.path() + (null == last ? "" : ": " + last.getMessage()), last);
            }
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
                .interfaces(name)
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

    private TrafficAnalyzer build(final PcapLiveSource source, final SqliteSink sink, final ErrorLog errors)
    {
        final TrafficAnalyzer.Builder builder = TrafficAnalyzer.builder()
            .source(source)
            .sink(sink)
            .bucket(bucket)
            .errorHandler(errors);
        if (!localNets.isEmpty())
        {
            builder.localNetworks(localNets.toArray(new String[0]));
        }

        try
        {
            return builder.build();
        }
        catch (final ConfigurationException ex)
        {
            source.close();
            sink.close();
            final String problem = ReplayCommand.problem(ex);
            switch (ex.setting())
            {
                case "bucket":
                    throw CliException.usage("--bucket=" + Durations.format(bucket) + ": " + problem, ex);

                case "localNetworks":
                    throw CliException.usage("--local-net=" + String.join(",", localNets) + ": " + problem, ex);

                default:
                    throw CliException.usage(ex.getMessage(), ex);
            }
        }
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
