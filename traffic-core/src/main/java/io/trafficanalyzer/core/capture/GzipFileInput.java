package io.trafficanalyzer.core.capture;

import org.agrona.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip file (RFC 1952, one or several members) inflated as a stream into a bounded direct buffer that is
 * refilled as the parser moves on: the bytes a record still needs are moved to the front and the rest of the
 * buffer is inflated anew. Each member's CRC-32 and length are checked.
 */
final class GzipFileInput extends CaptureInput
{
    /**
     * Default capacity of the buffer of inflated bytes.
     */
    static final int DEFAULT_CAPACITY = 1024 * 1024;

    private static final int COMPRESSED_CAPACITY = 64 * 1024;
    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int CM_DEFLATE = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int FRESERVED = 0xe0;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer compressed;
    private final ByteBuffer inflated;
    private final ByteBuffer checked;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private CaptureFileException pendingDamage;
    private boolean inMember;
    private boolean endOfData;
    private boolean endOfFile;
    private long memberLength;

    GzipFileInput(final Path file, final FileChannel channel, final int capacity)
    {
        if (capacity < MAX_REQUIRED_LENGTH)
        {
            throw new IllegalArgumentException("capacity must be at least " + MAX_REQUIRED_LENGTH + ": " + capacity);
        }
        this.file = file;
        this.channel = channel;
        compressed = ByteBuffer.allocateDirect(COMPRESSED_CAPACITY);
        compressed.limit(0);
        inflated = ByteBuffer.allocateDirect(capacity);
        checked = inflated.duplicate();
        buffer.wrap(inflated);
    }

    int require(final long offset, final int length) throws IOException
    {
        while (true)
        {
            final long end = windowStart + windowLength;
            if (offset >= end)
            {
                windowStart = end;
                windowLength = 0;
            }
            else if (offset > windowStart)
            {
                final int shift = (int)(offset - windowStart);
                windowLength -= shift;
                buffer.putBytes(0, buffer, shift, windowLength);
                windowStart = offset;
            }

            final long available = windowStart + windowLength - offset;
            if (available >= length)
            {
                return length;
            }
            if (endOfData)
            {
                if (null != pendingDamage && available < length)
                {
                    throw pendingDamage;
                }
                return (int)Math.max(0, available);
            }

            inflateMore();
        }
    }

    long knownLength()
    {
        return endOfData ? windowStart + windowLength : -1;
    }

    public void close()
    {
        inflater.end();
        buffer.wrap(0, 0);
        windowLength = 0;
        BufferUtil.free(inflated);
        BufferUtil.free(compressed);
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // a read-only channel has nothing to flush
        }
    }

    /**
     * Inflate at least one more byte after the window, or reach the end of the data; every pass of the loop
     * consumes compressed input or produces output, or fails.
     */
    private void inflateMore() throws IOException
    {
        final int before = windowLength;
        while (windowLength == before && !endOfData)
        {
            if (!inMember)
            {
                if (!readMemberHeader())
                {
                    endOfData = true;
                    return;
                }
                inMember = true;
            }

            if (inflater.needsInput())
            {
                if (!compressed.hasRemaining() && !fillCompressed())
                {
                    throw damage("gzip: compressed data truncated");
                }
                inflater.setInput(compressed);
            }

            inflated.limit(inflated.capacity()).position(windowLength);
            final int produced;
            try
            {
                produced = inflater.inflate(inflated);
            }
            catch (final DataFormatException ex)
            {
                throw damage("gzip: corrupt deflate data: " + ex.getMessage());
            }

            if (produced > 0)
            {
                checked.limit(windowLength + produced).position(windowLength);
                crc.update(checked);
                windowLength += produced;
                memberLength += produced;
            }

            if (inflater.finished())
            {
                try
                {
                    readMemberTrailer();
                }
                catch (final CaptureFileException ex)
                {
                    // raised once the parser has taken every frame of the bytes inflated before the trailer
                    pendingDamage = ex;
                }
            }
            else if (inflater.needsDictionary())
            {
                throw damage("gzip: deflate stream needs a preset dictionary");
            }
        }
    }

    private boolean readMemberHeader() throws IOException
    {
        final int id1 = readCompressedByte();
        if (id1 < 0)
        {
            return false;
        }

        final int id2 = readCompressedByte();
        if (ID1 != id1 || ID2 != id2)
        {
            throw damage(String.format("gzip: bad member magic 0x%02x%02x", id1, id2 & 0xff));
        }

        final int method = readRequiredByte();
        final int flags = readRequiredByte();
        if (CM_DEFLATE != method)
        {
            throw damage("gzip: unsupported compression method " + method);
        }
        if (0 != (flags & FRESERVED))
        {
            throw damage(String.format("gzip: reserved flags set 0x%02x", flags));
        }

        skipCompressed(6);
        if (0 != (flags & FEXTRA))
        {
            skipCompressed(readRequiredByte() | readRequiredByte() << 8);
        }
        if (0 != (flags & FNAME))
        {
            skipZeroTerminated();
        }
        if (0 != (flags & FCOMMENT))
        {
            skipZeroTerminated();
        }
        if (0 != (flags & FHCRC))
        {
            skipCompressed(2);
        }

        inflater.reset();
        crc.reset();
        memberLength = 0;

        return true;
    }

    private void readMemberTrailer() throws IOException
    {
        final long expectedCrc = readRequiredInt();
        final long expectedLength = readRequiredInt();
        if (expectedCrc != crc.getValue())
        {
            throw damage(String.format(
                "gzip: CRC-32 mismatch: trailer 0x%08x, data 0x%08x", expectedCrc, crc.getValue()));
        }
        if (expectedLength != (memberLength & 0xFFFF_FFFFL))
        {
            throw damage("gzip: length mismatch: trailer " + expectedLength + ", data " + memberLength);
        }
        inMember = false;
    }

    private long readRequiredInt() throws IOException
    {
        return readRequiredByte() |
            readRequiredByte() << 8 |
            readRequiredByte() << 16 |
            (long)readRequiredByte() << 24;
    }

    private void skipZeroTerminated() throws IOException
    {
        while (0 != readRequiredByte())
        {
            // the file name and comment are not needed
        }
    }

    private void skipCompressed(final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            readRequiredByte();
        }
    }

    private int readRequiredByte() throws IOException
    {
        final int value = readCompressedByte();
        if (value < 0)
        {
            throw damage("gzip: member header or trailer truncated");
        }
        return value;
    }

    private int readCompressedByte() throws IOException
    {
        if (!compressed.hasRemaining() && !fillCompressed())
        {
            return -1;
        }
        return compressed.get() & 0xff;
    }

    private boolean fillCompressed() throws IOException
    {
        if (endOfFile)
        {
            return false;
        }
        compressed.compact();
        int read = 0;
        while (0 == read)
        {
            read = channel.read(compressed);
        }
        compressed.flip();
        if (read < 0)
        {
            endOfFile = true;
            return compressed.hasRemaining();
        }
        return true;
    }

    private CaptureFileException damage(final String reason)
    {
        endOfData = true;
        return new CaptureFileException(file, windowStart + windowLength, reason);
    }
}
