package io.trafficanalyzer.core.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The identity of a capture file taken from its content: the SHA-256 of its (decompressed) bytes from the start
 * through the end of its first packet (pcap: the file header, then the first record's header and captured bytes;
 * pcapng: every block up to and including the first packet block). So the same capture plain or gzipped, or grown
 * since, keeps its identity, and two captures differ unless they start with the same packet at the same time.
 * <p>
 * Reads the file's prefix once, on its own stream, apart from the reader that delivers its frames. What cannot be
 * parsed (not a capture file, damage, a read error) ends the prefix: the identity is of the bytes read up to there.
 */
final class CaptureFileIdentity
{
    private static final int GZIP_ID1 = 0x1f;
    private static final int GZIP_ID2 = 0x8b;
    private static final int COPY_CHUNK = 4096;
    private static final int PCAPNG_BLOCK_START = PcapngDescriptor.SHB_BYTE_ORDER_MAGIC_OFFSET + 4;

    private final MessageDigest digest;
    private final byte[] chunk = new byte[COPY_CHUNK];
    private final ByteBuffer header = ByteBuffer.allocate(PcapDescriptor.MODIFIED_RECORD_HEADER_LENGTH);
    private InputStream in;

    private CaptureFileIdentity()
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The SHA-256 of the file's prefix through its first packet, in lower-case hexadecimal.
     *
     * @param file the capture file, plain or gzip-compressed.
     * @return 64 hexadecimal digits.
     * @throws IOException when the file cannot be opened.
     */
    static String sha256(final Path file) throws IOException
    {
        final CaptureFileIdentity identity = new CaptureFileIdentity();
        try (InputStream raw = Files.newInputStream(file))
        {
            identity.digestPrefix(raw);
        }

        return HexFormat.of().formatHex(identity.digest.digest());
    }

    private void digestPrefix(final InputStream raw)
    {
        try
        {
            // unbuffered: a prefix is a few reads, and a file source opens many files
            final PushbackInputStream start = new PushbackInputStream(raw, 2);
            final int id1 = start.read();
            final int id2 = start.read();
            if (id2 >= 0)
            {
                start.unread(id2);
            }
            if (id1 >= 0)
            {
                start.unread(id1);
            }
            in = GZIP_ID1 == id1 && GZIP_ID2 == id2 ? new GZIPInputStream(start, COPY_CHUNK) : start;

            if (4 != read(0, 4))
            {
                return;
            }

            final int magic = header.getInt(0);
            if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic)))
            {
                digestPcap(magic);
            }
            else if (PcapngDescriptor.SECTION_HEADER_BLOCK == magic)
            {
                digestPcapng();
            }
        }
        catch (final IOException ex)
        {
            // damaged compression or a failed read ends the prefix; the reader reports it when it gets there
        }
    }

    private void digestPcap(final int magic) throws IOException
    {
        final ByteOrder order = isPcapMagic(magic) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        final int writerMagic = isPcapMagic(magic) ? magic : Integer.reverseBytes(magic);
        final int fileHeaderRest = PcapDescriptor.FILE_HEADER_LENGTH - 4;
        if (fileHeaderRest != read(4, fileHeaderRest))
        {
            return;
        }

        final int recordHeaderLength = PcapDescriptor.MAGIC_MODIFIED == writerMagic ?
            PcapDescriptor.MODIFIED_RECORD_HEADER_LENGTH : PcapDescriptor.RECORD_HEADER_LENGTH;
        if (recordHeaderLength != read(0, recordHeaderLength))
        {
            return;
        }

        final int capturedLength = header.order(order).getInt(PcapDescriptor.CAPTURED_LENGTH_OFFSET);
        header.order(ByteOrder.BIG_ENDIAN);
        if (capturedLength >= 0 && capturedLength <= CaptureFileSource.MAX_CAPTURED_LENGTH)
        {
            skip(capturedLength);
        }
    }

    private void digestPcapng() throws IOException
    {
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        boolean first = true;
        while (true)
        {
            // the first 4 bytes of the first block, its type, were read with the magic
            final int start = first ? 4 : 0;
            if (PcapngDescriptor.BLOCK_HEADER_LENGTH - start !=
                read(start, PcapngDescriptor.BLOCK_HEADER_LENGTH - start))
            {
                return;
            }
            first = false;

            long consumed = PcapngDescriptor.BLOCK_HEADER_LENGTH;
            if (PcapngDescriptor.SECTION_HEADER_BLOCK == header.getInt(PcapngDescriptor.BLOCK_TYPE_OFFSET))
            {
                // a section says its byte order after its length
                if (4 != read(PcapngDescriptor.SHB_BYTE_ORDER_MAGIC_OFFSET, 4))
                {
                    return;
                }
                final int byteOrderMagic = header.getInt(PcapngDescriptor.SHB_BYTE_ORDER_MAGIC_OFFSET);
                if (PcapngDescriptor.BYTE_ORDER_MAGIC == byteOrderMagic)
                {
                    order = ByteOrder.BIG_ENDIAN;
                }
                else if (PcapngDescriptor.BYTE_ORDER_MAGIC == Integer.reverseBytes(byteOrderMagic))
                {
                    order = ByteOrder.LITTLE_ENDIAN;
                }
                else
                {
                    return;
                }
                consumed = PCAPNG_BLOCK_START;
            }

            header.order(order);
            final int type = header.getInt(PcapngDescriptor.BLOCK_TYPE_OFFSET);
            final long length = header.getInt(PcapngDescriptor.BLOCK_LENGTH_OFFSET) & 0xFFFF_FFFFL;
            header.order(ByteOrder.BIG_ENDIAN);
            if (length < Math.max(consumed, PcapngDescriptor.MIN_BLOCK_LENGTH) || 0 != (length & 3) ||
                length > PcapngDescriptor.MAX_SKIPPED_BLOCK_LENGTH)
            {
                return;
            }

            if (length - consumed != skip(length - consumed) || isPacketBlock(type))
            {
                return;
            }
        }
    }

    private static boolean isPacketBlock(final int type)
    {
        return PcapngDescriptor.ENHANCED_PACKET_BLOCK == type ||
            PcapngDescriptor.PACKET_BLOCK == type ||
            PcapngDescriptor.SIMPLE_PACKET_BLOCK == type;
    }

    private static boolean isPcapMagic(final int magic)
    {
        return PcapDescriptor.MAGIC_MICROSECONDS == magic ||
            PcapDescriptor.MAGIC_NANOSECONDS == magic ||
            PcapDescriptor.MAGIC_MODIFIED == magic;
    }

    // read up to length bytes into the header at index, digest them, and tell how many there were
    private int read(final int index, final int length) throws IOException
    {
        final int count = in.readNBytes(header.array(), index, length);
        digest.update(header.array(), index, count);
        return count;
    }

    // digest the next length bytes without keeping them, and tell how many there were
    private long skip(final long length) throws IOException
    {
        long done = 0;
        while (done < length)
        {
            final int count = in.readNBytes(chunk, 0, (int)Math.min(chunk.length, length - done));
            digest.update(chunk, 0, count);
            done += count;
            if (0 == count)
            {
                break;
            }
        }

        return done;
    }
}
