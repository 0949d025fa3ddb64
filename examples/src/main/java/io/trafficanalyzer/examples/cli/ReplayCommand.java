package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.StreamSummary;
import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.status.TrafficCounter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code replay}: analyse capture files into the store, as fast as they can be read.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    usageHelpWidth = 100,
    description = {
        "Analyse pcap and pcapng files (also gzip-compressed) into a SQLite store, or publish the buckets to " +
            "Kafka for a fleet's store (--sink), one file after the other, with buckets following the packets' own " +
            "timestamps: the numbers are those a live capture of the same traffic would have stored.",
        "Prints a summary at the end; draws a progress bar on stderr when it is a terminal. A damaged file stops " +
            "the replay with exit code 2: every frame before the damage is stored, and the error names the file, the " +
            "byte offset and the reason." })
final class ReplayCommand implements Callable<Integer>
{
    static final String SINK_HELP = "Send the buckets to this sink (repeat for several): " +
        "'kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?client settings]' publishes them to a topic that 'collect' " +
        "applies to a fleet's store (see traffic-kafka's README), 'sqlite:FILE[?options]' writes a store, " +
        "'jsonl:FILE' one JSON line per row. With --sink, the --db store is written only when --db is given.";
    static final String AGENT_HELP = "The name of this analyzer in every row it writes, so that a store of " +
        "several (see 'collect') tells them apart: 1 to 64 characters. Default: the host name.";

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    // other writers may hold the store for a while; a replay exits 0 only once everything it read is committed
    private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(2);
    // a store slower than the file makes the reader wait: the heap holds a few buckets (the tool runs in a small
    // one), and each is stored at its own width instead of merged with the next
    private static final int SINK_WAIT_DEPTH = 4;

    @Option(names = "--db", paramLabel = "FILE|URI", converter = Converters.StoreConverter.class,
        description = "The store to write, created when missing: a path, or a sqlite: URI with the store's " +
        "options, e.g. 'sqlite:t.db?raw=P30D' (see traffic-sqlite's README). Default: " + Outputs.DEFAULT_STORE +
        ", unless --sink is given.")
    StoreOption db;

    @Option(names = "--sink", paramLabel = "URI", converter = Converters.SinkConverter.class,
        description = SINK_HELP)
    List<SinkOption> sinks = new ArrayList<>();

    @Option(names = "--agent", paramLabel = "NAME", description = AGENT_HELP)
    String agent;

    @Option(names = "--local-net", paramLabel = "CIDR", converter = Converters.CidrConverter.class,
        description = "A local network (repeat for several), e.g. 192.0.2.0/24 or 2001:db8::/32. Default: the " +
        "private, shared, loopback and link-local ranges.")
    List<String> localNets = new ArrayList<>();

    @Option(names = "--bucket", paramLabel = "DURATION", defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "Width of a time bucket, whole seconds from 1s to 1h. Default: ${DEFAULT-VALUE}.")
    Duration bucket;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
        description = "Aggregator threads, 1 to 64; the numbers are the same for any count. Default: ${DEFAULT-VALUE}.")
    int shards;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files: pcap, pcapng, optionally .gz.")
    List<Path> files;

    private final CommandContext context;

    ReplayCommand(final CommandContext context)
    {
        this.context = context;
    }

    public Integer call()
    {
        final long totalBytes = checkFiles();
        final Outputs outputs = Outputs.open(db, sinks);
        final ProgressTrackingSource source;
        try
        {
            source = new ProgressTrackingSource(CaptureFileSource.open(files));
        }
        catch (final RuntimeException ex)
        {
            outputs.discard();
            throw ex;
        }
        final ErrorLog errors = new ErrorLog(context.err());
        final TrafficAnalyzer analyzer = build(source, outputs, errors);

        final Progress progress = context.terminal() ? new Progress(context.err(), totalBytes) : null;
        final long startNs = System.nanoTime();
        try (StopSignal stop = new StopSignal())
        {
            analyzer.start();
            try
            {
                while (!analyzer.awaitCompletion(POLL_INTERVAL) && !stop.isRequested())
                {
                    if (errors.hasPending() && null != progress)
                    {
                        progress.breakLine();
                    }
                    errors.drain(analyzer.sourceFailure());
                    if (null != progress)
                    {
                        progress.update(source.bytesRead(), analyzer.counter(TrafficCounter.FRAMES), startNs);
                    }
                }
            }
            finally
            {
                analyzer.close();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            if (null != progress)
            {
                progress.finish(source.bytesRead(), analyzer.counter(TrafficCounter.FRAMES), startNs,
                    null == analyzer.sourceFailure() && !stop.isRequested());
            }
            if (errors.hasPending() && null != progress)
            {
                progress.breakLine();
            }
            errors.drain(analyzer.sourceFailure());

            final List<StreamSummary> streams = analyzer.streams();
            RunSummary.print(context.out(), headline(streams, analyzer.sourceFailure(), stop.isRequested(),
                outputs), fileLines(streams), analyzer.counters(), outputs, elapsedNs);
            outputs.printNotes(context.out());
            checkOutcome(analyzer, errors, outputs);
        }

        return TrafficAnalyzerCommand.SUCCESS;
    }

    // what happened, in a few words: every file read, or where the replay stopped and why
    private String headline(
        final List<StreamSummary> streams, final Throwable failure, final boolean interrupted, final Outputs outputs)
    {
        final int total = files.size();
        final String into = " into " + outputs.describe() + " as agent " + agentName(agent);
        if (null != failure)
        {
            final int read = Math.max(0, streams.size() - 1);
            return "Stopped at a damaged file: read " + read + " of " + total + plural(total, " file") +
                " whole, the frames of the damaged one up to the damage" + into;
        }
        if (interrupted)
        {
            return "Interrupted: replayed " + streams.size() + " of " + total + plural(total, " file") +
                ", the last one in part," + into;
        }

        return "Replayed " + total + plural(total, " file") + into;
    }

    private static String plural(final int count, final String noun)
    {
        return 1 == count ? noun : noun + "s";
    }

    // one line per file: its frames and the time span its packets cover
    private static List<String> fileLines(final List<StreamSummary> streams)
    {
        final List<String> lines = new ArrayList<>();
        for (final StreamSummary stream : streams)
        {
            final StringBuilder line = new StringBuilder(stream.stream().label()).append(": ");
            if (0 == stream.frames())
            {
                line.append("no frames");
            }
            else
            {
                final Instant first = Instant.ofEpochSecond(0, stream.firstTimestampNs());
                final Instant last = Instant.ofEpochSecond(0, stream.lastTimestampNs());
                line.append(stream.frames()).append(1 == stream.frames() ? " frame, " : " frames, ")
                    .append(first.truncatedTo(ChronoUnit.SECONDS)).append(" to ")
                    .append(last.truncatedTo(ChronoUnit.SECONDS))
                    .append(" (").append(Durations.describe(Duration.between(first, last)
                        .truncatedTo(ChronoUnit.SECONDS))).append(')');
            }
            lines.add(line.toString());
        }

        return lines;
    }

    private long checkFiles()
    {
        long total = 0;
        for (final Path file : files)
        {
            if (!Files.exists(file))
            {
                throw CliException.usage("FILE " + file + ": no such file");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file))
            {
                throw CliException.usage("FILE " + file + ": not a readable file");
            }
            try
            {
                // compressed files inflate to more than their size: no percentage then
                total = total < 0 || isGzip(file) ? -1 : total + Files.size(file);
            }
            catch (final IOException ex)
            {
                throw CliException.usage("FILE " + file + ": cannot read: " + ex.getMessage(), ex);
            }
        }

        return total;
    }

    private static boolean isGzip(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private TrafficAnalyzer build(final ProgressTrackingSource source, final Outputs outputs, final ErrorLog errors)
    {
        return new AnalyzerBuild(source, outputs, errors)
            .agent(agent)
            .bucket(bucket)
            .localNets(localNets)
            .option("shards", "--shards=" + shards)
            .build(TrafficAnalyzer.builder()
                .shards(shards)
                .closeTimeout(CLOSE_TIMEOUT)
                .sinkWaitDepth(SINK_WAIT_DEPTH));
    }

    /*
     * The name the rows carry: the --agent given, else the host name, as the analyzer takes it by default.
     */
    static String agentName(final String agent)
    {
        return null != agent ? agent : TrafficAnalyzer.localHostName();
    }

    private void checkOutcome(final TrafficAnalyzer analyzer, final ErrorLog errors, final Outputs outputs)
    {
        final Throwable failure = analyzer.sourceFailure();
        if (null != failure)
        {
            throw CliException.runtime(failure.getMessage() + " (the frames before it are stored in " +
                outputs.describe() + ")", failure);
        }
        checkLost(analyzer, errors, outputs);
    }

    /*
     * Buckets the sinks never took fail the command, naming where they should have gone and the last error.
     */
    static void checkLost(final TrafficAnalyzer analyzer, final ErrorLog errors, final Outputs outputs)
    {
        final long lost = analyzer.counter(TrafficCounter.SINK_DROPS);
        if (lost > 0)
        {
            final Throwable last = errors.last();
            throw CliException.runtime(lost + " bucket" + (lost > 1 ? "s" : "") + " could not be written to " +
                outputs.describe() + (null == last ? "" : ": " + last.getMessage()), last);
        }
    }

    /**
     * The progress bar on a terminal: the share of the files read when their size is known, frames and rate.
     */
    static final class Progress
    {
        private static final int BAR_WIDTH = 30;
        private static final long REDRAW_NS = 250_000_000L;

        private final PrintWriter err;
        private final long totalBytes;
        private long lastDrawNs;
        private String lastLine = "";

        Progress(final PrintWriter err, final long totalBytes)
        {
            this.err = err;
            this.totalBytes = totalBytes;
        }

        void update(final long bytesRead, final long frames, final long startNs)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - lastDrawNs >= REDRAW_NS)
            {
                lastDrawNs = nowNs;
                draw(line(bytesRead, frames, nowNs - startNs, false));
            }
        }

        void breakLine()
        {
            if (!lastLine.isEmpty())
            {
                err.println();
                lastLine = "";
            }
        }

        void finish(final long bytesRead, final long frames, final long startNs, final boolean complete)
        {
            draw(line(bytesRead, frames, System.nanoTime() - startNs, complete));
            breakLine();
            err.flush();
        }

        private void draw(final String line)
        {
            // blank out what is left of a longer previous line, then draw again so the cursor ends right after
            // the text and the final newline follows it directly
            final int clear = Math.max(0, lastLine.length() - line.length());
            err.print(0 == clear ? "\r" + line : "\r" + line + " ".repeat(clear) + "\r" + line);
            err.flush();
            lastLine = line;
        }

        private String line(final long bytesRead, final long frames, final long elapsedNs, final boolean complete)
        {
            final StringBuilder sb = new StringBuilder("replay ");
            if (totalBytes > 0)
            {
                final double share = complete ? 1.0 : Math.min(1.0, (double)bytesRead / totalBytes);
                final int filled = (int)(share * BAR_WIDTH);
                sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%", (int)(share * 100)));
            }
            else
            {
                sb.append(HumanUnits.bytes(bytesRead)).append(" read");
            }
            final double seconds = Math.max(elapsedNs, 1) / 1e9;
            return sb.append("  ").append(HumanUnits.count(frames)).append(" frames  ")
                .append(HumanUnits.count(Math.round(frames / seconds))).append(" frames/s").toString();
        }
    }
}
