package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GzipCaptureFileTest
{
    private static final long BASE_NS = 1_600_000_000_000_000_000L;

    @TempDir
    Path dir;

    private final Random random = new Random(3);
    private final List<Frame> expected = new ArrayList<>();
    private final List<Long> recordEnds = new ArrayList<>();

    @Test
    void shouldDeliverExactFramesWhenPcapGzippedAcrossManyRefills() throws IOException
    {
        final Path file = dir.resolve("capture.pcap.gz");
        final long length;
        try (PcapFileWriter writer = PcapFileWriter.createGzip(file)
            .byteOrder(ByteOrder.BIG_ENDIAN)
            .snapLength(CaptureFileSource.MAX_CAPTURED_LENGTH))
        {
            writePcapFrames(writer, 3000, 2000);
            final byte[] big = frame(CaptureFileSource.MAX_CAPTURED_LENGTH);
            for (int i = 0; i < 4; i++)
            {
                writer.record(BASE_NS + i * 1000L, big);
                expected.add(Frame.of(big, big.length, big.length, 1, BASE_NS + i * 1000L));
            }
            writePcapFrames(writer, 100, 2000);
            length = writer.position();
        }

        assertTrue(Files.size(file) < length);
        assertReadsExpected(file, length, CaptureInput.MAX_REQUIRED_LENGTH);
        assertReadsExpected(file, length, GzipFileInput.DEFAULT_CAPACITY);
    }

    @Test
    void shouldDeliverExactFramesWhenPcapngGzippedWithSections() throws IOException
    {
        final Path file = dir.resolve("capture.pcapng.gz");
        final long length;
        try (PcapngFileWriter writer = PcapngFileWriter.createGzip(file))
        {
            for (int section = 0; section < 6; section++)
            {
                writer.sectionHeader(0 == (section & 1) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                    .interfaceDescription(1, 0)
                    .interfaceDescription(113, 0, 9, 10L);
                for (int i = 0; i < 500; i++)
                {
                    final byte[] frame = frame(1 + random.nextInt(1500));
                    final int interfaceId = i & 1;
                    writer.enhancedPacket(interfaceId, i, frame);
                    expected.add(Frame.of(frame, frame.length, frame.length, 0 == interfaceId ? 1 : 113,
                        0 == interfaceId ? i * 1000L : 10_000_000_000L + i));
                }
            }
            length = writer.position();
        }

        assertReadsExpected(file, length, CaptureInput.MAX_REQUIRED_LENGTH);
    }

    @Test
    void shouldDeliverFramesOfEveryMemberWhenGzipHasSeveral() throws IOException
    {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(plain))
        {
            writePcapFrames(writer, 400, 1500);
        }
        final byte[] bytes = plain.toByteArray();
        final int cut = (int)(long)recordEnds.get(150) - 7;

        final Path file = dir.resolve("members.gz");
        Files.write(file, concat(
            gzip(Arrays.copyOfRange(bytes, 0, cut)),
            gzip(new byte[0]),
            gzip(Arrays.copyOfRange(bytes, cut, bytes.length))));

        assertReadsExpected(file, bytes.length, CaptureInput.MAX_REQUIRED_LENGTH);
    }

    @Test
    void shouldSkipOptionalHeaderFieldsWhenGzipHeaderHasThem() throws IOException
    {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(plain))
        {
            writePcapFrames(writer, 20, 500);
        }
        final byte[] bytes = plain.toByteArray();

        final ByteArrayOutputStream member = new ByteArrayOutputStream();
        // FHCRC | FEXTRA | FNAME | FCOMMENT
        member.write(new byte[]{ 0x1f, (byte)0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3 });
        member.write(new byte[]{ 3, 0, 'a', 'b', 'c' });
        member.write("capture.pcap\0".getBytes());
        member.write("a comment\0".getBytes());
        member.write(new byte[]{ 0x12, 0x34 });
        member.write(deflateRaw(bytes));
        member.write(trailer(crc(bytes), bytes.length));
        final Path file = dir.resolve("header-fields.gz");
        Files.write(file, member.toByteArray());

        assertReadsExpected(file, bytes.length, GzipFileInput.DEFAULT_CAPACITY);
    }

    @Test
    void shouldDeliverFramesBeforeDamageWhenCompressedDataTruncated() throws IOException
    {
        final Path whole = dir.resolve("whole.pcap.gz");
        try (PcapFileWriter writer = PcapFileWriter.createGzip(whole))
        {
            writePcapFrames(writer, 2000, 1500);
        }
        final byte[] compressed = Files.readAllBytes(whole);
        final byte[] cut = Arrays.copyOf(compressed, compressed.length * 3 / 5);
        final Path file = dir.resolve("cut.pcap.gz");
        Files.write(file, cut);

        final long inflatable = inflatableLength(cut);
        final int complete = (int)recordEnds.stream().filter((end) -> end <= inflatable).count();
        expected.subList(complete, expected.size()).clear();

        assertDamage(file, inflatable, "gzip: compressed data truncated");
    }

    @Test
    void shouldDeliverEveryFrameBeforeDamageWhenTrailerCrcWrong() throws IOException
    {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(plain))
        {
            writePcapFrames(writer, 300, 1500);
        }
        final byte[] bytes = plain.toByteArray();
        final byte[] compressed = gzip(bytes);
        final long crc = crc(bytes);
        final long wrongCrc = crc ^ 0x0100_0000L;
        compressed[compressed.length - 5] ^= 0x01;
        final Path file = dir.resolve("crc.pcap.gz");
        Files.write(file, compressed);

        assertDamage(file, bytes.length,
            String.format("gzip: CRC-32 mismatch: trailer 0x%08x, data 0x%08x", wrongCrc, crc));
    }

    @Test
    void shouldReportDamageWhenDeflateDataCorrupt() throws IOException
    {
        final byte[] member = new byte[40];
        Arrays.fill(member, (byte)0xff);
        System.arraycopy(new byte[]{ 0x1f, (byte)0x8b, 8, 0, 0, 0, 0, 0, 0, 3 }, 0, member, 0, 10);
        final Path file = dir.resolve("corrupt.gz");
        Files.write(file, member);

        assertDamage(file, 0, "gzip: corrupt deflate data: invalid block type");
    }

    @Test
    void shouldReportDamageWhenBytesFollowLastMember() throws IOException
    {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(plain))
        {
            writePcapFrames(writer, 30, 1500);
        }
        final byte[] bytes = plain.toByteArray();
        final Path file = dir.resolve("garbage.gz");
        Files.write(file, concat(gzip(bytes), new byte[]{ 'X', 'Y', 'Z' }));

        assertDamage(file, bytes.length, "gzip: bad member magic 0x5859");
    }

    @Test
    void shouldReportNotACaptureFileWhenGzipOfNothing() throws IOException
    {
        final Path file = dir.resolve("nothing.gz");
        Files.write(file, gzip(new byte[0]));

        assertDamage(file, 0, "not a capture file: empty");
    }

    @Test
    void shouldReportDamageWhenGzipMethodUnknown() throws IOException
    {
        final Path file = dir.resolve("method.gz");
        Files.write(file, new byte[]{ 0x1f, (byte)0x8b, 7, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3 });

        assertDamage(file, 0, "gzip: unsupported compression method 7");
    }

    private void writePcapFrames(final PcapFileWriter writer, final int count, final int maxLength)
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] frame = frame(1 + random.nextInt(maxLength));
            final long timestampNs = BASE_NS + expected.size() * 1000L;
            writer.record(timestampNs, frame);
            expected.add(Frame.of(frame, frame.length, frame.length, 1, timestampNs));
            recordEnds.add(writer.position());
        }
    }

    private byte[] frame(final int length)
    {
        final byte[] frame = new byte[length];
        // half random, half repeated, so that it compresses a little
        for (int i = 0; i < length; i += 2)
        {
            frame[i] = (byte)random.nextInt();
        }
        return frame;
    }

    private static long inflatableLength(final byte[] compressed) throws IOException
    {
        long count = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed)))
        {
            final byte[] chunk = new byte[8192];
            int read;
            while ((read = in.read(chunk)) > 0)
            {
                count += read;
            }
        }
        catch (final EOFException expectedAtCut)
        {
            return count;
        }
        throw new AssertionError("the cut stream was read to its end");
    }

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] deflateRaw(final byte[] bytes)
    {
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(bytes);
        deflater.finish();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] chunk = new byte[8192];
        while (!deflater.finished())
        {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static byte[] trailer(final long crc, final long length)
    {
        final byte[] trailer = new byte[8];
        for (int i = 0; i < 4; i++)
        {
            trailer[i] = (byte)(crc >>> (8 * i));
            trailer[4 + i] = (byte)(length >>> (8 * i));
        }
        return trailer;
    }

    private static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private void assertReadsExpected(final Path file, final long length, final int capacity) throws IOException
    {
        final FrameRecorder recorder = new FrameRecorder();
        try (CaptureFileSource source = new CaptureFileSource(new Path[]{ file }, 4096, capacity))
        {
            assertNull(recorder.readAll(source));
            assertEquals(expected.size(), source.framesDelivered());
            assertEquals(length, source.bytesRead());
            assertEquals(1, source.filesDone());
        }
        assertEquals(expected, recorder.frames);
    }

    private void assertDamage(final Path file, final long offset, final String reason) throws IOException
    {
        final FrameRecorder recorder = new FrameRecorder();
        try (CaptureFileSource source = new CaptureFileSource(
            new Path[]{ file }, 4096, CaptureInput.MAX_REQUIRED_LENGTH))
        {
            final CaptureFileException damage = recorder.readAll(source);
            assertNotNull(damage, "no damage reported");
            assertEquals(file, damage.file());
            assertEquals(reason, damage.reason());
            assertEquals(offset, damage.offset());
            assertEquals(expected.size(), source.framesDelivered());
        }
        assertEquals(expected, recorder.frames);
    }
}
