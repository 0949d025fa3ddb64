package io.trafficanalyzer.core.capture;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An uncompressed file of any size read through memory-mapped windows of bounded size: a record that crosses the
 * window's end re-maps the window at the record's start, and the previous window is unmapped at once, so the
 * resident memory stays bounded whatever the file size.
 */
final class MappedFileInput extends CaptureInput
{
    /**
     * Default size of a mapped window: the pages of a window count in the process's resident set until it is
     * unmapped, and a larger window reads no faster.
     */
    static final int DEFAULT_WINDOW_SIZE = 16 * 1024 * 1024;

    private final FileChannel channel;
    private final long fileLength;
    private final int windowSize;
    private MappedByteBuffer mapped;

    MappedFileInput(final FileChannel channel, final int windowSize) throws IOException
    {
        if (windowSize <= 0)
        {
            throw new IllegalArgumentException("windowSize must be positive: " + windowSize);
        }
        this.channel = channel;
        this.fileLength = channel.size();
        this.windowSize = windowSize;
    }

    int require(final long offset, final int length) throws IOException
    {
        final long remaining = fileLength - offset;
        if (remaining <= 0)
        {
            return 0;
        }

        final int wanted = (int)Math.min(length, remaining);
        if (offset < windowStart || offset + wanted > windowStart + windowLength)
        {
            map(offset, (int)Math.min(remaining, Math.max(windowSize, length)));
        }

        return wanted;
    }

    long knownLength()
    {
        return fileLength;
    }

    public void close()
    {
        unmap();
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // a read-only channel has nothing to flush
        }
    }

    private void map(final long offset, final int size) throws IOException
    {
        unmap();
        mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, size);
        buffer.wrap(BufferUtil.address(mapped), size);
        windowStart = offset;
        windowLength = size;
    }

    private void unmap()
    {
        if (null != mapped)
        {
            buffer.wrap(0, 0);
            windowLength = 0;
            IoUtil.unmap(mapped);
            mapped = null;
        }
    }
}
