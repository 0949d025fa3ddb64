package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A capture file cut anywhere, read through any window size, plain or gzipped: every record wholly before the cut
 * is delivered, then the stream ends cleanly at a record boundary or with the damage at the cut record's start.
 */
class TruncatedCaptureFileProperties
{
    private static final long BASE_NS = 1_500_000_000_000_000_000L;

    // a record or block as written: where it starts and ends, and the frame it holds (null for none)
    private record Written(long start, long end, Frame frame)
    {
    }

    @Property(tries = 300)
    void shouldDeliverEveryWholeRecordWhenPcapCutAnywhere(
        @ForAll @Size(max = 40) final List<@IntRange(max = 3000) Integer> lengths,
        @ForAll @IntRange(min = 1, max = 10_000) final int windowSize,
        @ForAll @IntRange(max = 1_000_000) final int cutSeed,
        @ForAll final boolean bigEndian,
        @ForAll final boolean gzip) throws IOException
    {
        final List<Written> written = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(out)
            .byteOrder(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
            .magic(PcapFileWriter.MAGIC_NANOSECONDS)
            .header())
        {
            for (final int length : lengths)
            {
                final byte[] frame = frame(written.size(), length);
                final long start = writer.position();
                final long timestampNs = BASE_NS + written.size();
                writer.record(timestampNs, frame);
                written.add(new Written(start, writer.position(), Frame.of(frame, length, length, 1, timestampNs)));
            }
        }

        final byte[] whole = out.toByteArray();
        final int headerLength = PcapFileWriter.FILE_HEADER_LENGTH;
        final int cut = headerLength + cutSeed % (whole.length - headerLength + 1);
        assertCut(whole, cut, written, windowSize, gzip, PcapFileWriter.RECORD_HEADER_LENGTH, "record");
    }

    @Property(tries = 300)
    void shouldDeliverEveryWholeBlockWhenPcapngCutAnywhere(
        @ForAll @Size(max = 40) final List<@IntRange(max = 3000) Integer> lengths,
        @ForAll @IntRange(min = 1, max = 10_000) final int windowSize,
        @ForAll @IntRange(max = 1_000_000) final int cutSeed,
        @ForAll final boolean bigEndian,
        @ForAll final boolean gzip) throws IOException
    {
        final List<Written> written = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int headerLength;
        try (PcapngFileWriter writer = new PcapngFileWriter(out))
        {
            writer.sectionHeader(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(228, 0, 9, null);
            headerLength = (int)writer.position();
            for (final int length : lengths)
            {
                final byte[] frame = frame(written.size(), length);
                if (0 == written.size() % 5)
                {
                    final long start = writer.position();
                    writer.block(PcapngFileWriter.NAME_RESOLUTION_BLOCK, frame);
                    written.add(new Written(start, writer.position(), null));
                }
                final long start = writer.position();
                final long timestampNs = BASE_NS + written.size();
                writer.enhancedPacket(0, timestampNs, frame);
                written.add(new Written(start, writer.position(), Frame.of(frame, length, length, 228, timestampNs)));
            }
        }

        final byte[] whole = out.toByteArray();
        final int cut = headerLength + cutSeed % (whole.length - headerLength + 1);
        assertCut(whole, cut, written, windowSize, gzip, 12, "block");
    }

    private static void assertCut(
        final byte[] whole,
        final int cut,
        final List<Written> written,
        final int windowSize,
        final boolean gzip,
        final int headerLength,
        final String what) throws IOException
    {
        final List<Frame> expected = new ArrayList<>();
        Written damaged = null;
        for (final Written record : written)
        {
            if (record.end() <= cut && null != record.frame())
            {
                expected.add(record.frame());
            }
            if (record.start() < cut && record.end() > cut)
            {
                damaged = record;
            }
        }

        final Path file = Files.createTempFile("cut", gzip ? ".gz" : ".cap");
        try
        {
            final byte[] bytes = Arrays.copyOf(whole, cut);
            Files.write(file, gzip ? gzip(bytes) : bytes);
            final FrameRecorder recorder = new FrameRecorder();
            try (CaptureFileSource source = new CaptureFileSource(
                new Path[]{ file }, windowSize, CaptureInput.MAX_REQUIRED_LENGTH))
            {
                final CaptureFileException damage = recorder.readAll(source);
                if (null == damaged)
                {
                    assertNull(damage);
                    assertEquals(cut, source.bytesRead());
                }
                else
                {
                    assertNotNull(damage);
                    assertEquals(damaged.start(), damage.offset());
                    final long left = cut - damaged.start();
                    final String reason = left < headerLength ?
                        "truncated " + what + " header: " + headerLength + " bytes needed, " + left +
                        " left in the file" :
                        "truncated " + what + ": " + (damaged.end() - damaged.start()) + " bytes needed, " + left +
                        " left in the file";
                    assertEquals(reason, damage.reason());
                }
            }
            assertEquals(expected, recorder.frames);
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static byte[] frame(final int seed, final int length)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = (byte)(seed * 31 + i);
        }
        return frame;
    }

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
