package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapFileSourceTest
{
    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldDeliverEveryFrameWithLengthsAndNanosecondsWhenReadingNanosecondPcap(final PcapReadMode mode)
        throws IOException
    {
        final Path file = dir.resolve("nanos.pcap");
        final List<byte[]> frames = new ArrayList<>();
        try (PcapFileWriter writer = writer(file, 1, 96, true))
        {
            for (int i = 0; i < 10; i++)
            {
                final byte[] frame = TestFrames.frame(Flow.udp("10.0.0." + i, 1000 + i, "192.0.2.1", 53, 60 + i * 10));
                frames.add(frame);
                record(writer, 96, T0 + i * 1_000_001L, frame);
            }
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            assertEquals(mode, source.readMode());
            assertFalse(source.isLive());
            readAll(source, handler, 3);
            assertTrue(source.isEndOfStream());
        }

        assertEquals(10, handler.frames.size());
        for (int i = 0; i < 10; i++)
        {
            final RecordingHandler.Frame frame = handler.frames.get(i);
            assertArrayEquals(Arrays.copyOf(frames.get(i), Math.min(96, 60 + i * 10)), frame.bytes(), "frame " + i);
            assertEquals(60 + i * 10, frame.wireLength());
            assertEquals(1, frame.linkType());
            assertEquals(T0 + i * 1_000_001L, frame.timestampNs());
        }
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldAnnounceTheFileAsAStreamOfItsContentOnceBeforeItsFirstFrame(final PcapReadMode mode)
        throws IOException
    {
        final Path file = dir.resolve("stream.pcap");
        final Path copy = dir.resolve("copy-of-stream.pcap");
        final Path other = dir.resolve("other.pcap");
        try (PcapFileWriter writer = writer(file, 1, 256, true))
        {
            for (int i = 0; i < 25; i++)
            {
                record(writer, 256, T0 + i, TestFrames.frame(Flow.udp("10.0.0.1", 1000 + i, "192.0.2.1", 53, 80)));
            }
        }
        Files.copy(file, copy);
        try (PcapFileWriter writer = writer(other, 1, 256, true))
        {
            record(writer, 256, T0 + 1, TestFrames.frame(Flow.udp("10.0.0.1", 1000, "192.0.2.1", 53, 80)));
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            readAll(source, handler, 4);
        }
        final RecordingHandler copyHandler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(copy, null, mode))
        {
            readAll(source, copyHandler, 100);
        }

        assertEquals(25, handler.frames.size());
        assertEquals(List.of(CaptureStream.ofFile(file)), handler.streams);
        assertEquals(List.of(0), handler.streamStarts);
        assertEquals(file.toString(), handler.streams.get(0).label());
        assertEquals(handler.streams.get(0).id(), copyHandler.streams.get(0).id());
        assertNotEquals(handler.streams.get(0).id(), CaptureStream.ofFile(other).id());
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldScaleMicrosecondsToNanosecondsWhenReadingMicrosecondPcap(final PcapReadMode mode) throws IOException
    {
        final Path file = dir.resolve("micros.pcap");
        try (PcapFileWriter writer = writer(file, 113, 65535, false))
        {
            record(writer, 65535, T0, new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 });
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            readAll(source, handler, 100);
        }

        assertEquals(1, handler.frames.size());
        assertEquals(T0 / 1000 * 1000, handler.frames.get(0).timestampNs());
        assertEquals(113, handler.frames.get(0).linkType());
        assertEquals(17, handler.frames.get(0).wireLength());
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldDeliverEveryFrameAcrossBatchesWhenFileHoldsManyFrames(final PcapReadMode mode) throws IOException
    {
        final Path file = dir.resolve("many.pcap");
        final int count = 30_011;
        long expectedWireBytes = 0;
        try (PcapFileWriter writer = writer(file, 1, 128, true))
        {
            for (int i = 0; i < count; i++)
            {
                final int length = 60 + i % 200;
                expectedWireBytes += length;
                record(writer, 128, T0 + i, TestFrames.frame(Flow.tcp("10.1.0.1", 40000, "10.1.0.2", 443, length)));
            }
        }

        final long[] seen = new long[3];
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            while (!source.isEndOfStream())
            {
                source.poll(
                    (buffer, offset, capturedLength, wireLength, linkType, timestampNs) ->
                    {
                        assertEquals(T0 + seen[0], timestampNs);
                        assertEquals(Math.min(128, wireLength), capturedLength);
                        assertEquals(0x45, buffer.getByte(offset + 14));
                        seen[0]++;
                        seen[1] += wireLength;
                        seen[2] += capturedLength;
                    },
                    1000);
            }
        }

        assertEquals(count, seen[0]);
        assertEquals(expectedWireBytes, seen[1]);
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldDeliverOnlyMatchingFramesWhenFilterGiven(final PcapReadMode mode) throws IOException
    {
        final Path file = dir.resolve("mixed.pcap");
        try (PcapFileWriter writer = writer(file, 1, 256, true))
        {
            for (int i = 0; i < 12; i++)
            {
                record(writer, 256, T0 + i, TestFrames.frame(i % 3 == 0 ?
                    Flow.udp("10.0.0.1", 5353, "10.0.0.2", 53, 80) :
                    Flow.tcp("10.0.0.1", 40000 + i, "10.0.0.2", 443, 90)));
            }
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, "udp port 53", mode))
        {
            readAll(source, handler, 5);
        }

        assertEquals(4, handler.frames.size());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(80, handler.frames.get(i).wireLength());
            assertEquals(T0 + i * 3, handler.frames.get(i).timestampNs());
        }
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldReadSecondsAsUnsignedWhenBeyondYear2038(final PcapReadMode mode) throws IOException
    {
        final Path file = dir.resolve("y2038.pcap");
        final long timestampNs = 0x9000_0000L * 1_000_000_000L + 5;
        try (PcapFileWriter writer = writer(file, 1, 128, true))
        {
            record(writer, 128, timestampNs, TestFrames.frame(Flow.udp("10.0.0.1", 1, "10.0.0.2", 2, 60)));
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            readAll(source, handler, 1);
        }

        assertEquals(timestampNs, handler.frames.get(0).timestampNs());
    }

    @Test
    void shouldRejectInvalidFilterWithLibpcapsOwnMessage() throws IOException, PcapNativeException
    {
        final Path file = dir.resolve("one.pcap");
        try (PcapFileWriter writer = writer(file, 1, 256, true))
        {
            record(writer, 256, T0, TestFrames.frame(Flow.udp("10.0.0.1", 1, "10.0.0.2", 2, 60)));
        }

        final String filter = "tcp port and";
        final PcapException ex = assertThrows(PcapException.class, () -> PcapFileSource.open(file, filter, null));

        assertEquals(PcapException.Reason.INVALID_FILTER, ex.reason());
        assertTrue(ex.getMessage().startsWith("invalid BPF filter 'tcp port and' for " + file + ": "), ex.getMessage());
        assertTrue(ex.getMessage().endsWith(libpcapCompileMessage(filter)), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldDeliverFramesBeforeDamageThenThrowWithOffsetWhenRecordTruncated(final PcapReadMode mode)
        throws IOException
    {
        final Path file = dir.resolve("truncated.pcap");
        final long damageAt;
        try (PcapFileWriter writer = writer(file, 1, 256, true))
        {
            for (int i = 0; i < 3; i++)
            {
                record(writer, 256, T0 + i, TestFrames.frame(Flow.udp("10.0.0.1", 1, "10.0.0.2", 2, 70)));
            }
            damageAt = writer.position();
            // a record header announcing 70 bytes followed by 10 of them
            final byte[] partial = new byte[16 + 10];
            partial[8] = 70;
            partial[12] = 70;
            writer.bytes(partial);
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            final CaptureFileException ex = assertThrows(
                CaptureFileException.class, () -> readAll(source, handler, 2));

            assertEquals(3, handler.frames.size());
            assertEquals(file, ex.file());
            assertEquals(damageAt + 26, ex.offset());
            assertEquals("truncated dump file; tried to read 70 captured bytes, only got 10", ex.reason());
            assertTrue(source.isEndOfStream());
        }
    }

    @ParameterizedTest
    @EnumSource(value = PcapReadMode.class, names = {"DISPATCH", "NEXT_EX"})
    void shouldDeliverFramesWithNanosecondsWhenReadingPcapng(final PcapReadMode mode) throws IOException
    {
        final Path file = dir.resolve("nanos.pcapng");
        final byte[] first = TestFrames.frame(Flow.udp("10.0.0.1", 1000, "10.0.0.2", 53, 75));
        final byte[] second = TestFrames.frame(Flow.tcp("fd00::1", 1000, "fd00::2", 443, 300));
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(java.nio.ByteOrder.BIG_ENDIAN)
                .interfaceDescription(1, 128, 9, null)
                .enhancedPacket(0, T0, first)
                .enhancedPacket(0, T0 + 7, second, 128, second.length, null);
        }

        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            readAll(source, handler, 10);
        }

        assertEquals(2, handler.frames.size());
        assertArrayEquals(first, handler.frames.get(0).bytes());
        assertEquals(T0, handler.frames.get(0).timestampNs());
        assertArrayEquals(Arrays.copyOf(second, 128), handler.frames.get(1).bytes());
        assertEquals(300, handler.frames.get(1).wireLength());
        assertEquals(T0 + 7, handler.frames.get(1).timestampNs());
    }

    @Test
    void shouldRejectFileWhenNotCaptureFile() throws IOException
    {
        final Path file = dir.resolve("text.pcap");
        Files.write(file, "this is not a capture file at all".getBytes(StandardCharsets.US_ASCII));

        final CaptureFileException ex = assertThrows(CaptureFileException.class, () -> PcapFileSource.open(file));

        assertEquals(0, ex.offset());
        assertEquals("unknown file format", ex.reason());
    }

    @Test
    void shouldThrowNoSuchFileWhenFileMissing()
    {
        final Path file = dir.resolve("missing.pcap");

        final NoSuchFileException ex = assertThrows(NoSuchFileException.class, () -> PcapFileSource.open(file));

        assertEquals(file.toString(), ex.getFile());
    }

    private static PcapFileWriter writer(final Path file, final int linkType, final int snaplen, final boolean nanos)
    {
        return PcapFileWriter.create(file)
            .magic(nanos ? PcapFileWriter.MAGIC_NANOSECONDS : PcapFileWriter.MAGIC_MICROSECONDS)
            .linkType(linkType)
            .snapLength(snaplen);
    }

    private static void record(
        final PcapFileWriter writer, final int snaplen, final long timestampNs, final byte[] frame)
    {
        // what a capture with the file's snap length would have written
        writer.record(timestampNs, frame, Math.min(frame.length, snaplen), frame.length);
    }

    private static void readAll(final PcapFileSource source, final RecordingHandler handler, final int limit)
        throws IOException
    {
        while (!source.isEndOfStream())
        {
            final int before = handler.frames.size();
            final int delivered = source.poll(handler, limit);
            assertEquals(handler.frames.size() - before, delivered);
            assertTrue(delivered <= limit);
        }
    }

    private static String libpcapCompileMessage(final String filter) throws PcapNativeException
    {
        // pcap4j reports libpcap's message for the same expression on its own handle
        final PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 256);
        try
        {
            dead.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            throw new AssertionError("pcap4j accepted " + filter);
        }
        catch (final PcapNativeException ex)
        {
            return ex.getMessage();
        }
        catch (final NotOpenException ex)
        {
            throw new AssertionError(ex);
        }
        finally
        {
            dead.close();
        }
    }
}
