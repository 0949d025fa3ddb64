package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.trafficanalyzer.core.testing.PcapFileWriter.FILE_HEADER_LENGTH;
import static io.trafficanalyzer.core.testing.PcapFileWriter.MAGIC_MICROSECONDS;
import static io.trafficanalyzer.core.testing.PcapFileWriter.MAGIC_MODIFIED;
import static io.trafficanalyzer.core.testing.PcapFileWriter.MAGIC_NANOSECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapFileTest
{
    private static final long BASE_NS = 1_700_000_000_123_456_000L;

    @TempDir
    Path dir;

    private final Random random = new Random(42);
    private final List<Frame> expected = new ArrayList<>();

    static Stream<Arguments> formats()
    {
        return Stream.of(
            Arguments.of(ByteOrder.LITTLE_ENDIAN, MAGIC_MICROSECONDS),
            Arguments.of(ByteOrder.BIG_ENDIAN, MAGIC_MICROSECONDS),
            Arguments.of(ByteOrder.LITTLE_ENDIAN, MAGIC_NANOSECONDS),
            Arguments.of(ByteOrder.BIG_ENDIAN, MAGIC_NANOSECONDS),
            Arguments.of(ByteOrder.LITTLE_ENDIAN, MAGIC_MODIFIED),
            Arguments.of(ByteOrder.BIG_ENDIAN, MAGIC_MODIFIED));
    }

    @ParameterizedTest
    @MethodSource("formats")
    void shouldDeliverExactFramesWhenPcapOfEitherByteOrderAndMagic(final ByteOrder order, final int magic)
        throws IOException
    {
        final Path file = dir.resolve("capture.bin");
        final long step = MAGIC_NANOSECONDS == magic ? 1_234_567_891L : 1_234_567_000L;
        try (PcapFileWriter writer = PcapFileWriter.create(file).byteOrder(order).magic(magic).linkType(113))
        {
            for (int i = 0; i < 50; i++)
            {
                final byte[] frame = frame(1 + random.nextInt(1600));
                final long timestampNs = BASE_NS + i * step;
                writer.record(timestampNs, frame);
                expected.add(Frame.of(frame, frame.length, frame.length, 113, timestampNs));
            }
        }

        assertReadsExpected(file, Files.size(file));
    }

    @Test
    void shouldKeepLowerSixteenBitsOfLinkTypeWhenFcsBitsAreSet() throws IOException
    {
        final Path file = dir.resolve("fcs.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).linkType(0x1400_0000 | 228))
        {
            final byte[] frame = frame(60);
            writer.record(BASE_NS, frame);
            expected.add(Frame.of(frame, 60, 60, 228, BASE_NS));
        }

        assertReadsExpected(file, Files.size(file));
    }

    @Test
    void shouldDeliverCapturedAndWireLengthsWhenSnapLengthCutsFrames() throws IOException
    {
        final Path file = dir.resolve("snap.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).snapLength(96).byteOrder(ByteOrder.BIG_ENDIAN))
        {
            final byte[] frame = frame(1514);
            writer.record(BASE_NS, frame, 96, 1514);
            expected.add(Frame.of(frame, 96, 1514, 1, BASE_NS));
            // a captured length above the snap length is cut to it, as libpcap does, and the record skipped whole
            writer.record(BASE_NS + 1000, frame, 200, 1514);
            expected.add(Frame.of(frame, 96, 1514, 1, BASE_NS + 1000));
            writer.record(BASE_NS + 2000, frame, 0, 1514);
            expected.add(Frame.of(frame, 0, 1514, 1, BASE_NS + 2000));
        }

        assertReadsExpected(file, Files.size(file));
    }

    @Test
    void shouldNotCutFramesWhenSnapLengthZeroOrAboveMaximum() throws IOException
    {
        for (final int snapLength : new int[]{ 0, -1, CaptureFileSource.MAX_CAPTURED_LENGTH + 1 })
        {
            expected.clear();
            final Path file = dir.resolve("snap" + snapLength + ".pcap");
            try (PcapFileWriter writer = PcapFileWriter.create(file).snapLength(snapLength))
            {
                final byte[] frame = frame(1514);
                writer.record(BASE_NS, frame);
                expected.add(Frame.of(frame, 1514, 1514, 1, BASE_NS));
            }

            assertReadsExpected(file, Files.size(file));
        }
    }

    @Test
    void shouldConvertTimestampsAsUnsignedWhenSecondsBeyondYear2038() throws IOException
    {
        final Path file = dir.resolve("y2106.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(MAGIC_NANOSECONDS))
        {
            final byte[] frame = frame(64);
            writer.rawRecord(0xFFFF_FFF0, 999_999_999, 64, 64, frame, 64);
            expected.add(Frame.of(frame, 64, 64, 1, 0xFFFF_FFF0L * 1_000_000_000L + 999_999_999L));
        }

        assertReadsExpected(file, Files.size(file));
    }

    @Test
    void shouldDeliverNothingWhenFileHasOnlyAHeader() throws IOException
    {
        final Path file = dir.resolve("header-only.pcap");
        new PcapFileWriter(Files.newOutputStream(file)).close();

        assertEquals(FILE_HEADER_LENGTH, Files.size(file));
        assertReadsExpected(file, FILE_HEADER_LENGTH);
    }

    @Test
    void shouldDeliverFramesBeforeDamageWhenLastRecordTruncated() throws IOException
    {
        final Path file = dir.resolve("truncated.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 5);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, 100, 100, frame(100), 50);
        }

        assertDamage(file, damageOffset, "truncated record: 116 bytes needed, 66 left in the file");
    }

    @Test
    void shouldDeliverFramesBeforeDamageWhenRecordHeaderTruncated() throws IOException
    {
        final Path file = dir.resolve("truncated-header.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 3);
            damageOffset = writer.position();
            writer.bytes(new byte[5]);
        }

        assertDamage(file, damageOffset, "truncated record header: 16 bytes needed, 5 left in the file");
    }

    @Test
    void shouldDeliverFramesBeforeDamageWhenCapturedLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("absurd.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file).byteOrder(ByteOrder.BIG_ENDIAN))
        {
            writeFrames(writer, 4);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, -1, 60, frame(60), 60);
            writeFrames(writer, 2);
            expected.subList(4, 6).clear();
        }

        assertDamage(file, damageOffset, "captured length 4294967295 exceeds the maximum 327680");
    }

    @Test
    void shouldReportDamageWhenCapturedLengthJustAboveMaximum() throws IOException
    {
        final Path file = dir.resolve("above-max.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 1);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, CaptureFileSource.MAX_CAPTURED_LENGTH + 1, 60, frame(60), 60);
        }

        assertDamage(file, damageOffset, "captured length 327681 exceeds the maximum 327680");
    }

    @Test
    void shouldReportTruncationWhenCapturedLengthRunsBeyondTheFile() throws IOException
    {
        final Path file = dir.resolve("beyond.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 2);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, 300_000, 60, frame(60), 60);
        }

        assertDamage(file, damageOffset, "truncated record: 300016 bytes needed, 76 left in the file");
    }

    @Test
    void shouldReportDamageWhenOriginalLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("original.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 2);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, 60, 0x8000_0000, frame(60), 60);
        }

        assertDamage(file, damageOffset, "original length 2147483648 is absurd");
    }

    @Test
    void shouldReportDamageAtZeroWhenVersionUnsupported() throws IOException
    {
        final Path file = dir.resolve("version.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).version(1, 0))
        {
            writeFrames(writer, 2);
        }
        expected.clear();

        assertDamage(file, 0, "unsupported pcap version 1.0");
    }

    @Test
    void shouldReportDamageAtZeroWhenFileHeaderTruncated() throws IOException
    {
        final Path file = dir.resolve("short-header.pcap");
        Files.write(file, new byte[]{ (byte)0xd4, (byte)0xc3, (byte)0xb2, (byte)0xa1, 2, 0, 4, 0, 0, 0 });

        assertDamage(file, 0, "not a capture file: pcap file header truncated at 10 bytes");
    }

    @Test
    void shouldReportDamageAtZeroWhenMagicUnknown() throws IOException
    {
        final Path file = dir.resolve("capture.pcap");
        Files.writeString(file, "GET / HTTP/1.1\r\n\r\n");

        assertDamage(file, 0, "not a capture file: unknown magic 0x47455420");
    }

    @Test
    void shouldReportDamageAtZeroWhenFileEmpty() throws IOException
    {
        final Path file = dir.resolve("empty.pcap");
        Files.write(file, new byte[0]);

        assertDamage(file, 0, "not a capture file: empty");
    }

    @Test
    void shouldReportDamageAtZeroWhenFileShorterThanAMagic() throws IOException
    {
        final Path file = dir.resolve("tiny.pcap");
        Files.write(file, new byte[]{ (byte)0xd4, (byte)0xc3, (byte)0xb2 });

        assertDamage(file, 0, "not a capture file: only 3 bytes");
    }

    @Test
    void shouldDeliverExactFramesWhenRecordsCrossEveryWindowEdge() throws IOException
    {
        final Path file = dir.resolve("windows.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 300);
        }

        for (final int windowSize : new int[]{ 1, 17, 100, 1000, 4096, 65536 })
        {
            final FrameRecorder recorder = new FrameRecorder();
            try (CaptureFileSource source = new CaptureFileSource(
                new Path[]{ file }, windowSize, GzipFileInput.DEFAULT_CAPACITY))
            {
                assertNull(recorder.readAll(source));
                assertEquals(Files.size(file), source.bytesRead());
            }
            assertEquals(expected, recorder.frames, "window size " + windowSize);
        }
    }

    @Test
    void shouldReportSameDamageWhenRecordsCrossWindowEdges() throws IOException
    {
        final Path file = dir.resolve("windows-damage.pcap");
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writeFrames(writer, 40);
            damageOffset = writer.position();
            writer.rawRecord(1, 0, 1000, 1000, frame(1000), 999);
        }

        for (final int windowSize : new int[]{ 1, 50, 333 })
        {
            final FrameRecorder recorder = new FrameRecorder();
            try (CaptureFileSource source = new CaptureFileSource(
                new Path[]{ file }, windowSize, GzipFileInput.DEFAULT_CAPACITY))
            {
                final CaptureFileException damage = recorder.readAll(source);
                assertNotNull(damage);
                assertEquals(damageOffset, damage.offset());
                assertEquals("truncated record: 1016 bytes needed, 1015 left in the file", damage.reason());
                assertEquals(damageOffset, source.bytesRead());
            }
            assertEquals(expected, recorder.frames);
        }
    }

    private void writeFrames(final PcapFileWriter writer, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] frame = frame(14 + random.nextInt(200));
            final long timestampNs = BASE_NS + expected.size() * 1_000_000L;
            writer.record(timestampNs, frame);
            expected.add(Frame.of(frame, frame.length, frame.length, 1, timestampNs));
        }
    }

    private byte[] frame(final int length)
    {
        final byte[] frame = new byte[length];
        random.nextBytes(frame);
        return frame;
    }

    private void assertReadsExpected(final Path file, final long length) throws IOException
    {
        final FrameRecorder recorder = new FrameRecorder();
        try (CaptureFileSource source = CaptureFileSource.open(file))
        {
            assertNull(recorder.readAll(source));
            assertEquals(expected.size(), source.framesDelivered());
            assertEquals(length, source.bytesRead());
            assertEquals(1, source.filesDone());
            assertTrue(source.isEndOfStream());
        }
        assertEquals(expected, recorder.frames);
    }

    private void assertDamage(final Path file, final long offset, final String reason) throws IOException
    {
        final FrameRecorder recorder = new FrameRecorder();
        try (CaptureFileSource source = CaptureFileSource.open(file))
        {
            final CaptureFileException damage = recorder.readAll(source);
            assertNotNull(damage, "no damage reported");
            assertEquals(file, damage.file());
            assertEquals(reason, damage.reason());
            assertEquals(offset, damage.offset());
            assertEquals(expected.size(), source.framesDelivered());
            assertEquals(0, source.filesDone());
        }
        assertEquals(expected, recorder.frames);
    }
}
