package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CaptureStreamTest
{
    private static final long BASE_NS = 1_650_000_000_123_456_000L;

    @TempDir
    Path dir;

    private static byte[] frame(final int i)
    {
        final byte[] frame = new byte[60 + i % 7];
        Arrays.fill(frame, (byte)(i * 31 + 7));
        return frame;
    }

    // a classic pcap of packets [from, to) and, in ends[k], the offset where record from + k ends
    private static byte[] pcap(final int from, final int to, final long[] ends)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(bytes).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            for (int i = from; i < to; i++)
            {
                writer.record(BASE_NS + i * 1_000_000L, frame(i));
                if (null != ends)
                {
                    ends[i - from] = writer.position();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(final byte[] bytes, final int length) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, length)));
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path writeGzip(final String name, final byte[] bytes) throws IOException
    {
        final Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            out.write(bytes);
        }
        return file;
    }

    @Test
    void shouldHashTheFileHeaderAndFirstRecordWhenPcap() throws Exception
    {
        final long[] ends = new long[10];
        final byte[] capture = pcap(0, 10, ends);
        final Path file = write("capture.pcap", capture);

        final CaptureStream stream = CaptureStream.ofFile(file);

        assertEquals("file:sha256:" + sha256(capture, (int)ends[0]), stream.id());
        assertEquals(file.toString(), stream.label());
        assertEquals(PcapFileWriter.FILE_HEADER_LENGTH + PcapFileWriter.RECORD_HEADER_LENGTH + 60, ends[0]);
    }

    @Test
    void shouldHashEveryBlockThroughTheFirstPacketBlockWhenPcapng() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long firstPacketEnd;
        try (PcapngFileWriter writer = new PcapngFileWriter(bytes))
        {
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0, 9, null)
                .block(PcapngFileWriter.NAME_RESOLUTION_BLOCK, new byte[]{ 0, 0, 0, 0 })
                .enhancedPacket(0, BASE_NS, frame(0));
            firstPacketEnd = writer.position();
            writer.enhancedPacket(0, BASE_NS + 1, frame(1));
        }
        final byte[] capture = bytes.toByteArray();

        assertEquals("file:sha256:" + sha256(capture, (int)firstPacketEnd),
            CaptureStream.ofFile(write("capture.pcapng", capture)).id());
    }

    @Test
    void shouldReadTheSectionsByteOrderWhenPcapngIsBigEndian() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long firstPacketEnd;
        try (PcapngFileWriter writer = new PcapngFileWriter(bytes))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0)
                .simplePacket(frame(0), 60);
            firstPacketEnd = writer.position();
            writer.simplePacket(frame(1), 61);
        }
        final byte[] capture = bytes.toByteArray();

        assertEquals("file:sha256:" + sha256(capture, (int)firstPacketEnd),
            CaptureStream.ofFile(write("big.pcapng", capture)).id());
    }

    @Test
    void shouldGiveTheSameIdWhenTheSameCaptureIsPlainOrGzipped() throws Exception
    {
        final byte[] capture = pcap(0, 50, null);
        final ByteArrayOutputStream ng = new ByteArrayOutputStream();
        try (PcapngFileWriter writer = new PcapngFileWriter(ng))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0);
            for (int i = 0; i < 50; i++)
            {
                writer.enhancedPacket(0, BASE_NS / 1000 + i, frame(i));
            }
        }

        assertEquals(CaptureStream.ofFile(write("a.pcap", capture)).id(),
            CaptureStream.ofFile(writeGzip("a.pcap.gz", capture)).id());
        assertEquals(CaptureStream.ofFile(write("a.pcapng", ng.toByteArray())).id(),
            CaptureStream.ofFile(writeGzip("a.pcapng.gz", ng.toByteArray())).id());
        assertNotEquals(CaptureStream.ofFile(dir.resolve("a.pcap")).id(),
            CaptureStream.ofFile(dir.resolve("a.pcapng")).id());
    }

    @Test
    void shouldKeepTheIdWhenTheFileHasGrownByAppendedPackets() throws Exception
    {
        final long[] ends = new long[20];
        final byte[] capture = pcap(0, 20, ends);
        final Path file = write("growing.pcap", Arrays.copyOf(capture, (int)ends[0]));
        final String grown = CaptureStream.ofFile(file).id();

        for (final int packets : new int[]{ 2, 11, 20 })
        {
            final int from = (int)Files.size(file);
            Files.write(file, Arrays.copyOfRange(capture, from, (int)ends[packets - 1]), StandardOpenOption.APPEND);
            assertEquals(grown, CaptureStream.ofFile(file).id(), packets + " packets");
        }
        assertEquals(capture.length, Files.size(file));
    }

    @Test
    void shouldGiveDifferentIdsWhenACaptureIsCutInTwoAtAPacket() throws Exception
    {
        final Path whole = write("whole.pcap", pcap(0, 20, null));
        final Path first = write("first.pcap", pcap(0, 12, null));
        final Path second = write("second.pcap", pcap(12, 20, null));

        assertEquals(CaptureStream.ofFile(whole).id(), CaptureStream.ofFile(first).id());
        assertNotEquals(CaptureStream.ofFile(first).id(), CaptureStream.ofFile(second).id());
    }

    @Test
    void shouldHashWhatWasReadWhenTheFileHasNoPacketOrEndsInTheFirstOne() throws Exception
    {
        final long[] ends = new long[3];
        final byte[] capture = pcap(0, 3, ends);
        final byte[] headerOnly = Arrays.copyOf(capture, PcapFileWriter.FILE_HEADER_LENGTH);
        final byte[] cut = Arrays.copyOf(capture, (int)ends[0] - 5);

        assertEquals("file:sha256:" + sha256(headerOnly, headerOnly.length),
            CaptureStream.ofFile(write("empty.pcap", headerOnly)).id());
        assertEquals("file:sha256:" + sha256(cut, cut.length), CaptureStream.ofFile(write("cut.pcap", cut)).id());
        assertEquals("file:sha256:" + sha256(new byte[0], 0), CaptureStream.ofFile(write("nothing", new byte[0])).id());
        final byte[] text = "not a capture file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("file:sha256:" + sha256(text, 4), CaptureStream.ofFile(write("text", text)).id());
    }

    @Test
    void shouldHashUpToACorruptLengthWhenTheFirstRecordIsDamaged() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapFileWriter writer = new PcapFileWriter(bytes))
        {
            writer.rawRecord(1, 0, 500_000, 60, new byte[60], 60);
        }
        final byte[] capture = bytes.toByteArray();
        final int headers = PcapFileWriter.FILE_HEADER_LENGTH + PcapFileWriter.RECORD_HEADER_LENGTH;

        assertEquals("file:sha256:" + sha256(capture, headers),
            CaptureStream.ofFile(write("corrupt.pcap", capture)).id());
    }

    @Test
    void shouldKeepTheIdWhenTheGzipStreamIsDamagedAfterTheFirstPacket() throws Exception
    {
        final long[] ends = new long[3];
        final byte[] capture = pcap(0, 3, ends);
        final Path plain = write("plain.pcap", capture);
        final Path gzip = writeGzip("damaged.pcap.gz", capture);
        final byte[] compressed = Files.readAllBytes(gzip);
        // the trailer's CRC is wrong, but the first packet inflates whole before it is checked
        compressed[compressed.length - 8] ^= 0x55;
        Files.write(gzip, compressed);

        assertEquals(CaptureStream.ofFile(plain).id(), CaptureStream.ofFile(gzip).id());
    }

    @Test
    void shouldThrowWhenTheFileCannotBeOpened()
    {
        assertThrows(NoSuchFileException.class, () -> CaptureStream.ofFile(dir.resolve("missing.pcap")));
    }
}
