package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.trafficanalyzer.core.testing.PcapngFileWriter.ENHANCED_PACKET_BLOCK;
import static io.trafficanalyzer.core.testing.PcapngFileWriter.INTERFACE_STATISTICS_BLOCK;
import static io.trafficanalyzer.core.testing.PcapngFileWriter.NAME_RESOLUTION_BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class PcapngFileTest
{
    enum Order
    {
        LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(final ByteOrder order)
        {
            this.order = order;
        }
    }

    private static final long NOW_SECONDS = 1_700_000_000L;
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    @TempDir
    Path dir;

    private final Random random = new Random(7);
    private final List<Frame> expected = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(Order.class)
    void shouldDeliverExactFramesWhenPcapngOfEitherByteOrder(final Order order) throws IOException
    {
        final Path file = dir.resolve("capture.bin");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(order.order).interfaceDescription(1, 65535);
            for (int i = 0; i < 40; i++)
            {
                final byte[] frame = frame(1 + random.nextInt(1600));
                final long micros = NOW_SECONDS * 1_000_000L + i * 1_234_567L;
                final String comment = 0 == i % 3 ? "comment " + i : null;
                writer.enhancedPacket(0, micros, frame, frame.length, frame.length + i, comment);
                expected.add(Frame.of(frame, frame.length, frame.length + i, 1, micros * 1000));
            }
        }

        assertReadsExpected(file);
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void shouldConvertTimestampsExactlyWhenInterfacesHaveOwnResolutionAndOffset(final Order order)
        throws IOException
    {
        final int[] linkTypes = { 1, 113, 228, 101, 229, 276, 12, 14, 0, 108 };
        final Integer[] resolutions = { null, 9, 3, 0x80 | 20, 0x80 | 32, 0x80 | 63, 12, 0x80, 18, 0x80 | 100 };
        final Long[] offsets = { null, null, -3600L, 0L, 86_400L, 1_000_000_000L, 5L, null, 1L, -1L };
        final long[] units = {
            NOW_SECONDS * 1_000_000L + 999_999L,
            NOW_SECONDS * 1_000_000_000L + 123_456_789L,
            NOW_SECONDS * 1000L + 999L,
            (NOW_SECONDS << 20) + 1_048_575L,
            (NOW_SECONDS << 32) + 0xFFFF_FFFFL,
            0xF000_0000_0000_0001L,
            1_000_000L * 1_000_000_000_000L + 999_999_999_999L,
            NOW_SECONDS,
            0xFFFF_FFFF_FFFF_FFFFL,
            0xFFFF_FFFF_FFFF_FFFFL };

        final Path file = dir.resolve("resolutions.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(order.order);
            for (int i = 0; i < linkTypes.length; i++)
            {
                writer.interfaceDescription(linkTypes[i], 0, resolutions[i], offsets[i]);
            }
            for (int i = linkTypes.length - 1; i >= 0; i--)
            {
                final byte[] frame = frame(60 + i);
                writer.enhancedPacket(i, units[i], frame);
                expected.add(Frame.of(frame, frame.length, frame.length, linkTypes[i],
                    expectedNanos(units[i], resolutions[i], offsets[i])));
            }
        }

        assertReadsExpected(file);
    }

    @Test
    void shouldResetInterfacesAndByteOrderWhenNewSectionStarts() throws IOException
    {
        final Path file = dir.resolve("sections.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(1, 0)
                .interfaceDescription(113, 0, 9, null);
            writeEnhancedPackets(writer, 1, 113, 3);
            writeEnhancedPackets(writer, 0, 1, 2);

            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(228, 0, 9, null);
            final byte[] frame = frame(80);
            writer.enhancedPacket(0, NOW_SECONDS * 1_000_000_000L + 7, frame);
            expected.add(Frame.of(frame, 80, 80, 228, NOW_SECONDS * 1_000_000_000L + 7));

            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN).interfaceDescription(229, 0);
            writeEnhancedPackets(writer, 0, 229, 2);

            damageOffset = writer.position();
            writer.enhancedPacket(1, NOW_SECONDS, frame(60));
        }

        assertDamage(file, damageOffset, "packet names interface 1 but the section describes 1");
    }

    @Test
    void shouldDeliverSimplePacketsWhenCapturedLengthBoundBySnapLengthAndBlock() throws IOException
    {
        final Path file = dir.resolve("simple.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN)
                .interfaceDescription(1, 100)
                .interfaceDescription(113, 0, 9, null);

            final byte[] first = frame(60);
            writer.simplePacket(first, 60);
            expected.add(Frame.of(first, 60, 60, 1, 0));

            writeEnhancedPackets(writer, 1, 113, 1);
            final long previousNs = expected.get(expected.size() - 1).timestampNs();

            final byte[] cut = frame(100);
            writer.simplePacket(cut, 1500);
            expected.add(Frame.of(cut, 100, 1500, 1, previousNs));

            final byte[] odd = frame(61);
            writer.simplePacket(odd, 61);
            expected.add(Frame.of(odd, 61, 61, 1, previousNs));

            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN).interfaceDescription(228, 0);
            final byte[] shortBody = frame(50);
            writer.simplePacket(shortBody, 1514);
            final byte[] padded = new byte[52];
            System.arraycopy(shortBody, 0, padded, 0, 50);
            expected.add(Frame.of(padded, 52, 1514, 228, previousNs));
        }

        assertReadsExpected(file);
    }

    @Test
    void shouldDeliverObsoletePacketBlocksWhenInterfaceIdIsSixteenBits() throws IOException
    {
        final Path file = dir.resolve("obsolete.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0).interfaceDescription(113, 0, 9, 2L);
            final byte[] frame = frame(90);
            writer.packet(1, 555, frame, 70, 90);
            expected.add(Frame.of(frame, 70, 90, 113, 2_000_000_555L));
            writer.packet(0, 10, frame, 90, 90);
            expected.add(Frame.of(frame, 90, 90, 1, 10_000L));
        }

        assertReadsExpected(file);
    }

    @Test
    void shouldSkipOtherBlocksWhenBetweenPackets() throws IOException
    {
        final Path file = dir.resolve("others.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN);
            writer.block(NAME_RESOLUTION_BLOCK, frame(33));
            writer.interfaceDescription(1, 0);
            writeEnhancedPackets(writer, 0, 1, 2);
            writer.block(INTERFACE_STATISTICS_BLOCK, frame(28));
            writer.block(0x0000_0BAD, frame(3 * 1024 * 1024));
            writeEnhancedPackets(writer, 0, 1, 2);
            writer.block(0x4000_0BAD, new byte[0]);
            writeEnhancedPackets(writer, 0, 1, 1);
        }

        assertReadsExpected(file);
        for (final int windowSize : new int[]{ 1, 13, 100, 4096 })
        {
            assertReadsExpected(file, windowSize);
        }
    }

    @Test
    void shouldDeliverNothingWhenSectionHasNoPackets() throws IOException
    {
        final Path file = dir.resolve("no-packets.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN).interfaceDescription(1, 0);
            writer.sectionHeader(ByteOrder.BIG_ENDIAN);
        }

        assertReadsExpected(file);
    }

    @Test
    void shouldDeliverExactFramesWhenBlocksCrossEveryWindowEdge() throws IOException
    {
        final Path file = dir.resolve("windows.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0).interfaceDescription(113, 0, 9, null);
            for (int i = 0; i < 100; i++)
            {
                writeEnhancedPackets(writer, i & 1, 0 == (i & 1) ? 1 : 113, 1);
                if (0 == i % 10)
                {
                    writer.block(NAME_RESOLUTION_BLOCK, frame(random.nextInt(300)));
                }
                if (0 == i % 25)
                {
                    writer.sectionHeader(0 == i % 50 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                        .interfaceDescription(1, 0)
                        .interfaceDescription(113, 0, 9, null);
                }
            }
        }

        for (final int windowSize : new int[]{ 1, 12, 31, 100, 1000, 65536 })
        {
            assertReadsExpected(file, windowSize);
        }
    }

    @Test
    void shouldReportDamageWhenBlockLengthNotMultipleOfFour() throws IOException
    {
        final Path file = dir.resolve("odd-length.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(ENHANCED_PACKET_BLOCK, 62, new byte[50], 62);
        }

        assertDamage(file, damageOffset, "block type 0x00000006: length 62 is not a multiple of 4");
    }

    @Test
    void shouldReportDamageWhenBlockLengthBelowMinimum() throws IOException
    {
        final Path file = dir.resolve("short-length.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(0x0BAD, 8, new byte[0], 8);
        }

        assertDamage(file, damageOffset, "block type 0x00000bad: length 8 outside [12, 16777216]");
    }

    @Test
    void shouldReportDamageWhenSkippedBlockLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("absurd-skip.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(0x0BAD, 0xFFFF_FFF0, new byte[64], 0xFFFF_FFF0);
        }

        assertDamage(file, damageOffset, "block type 0x00000bad: length 4294967280 outside [12, 16777216]");
    }

    @Test
    void shouldReportDamageWhenPacketBlockLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("absurd-packet.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(ENHANCED_PACKET_BLOCK, 1024 * 1024, new byte[64], 1024 * 1024);
        }

        assertDamage(file, damageOffset, "block type 0x00000006: length 1048576 outside [32, 524288]");
    }

    @Test
    void shouldReportTruncationWhenSkippedBlockRunsBeyondTheFile() throws IOException
    {
        final Path file = dir.resolve("beyond.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(0x0BAD, 4000, new byte[100], 4000);
        }

        assertDamage(file, damageOffset, "truncated block: 4000 bytes needed, 112 left in the file");
    }

    @Test
    void shouldReportTruncationWhenLastPacketBlockCut() throws IOException
    {
        final Path file = dir.resolve("cut.pcapng");
        final long damageOffset;
        final long blockLength;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.enhancedPacket(0, 1, frame(100));
            blockLength = writer.position() - damageOffset;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - 10);
        }

        assertDamage(file, damageOffset,
            "truncated block: " + blockLength + " bytes needed, " + (blockLength - 10) + " left in the file");
    }

    @Test
    void shouldReportTruncationWhenBlockHeaderCut() throws IOException
    {
        final Path file = dir.resolve("cut-header.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.bytes(new byte[6]);
        }

        assertDamage(file, damageOffset, "truncated block header: 12 bytes needed, 6 left in the file");
    }

    @Test
    void shouldReportDamageWhenTrailingLengthDiffers() throws IOException
    {
        final Path file = dir.resolve("trailer.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(ENHANCED_PACKET_BLOCK, 92, new byte[80], 99);
        }

        assertDamage(file, damageOffset, "block trailing length 99 differs from its length 92");
    }

    @Test
    void shouldReportDamageWhenSkippedBlockTrailingLengthDiffers() throws IOException
    {
        final Path file = dir.resolve("skip-trailer.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.rawBlock(NAME_RESOLUTION_BLOCK, 24, new byte[12], 28);
            writeEnhancedPackets(writer, 0, 1, 1);
            expected.remove(expected.size() - 1);
        }

        assertDamage(file, damageOffset, "block trailing length 28 differs from its length 24");
    }

    @Test
    void shouldReportDamageWhenCapturedLengthExceedsBlock() throws IOException
    {
        final Path file = dir.resolve("caplen.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.enhancedPacketRaw(0, 1, 200, 200, frame(100));
        }

        assertDamage(file, damageOffset, "captured length 200 exceeds the block's 100 bytes of packet data");
    }

    @Test
    void shouldReportDamageWhenCapturedLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("caplen-absurd.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.enhancedPacketRaw(0, 1, -2, 200, frame(100));
        }

        assertDamage(file, damageOffset, "captured length 4294967294 exceeds the maximum 327680");
    }

    @Test
    void shouldReportDamageWhenOriginalLengthAbsurd() throws IOException
    {
        final Path file = dir.resolve("origlen.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.enhancedPacketRaw(0, 1, 100, 0x9000_0000, frame(100));
        }

        assertDamage(file, damageOffset, "original length 2415919104 is absurd");
    }

    @Test
    void shouldReportDamageWhenPacketNamesUndescribedInterface() throws IOException
    {
        final Path file = dir.resolve("interface.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.enhancedPacket(3, 1, frame(60));
        }

        assertDamage(file, damageOffset, "packet names interface 3 but the section describes 1");
    }

    @Test
    void shouldReportDamageWhenPacketComesBeforeAnyInterface() throws IOException
    {
        final Path file = dir.resolve("no-interface.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN).packet(0, 1, frame(60), 60, 60);
        }

        assertDamage(file, 28, "packet names interface 0 but the section describes 0");
    }

    @Test
    void shouldReportDamageWhenSimplePacketComesBeforeAnyInterface() throws IOException
    {
        final Path file = dir.resolve("simple-no-interface.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN).simplePacket(frame(60), 60);
        }

        assertDamage(file, 28, "simple packet block before any interface description");
    }

    @Test
    void shouldReportDamageWhenSectionByteOrderMagicBad() throws IOException
    {
        final Path file = dir.resolve("magic.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.sectionHeader(ByteOrder.LITTLE_ENDIAN, 1, 0, 0x12345678);
        }

        assertDamage(file, damageOffset, "section header: bad byte-order magic 0x78563412");
    }

    @Test
    void shouldReportDamageAtZeroWhenVersionUnsupported() throws IOException
    {
        final Path file = dir.resolve("version.pcapng");
        try (PcapngFileWriter writer = PcapngFileWriter.create(file))
        {
            writer.sectionHeader(ByteOrder.BIG_ENDIAN, 2, 0, 0x1A2B3C4D).interfaceDescription(1, 0);
        }

        assertDamage(file, 0, "unsupported pcapng version 2.0");
    }

    @Test
    void shouldReportDamageWhenTimestampResolutionOptionHasWrongLength() throws IOException
    {
        final Path file = dir.resolve("tsresol-length.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.interfaceDescriptionWithOptions(1, 0, options(writer.byteOrder(), 9, 2, 4));
        }

        assertDamage(file, damageOffset, "interface description: option 9 has length 2, expected 1");
    }

    @Test
    void shouldReportDamageWhenOptionRunsBeyondBlock() throws IOException
    {
        final Path file = dir.resolve("option-length.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.interfaceDescriptionWithOptions(1, 0, options(writer.byteOrder(), 2, 100, 4));
        }

        assertDamage(file, damageOffset, "interface description: option 2 of length 100 exceeds the block");
    }

    @Test
    void shouldReportDamageWhenTimestampResolutionUnsupported() throws IOException
    {
        final Path file = dir.resolve("tsresol.pcapng");
        final long damageOffset;
        try (PcapngFileWriter writer = startedFile(file))
        {
            damageOffset = writer.position();
            writer.interfaceDescription(1, 0, 19, null);
        }

        assertDamage(file, damageOffset, "interface description: if_tsresol 10^-19 not supported");
    }

    private static long expectedNanos(final long units, final Integer resolution, final Long offsetSeconds)
    {
        final int value = null == resolution ? 6 : resolution;
        final BigInteger base = 0 != (value & 0x80) ?
            BigInteger.TWO.pow(value & 0x7F) : BigInteger.TEN.pow(value);
        final BigInteger nanos = new BigInteger(Long.toUnsignedString(units)).multiply(NANOS_PER_SECOND).divide(base)
            .add(BigInteger.valueOf(null == offsetSeconds ? 0 : offsetSeconds).multiply(NANOS_PER_SECOND));
        return nanos.longValueExact();
    }

    private static byte[] options(final ByteOrder order, final int code, final int length, final int valueBytes)
    {
        final ByteBuffer options = ByteBuffer.allocate(4 + valueBytes + 4).order(order);
        options.putShort((short)code).putShort((short)length).position(4 + valueBytes);
        options.putInt(0);
        return options.array();
    }

    private PcapngFileWriter startedFile(final Path file)
    {
        final PcapngFileWriter writer = PcapngFileWriter.create(file);
        writer.sectionHeader(ByteOrder.BIG_ENDIAN).interfaceDescription(1, 0);
        writeEnhancedPackets(writer, 0, 1, 3);
        return writer;
    }

    private void writeEnhancedPackets(
        final PcapngFileWriter writer, final int interfaceId, final int linkType, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] frame = frame(14 + random.nextInt(300));
            final long micros = NOW_SECONDS * 1_000_000L + expected.size() * 1000L;
            final long nanos = 113 == linkType ? micros * 1000 : micros;
            writer.enhancedPacket(interfaceId, nanos, frame);
            expected.add(Frame.of(frame, frame.length, frame.length, linkType, micros * 1000));
        }
    }

    private byte[] frame(final int length)
    {
        final byte[] frame = new byte[length];
        random.nextBytes(frame);
        return frame;
    }

    private void assertReadsExpected(final Path file) throws IOException
    {
        assertReadsExpected(file, MappedFileInput.DEFAULT_WINDOW_SIZE);
    }

    private void assertReadsExpected(final Path file, final int windowSize) throws IOException
    {
        final FrameRecorder recorder = new FrameRecorder();
        try (CaptureFileSource source = new CaptureFileSource(
            new Path[]{ file }, windowSize, GzipFileInput.DEFAULT_CAPACITY))
        {
            assertNull(recorder.readAll(source));
            assertEquals(expected.size(), source.framesDelivered());
            assertEquals(Files.size(file), source.bytesRead());
            assertEquals(1, source.filesDone());
        }
        assertEquals(expected, recorder.frames, "window size " + windowSize);
    }

    private void assertDamage(final Path file, final long offset, final String reason) throws IOException
    {
        for (final int windowSize : new int[]{ MappedFileInput.DEFAULT_WINDOW_SIZE, 1, 37 })
        {
            final FrameRecorder recorder = new FrameRecorder();
            try (CaptureFileSource source = new CaptureFileSource(
                new Path[]{ file }, windowSize, GzipFileInput.DEFAULT_CAPACITY))
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
}
