package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A sink whose commit is one line appended to a file, for a collector in a child JVM that the test kills: a line
 * cut short by the kill was never committed. {@link #replay} plays the committed lines into an {@link IdentitySink},
 * in order, so that later contributions of an identity replace earlier ones as a store would.
 */
final class JournalSink implements StatsSink
{
    private static final String END = "<end>";

    private final FileChannel channel;
    private final long delayMs;
    private final StringBuilder line = new StringBuilder();

    JournalSink(final Path file, final long delayMs) throws IOException
    {
        // a line the kill cut short stays a line of its own: the next commit must not complete it
        boolean torn = false;
        if (Files.exists(file) && Files.size(file) > 0)
        {
            try (FileChannel reading = FileChannel.open(file, StandardOpenOption.READ))
            {
                final ByteBuffer last = ByteBuffer.allocate(1);
                reading.read(last, reading.size() - 1);
                torn = '\n' != last.get(0);
            }
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
        this.delayMs = delayMs;
        if (torn)
        {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
    }

    public void onBatchStart(final StatsBatch batch)
    {
        line.setLength(0);
        line.append(batch.agent()).append('\t').append(batch.stream().id()).append('\t').append(batch.stream().label())
            .append('\t').append(batch.part()).append('\t').append(batch.startEpochSecond()).append('\t')
            .append(batch.widthSeconds()).append('\t');
        for (int i = 0; i < QualityFigures.LENGTH; i++)
        {
            line.append(BucketRecordEncoder.figure(batch.quality(), i)).append(',');
        }
    }

    public void onRow(final StatsRow row)
    {
        line.append('\t').append(row.view()).append(',').append(row.hostHi()).append(',').append(row.hostLo())
            .append(',').append(row.peerHi()).append(',').append(row.peerLo()).append(',').append(row.protocol())
            .append(',').append(row.port()).append(',').append(row.role()).append(',').append(row.key())
            .append(',').append(row.isFolded()).append(',').append(row.inBytes()).append(',').append(row.inPackets())
            .append(',').append(row.outBytes()).append(',').append(row.outPackets());
    }

    public void onBatchEnd(final StatsBatch batch) throws Exception
    {
        Thread.sleep(delayMs);
        line.append('\t').append(END).append('\n');
        final ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    public void close() throws IOException
    {
        channel.close();
    }

    static List<String> committedLines(final Path file) throws IOException
    {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter((l) -> l.endsWith(END)).toList();
    }

    static IdentitySink replay(final Path file) throws IOException
    {
        final IdentitySink sink = new IdentitySink();
        for (final String text : committedLines(file))
        {
            final String[] fields = text.split("\t");
            final long[] figures = new long[QualityFigures.LENGTH];
            final String[] values = fields[6].split(",");
            for (int i = 0; i < figures.length; i++)
            {
                figures[i] = Long.parseLong(values[i]);
            }
            final Batch batch = new Batch(fields[0], new CaptureStream(fields[1], fields[2]),
                Integer.parseInt(fields[3]), Long.parseLong(fields[4]), Integer.parseInt(fields[5]),
                new QualityFigures(figures), fields.length - 8);
            sink.onBatchStart(batch);
            for (int i = 7; i < fields.length - 1; i++)
            {
                final String[] r = fields[i].split(",");
                sink.onRow(new Row(r[0], Long.parseLong(r[1]), Long.parseLong(r[2]), Long.parseLong(r[3]),
                    Long.parseLong(r[4]), Integer.parseInt(r[5]), Integer.parseInt(r[6]), Integer.parseInt(r[7]),
                    Long.parseLong(r[8]), Boolean.parseBoolean(r[9]), Long.parseLong(r[10]), Long.parseLong(r[11]),
                    Long.parseLong(r[12]), Long.parseLong(r[13])));
            }
            sink.onBatchEnd(batch);
        }
        return sink;
    }

    record Batch(String agent, CaptureStream stream, int part, long startEpochSecond, int widthSeconds,
        BucketQuality quality, int rowCount) implements StatsBatch
    {
    }

    record Row(String view, long hostHi, long hostLo, long peerHi, long peerLo, int protocol, int port,
        int role, long key, boolean isFolded, long inBytes, long inPackets, long outBytes, long outPackets)
        implements StatsRow
    {
        public boolean served()
        {
            return CLIENT != role;
        }

        public boolean refused()
        {
            return REFUSING == role;
        }
    }
}
