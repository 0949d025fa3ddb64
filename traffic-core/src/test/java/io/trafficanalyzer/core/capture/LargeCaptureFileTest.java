package io.trafficanalyzer.core.capture;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pcap file of more than 2 GiB, written sparse (record headers and frame edges only, the rest holes) so that it
 * takes a second to write; exclude it with {@code -DexcludedGroups=large-file}.
 */
@Tag("large-file")
class LargeCaptureFileTest
{
    private static final int CAPTURED_LENGTH = 262_144;
    private static final int RECORD_LENGTH = 16 + CAPTURED_LENGTH;
    private static final int RECORDS = 9000;
    private static final long FILE_LENGTH = 24 + (long)RECORDS * RECORD_LENGTH;
    private static final long SECONDS = 1_700_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryFrameWhenFileLargerThanTwoGibibytes() throws IOException
    {
        assertTrue(FILE_LENGTH > (1L << 31) + (200L << 20));
        final Path file = dir.resolve("large.pcap");
        writeSparse(file);
        assertEquals(FILE_LENGTH, Files.size(file));

        final Checker checker = new Checker();
        try (CaptureFileSource source = CaptureFileSource.open(file))
        {
            while (!source.isEndOfStream())
            {
                source.poll(checker, 100);
            }
            assertEquals(RECORDS, source.framesDelivered());
            assertEquals(FILE_LENGTH, source.bytesRead());
            assertEquals(1, source.filesDone());
        }
        assertEquals(RECORDS, checker.frames);
        assertEquals(0, checker.mismatches, checker.firstMismatch);
    }

    private static void writeSparse(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SPARSE))
        {
            final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
                .putInt(CAPTURED_LENGTH).putInt(1).flip();
            channel.write(header, 0);

            final ByteBuffer head = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer tail = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < RECORDS; i++)
            {
                final long position = 24 + (long)i * RECORD_LENGTH;
                head.clear();
                head.putInt((int)(SECONDS + i)).putInt(i % 1_000_000).putInt(CAPTURED_LENGTH)
                    .putInt(CAPTURED_LENGTH + i).putLong(i).putLong(~i).flip();
                writeFully(channel, head, position);
                tail.clear();
                tail.putLong(i * 31L).putLong(-i).flip();
                writeFully(channel, tail, position + RECORD_LENGTH - 16);
            }
        }
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position)
        throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }

    private static final class Checker implements FrameHandler
    {
        int frames;
        int mismatches;
        String firstMismatch = "";

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            final long n = frames++;
            final boolean matches = CAPTURED_LENGTH == capturedLength &&
                CAPTURED_LENGTH + n == wireLength &&
                1 == linkType &&
                (SECONDS + n) * 1_000_000_000L + (n % 1_000_000) * 1000L == timestampNs &&
                n == buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) &&
                ~n == buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN) &&
                0 == buffer.getByte(offset + capturedLength / 2) &&
                n * 31 == buffer.getLong(offset + capturedLength - 16, ByteOrder.LITTLE_ENDIAN) &&
                -n == buffer.getLong(offset + capturedLength - 8, ByteOrder.LITTLE_ENDIAN);
            if (!matches && 0 == mismatches++)
            {
                firstMismatch = "frame " + n + ": captured " + capturedLength + ", wire " + wireLength +
                    ", timestamp " + timestampNs;
            }
        }
    }
}
