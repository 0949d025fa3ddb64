package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An example of a custom sink: each bucket as JSON lines, one object per row of every view and one
 * {@code "view":"quality"} object with the bucket's data-quality figures, e.g.
 * <pre>
 * {"time":"2024-05-01T10:00:00Z","bucket_start":1714557600,"bucket_seconds":10,"view":"hosts","host":"10.0.0.1",
 *  "protocol":6,"in_bytes":1048576,"in_packets":1024,"out_bytes":32768,"out_packets":512}
 * </pre>
 * (one line in the file). {@code protocol} is the IP protocol number; ports rows add {@code port}, {@code served}
 * and {@code refused} (the host refused connections to the port), peers rows {@code peer} ({@code "*"} for the folded
 * row), rows of a custom view {@code key}.
 * <p>
 * A bucket's lines are built in memory and written with one write and a flush at the end of the batch, so a failed
 * batch writes nothing and is retried whole. A batch that failed inside that final write may leave its lines twice:
 * readers keep, per {@code bucket_start} and {@code bucket_seconds}, the lines of its last quality line. Found
 * through {@link JsonLinesSinkProvider} by the URI scheme {@code jsonl:}.
 */
public final class JsonLinesSink implements StatsSink
{
    private final Writer writer;
    private final boolean closeWriter;
    private final StringBuilder lines = new StringBuilder(64 * 1024);
    private final StringBuilder prefix = new StringBuilder(96);

    /**
     * A sink writing to a writer.
     *
     * @param writer      where the lines go.
     * @param closeWriter whether {@link #close()} closes it (not for standard output).
     */
    public JsonLinesSink(final Writer writer, final boolean closeWriter)
    {
        this.writer = writer;
        this.closeWriter = closeWriter;
    }

    /**
     * A sink appending to a file, created when missing.
     *
     * @param file the file.
     * @return the sink.
     * @throws IOException when the file cannot be opened for appending.
     */
    public static JsonLinesSink appendingTo(final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        return new JsonLinesSink(Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
    }

    /**
     * A sink writing to standard output, which it flushes but never closes.
     *
     * @return the sink.
     */
    public static JsonLinesSink toStandardOutput()
    {
        return new JsonLinesSink(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    }

    /**
     * Begin a bucket: forget any lines of a failed attempt.
     *
     * @param batch the bucket.
     */
    public void onBatchStart(final StatsBatch batch)
    {
        lines.setLength(0);
        prefix.setLength(0);
        prefix.append("{\"time\":\"").append(Instant.ofEpochSecond(batch.startEpochSecond()))
            .append("\",\"bucket_start\":").append(batch.startEpochSecond())
            .append(",\"bucket_seconds\":").append(batch.widthSeconds())
            .append(",\"view\":");
    }

    /**
     * Add a row's line.
     *
     * @param row the row.
     */
    public void onRow(final StatsRow row)
    {
        lines.append(prefix);
        Json.appendQuoted(lines, row.view()).append(",\"host\":\"");
        IpAddresses.appendTo(lines, row.hostHi(), row.hostLo()).append("\",\"protocol\":").append(row.protocol());
        switch (row.view())
        {
            case StatsRow.HOSTS:
                break;

            case StatsRow.PORTS:
                lines.append(",\"port\":").append(row.port()).append(",\"served\":").append(row.served())
                    .append(",\"refused\":").append(row.refused());
                break;

            case StatsRow.PEERS:
                lines.append(",\"peer\":\"");
                if (row.isFolded())
                {
                    lines.append('*');
                }
                else
                {
                    IpAddresses.appendTo(lines, row.peerHi(), row.peerLo());
                }
                lines.append('"');
                break;

            default:
                lines.append(",\"key\":").append(row.key());
        }
        lines.append(",\"in_bytes\":").append(row.inBytes())
            .append(",\"in_packets\":").append(row.inPackets())
            .append(",\"out_bytes\":").append(row.outBytes())
            .append(",\"out_packets\":").append(row.outPackets())
            .append("}\n");
    }

    /**
     * Add the quality line, then write and flush the bucket's lines at once.
     *
     * @param batch the bucket.
     * @throws IOException when writing fails; the batch is then retried whole.
     */
    public void onBatchEnd(final StatsBatch batch) throws IOException
    {
        final BucketQuality quality = batch.quality();
        long malformed = 0;
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            malformed += outcome.isMalformed() ? quality.frames(outcome) : 0;
        }
        lines.append(prefix).append("\"quality\"")
            .append(",\"frames\":").append(quality.frames())
            .append(",\"packets\":").append(quality.packets())
            .append(",\"bytes\":").append(quality.bytes())
            .append(",\"transit_packets\":").append(quality.transitPackets())
            .append(",\"non_ip\":").append(quality.frames(FrameOutcome.NON_IP))
            .append(",\"malformed\":").append(malformed)
            .append(",\"late_packets\":").append(quality.latePackets())
            .append(",\"ring_drops\":").append(quality.ringDrops())
            .append(",\"kernel_drops\":").append(quality.kernelDrops())
            .append(",\"complete\":").append(quality.isComplete())
            .append(",\"rows\":").append(batch.rowCount())
            .append("}\n");

        writer.append(lines);
        writer.flush();
        lines.setLength(0);
    }

    /**
     * Flush, and close the writer when this sink owns it.
     *
     * @throws IOException when flushing or closing fails.
     */
    public void close() throws IOException
    {
        if (closeWriter)
        {
            writer.close();
        }
        else
        {
            writer.flush();
        }
    }
}
