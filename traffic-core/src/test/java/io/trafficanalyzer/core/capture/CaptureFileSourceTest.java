package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFileSourceTest
{
    private static final long BASE_NS = 1_650_000_000_000_000_000L;

    @TempDir
    Path dir;

    private final Random random = new Random(11);
    private final List<Frame> expected = new ArrayList<>();
    private final List<String> expectedNames = new ArrayList<>();

    @Test
    void shouldDeliverFramesOfEveryFileInOrderWhenSeveralFiles() throws IOException
    {
        final Path first = dir.resolve("first.pcap");
        final Path second = dir.resolve("second.pcapng.gz");
        final Path third = dir.resolve("third");
        final long firstLength;
        final long secondLength;
        final long thirdLength;
        try (PcapFileWriter writer = PcapFileWriter.create(first))
        {
            writePcapFrames(writer, "first.pcap", 25);
            firstLength = writer.position();
        }
        try (PcapngFileWriter writer = PcapngFileWriter.createGzip(second))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(113, 0, 9, null);
            for (int i = 0; i < 30; i++)
            {
                final byte[] frame = frame();
                writer.enhancedPacket(0, BASE_NS + i, frame);
                expected.add(Frame.of(frame, frame.length, frame.length, 113, BASE_NS + i));
                expectedNames.add("second.pcapng.gz");
            }
            secondLength = writer.position();
        }
        try (PcapFileWriter writer = PcapFileWriter.create(third)
            .byteOrder(ByteOrder.BIG_ENDIAN)
            .magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            writePcapFrames(writer, "third", 20);
            thirdLength = writer.position();
        }

        try (CaptureFileSource source = CaptureFileSource.open(List.of(first, second, third)))
        {
            final FrameRecorder recorder = new FrameRecorder(source);
            assertFalse(source.isLive());
            assertEquals(0, source.kernelDrops());
            assertEquals("first.pcap", source.name());

            assertNull(recorder.readAll(source));

            assertEquals(expected, recorder.frames);
            assertEquals(expectedNames, recorder.names);
            // each file a stream of its content, labelled with its path as given, before its first frame
            assertEquals(
                List.of(CaptureStream.ofFile(first), CaptureStream.ofFile(second), CaptureStream.ofFile(third)),
                recorder.streams);
            assertEquals(List.of(0, 25, 55), recorder.streamStarts);
            assertEquals(first.toString(), recorder.streams.get(0).label());
            assertEquals(75, source.framesDelivered());
            assertEquals(firstLength + secondLength + thirdLength, source.bytesRead());
            assertEquals(3, source.filesDone());
            assertEquals("third", source.name());
            assertTrue(source.isEndOfStream());
        }
    }

    @Test
    void shouldStopAtDamagedFileWhenOneOfSeveral() throws IOException
    {
        final Path first = dir.resolve("a.pcap");
        final Path second = dir.resolve("b.pcap");
        final Path third = dir.resolve("c.pcap");
        final long firstLength;
        final long damageOffset;
        try (PcapFileWriter writer = PcapFileWriter.create(first))
        {
            writePcapFrames(writer, "a.pcap", 10);
            firstLength = writer.position();
        }
        try (PcapFileWriter writer = PcapFileWriter.create(second))
        {
            writePcapFrames(writer, "b.pcap", 5);
            damageOffset = writer.position();
            writer.rawRecord(0, 0, 500_000, 60, new byte[60], 60);
        }
        try (PcapFileWriter writer = PcapFileWriter.create(third))
        {
            writer.record(BASE_NS, frame());
        }

        try (CaptureFileSource source = CaptureFileSource.open(first, second, third))
        {
            final FrameRecorder recorder = new FrameRecorder(source);
            final CaptureFileException damage = recorder.readAll(source);

            assertNotNull(damage);
            assertEquals(second, damage.file());
            assertEquals(damageOffset, damage.offset());
            assertEquals("captured length 500000 exceeds the maximum 327680", damage.reason());
            assertEquals(expected, recorder.frames);
            assertEquals(expectedNames, recorder.names);
            assertEquals(List.of(CaptureStream.ofFile(first), CaptureStream.ofFile(second)), recorder.streams);
            assertEquals(List.of(0, 10), recorder.streamStarts);
            assertEquals(15, source.framesDelivered());
            assertEquals(firstLength + damageOffset, source.bytesRead());
            assertEquals(1, source.filesDone());
            assertEquals("b.pcap", source.name());
        }
    }

    @Test
    void shouldEndStreamWhenFileMissing() throws IOException
    {
        final Path missing = dir.resolve("missing.pcap");
        try (CaptureFileSource source = CaptureFileSource.open(missing))
        {
            assertThrows(NoSuchFileException.class, () -> source.poll(new FrameRecorder(), 10));
            assertTrue(source.isEndOfStream());
            assertEquals(0, source.poll(new FrameRecorder(), 10));
        }
    }

    @Test
    void shouldDeliverAtMostLimitWhenPolled() throws IOException
    {
        final Path file = dir.resolve("limit.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writePcapFrames(writer, "limit.pcap", 10);
        }

        try (CaptureFileSource source = CaptureFileSource.open(file))
        {
            final FrameRecorder recorder = new FrameRecorder();
            assertEquals(0, source.poll(recorder, 0));
            assertEquals(3, source.poll(recorder, 3));
            assertEquals(expected.subList(0, 3), recorder.frames);
            assertEquals(3, source.framesDelivered());
            assertEquals(7, source.poll(recorder, 100));
            assertTrue(source.isEndOfStream());
            assertEquals(0, source.poll(recorder, 100));
            assertEquals(expected, recorder.frames);
        }
    }

    @Test
    void shouldEndStreamWhenClosed() throws IOException
    {
        final Path file = dir.resolve("close.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            writePcapFrames(writer, "close.pcap", 10);
        }

        final CaptureFileSource source = CaptureFileSource.open(file);
        final FrameRecorder recorder = new FrameRecorder();
        assertEquals(2, source.poll(recorder, 2));
        source.close();

        assertTrue(source.isEndOfStream());
        assertEquals(0, source.poll(recorder, 10));
        assertEquals(2, source.framesDelivered());
    }

    @Test
    void shouldRejectWhenNoFileGiven()
    {
        assertThrows(IllegalArgumentException.class, CaptureFileSource::open);
        assertThrows(IllegalArgumentException.class, () -> CaptureFileSource.open(Collections.emptyList()));
    }

    @Test
    void shouldNotAllocatePerFrameWhenReadingMappedFile() throws IOException
    {
        final Path file = dir.resolve("allocation.pcap");
        final int frames = 200_000;
        try (PcapFileWriter writer = PcapFileWriter.create(file))
        {
            final byte[] frame = new byte[64];
            for (int i = 0; i < frames; i++)
            {
                writer.record(BASE_NS + i * 1000L, frame);
            }
        }

        final LengthSum handler = new LengthSum();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            handler.sum = 0;
            final long before = threads.getCurrentThreadAllocatedBytes();
            try (CaptureFileSource source = CaptureFileSource.open(file))
            {
                while (!source.isEndOfStream())
                {
                    source.poll(handler, 1000);
                }
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(64L * frames, handler.sum);
        }

        assertTrue(allocated < frames / 10, "allocated " + allocated + " bytes for " + frames + " frames");
    }

    private static final class LengthSum implements FrameHandler
    {
        long sum;

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            sum += capturedLength;
        }
    }

    private void writePcapFrames(final PcapFileWriter writer, final String name, final int count)
    {
        final boolean nanos = name.equals("third");
        for (int i = 0; i < count; i++)
        {
            final byte[] frame = frame();
            final long timestampNs = BASE_NS + expected.size() * (nanos ? 1L : 1000L);
            writer.record(timestampNs, frame);
            expected.add(Frame.of(frame, frame.length, frame.length, 1, timestampNs));
            expectedNames.add(name);
        }
    }

    private byte[] frame()
    {
        final byte[] frame = new byte[14 + random.nextInt(1500)];
        random.nextBytes(frame);
        return frame;
    }
}
