package io.trafficanalyzer.core.testing;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Byte-order aware output of the capture writers that counts the (uncompressed) bytes written.
 */
final class CaptureOutput implements AutoCloseable
{
    private static final int BUFFER_SIZE = 64 * 1024;

    private final OutputStream out;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[8]);
    private final byte[] zeros = new byte[8];
    private long position;

    CaptureOutput(final OutputStream out)
    {
        this.out = out;
    }

    static OutputStream open(final Path file, final boolean gzip)
    {
        try
        {
            final OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER_SIZE);
            return gzip ? new GZIPOutputStream(out, BUFFER_SIZE) : out;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    long position()
    {
        return position;
    }

    void writeShort(final int value, final ByteOrder order)
    {
        scratch.putShort(0, (short)value, order);
        write(scratch.byteArray(), 0, 2);
    }

    void writeInt(final int value, final ByteOrder order)
    {
        scratch.putInt(0, value, order);
        write(scratch.byteArray(), 0, 4);
    }

    void writeLong(final long value, final ByteOrder order)
    {
        scratch.putLong(0, value, order);
        write(scratch.byteArray(), 0, 8);
    }

    void writeZeros(final int count)
    {
        int left = count;
        while (left > 0)
        {
            final int chunk = Math.min(left, zeros.length);
            write(zeros, 0, chunk);
            left -= chunk;
        }
    }

    void write(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            out.write(bytes, offset, length);
            position += length;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public void close()
    {
        try
        {
            out.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
