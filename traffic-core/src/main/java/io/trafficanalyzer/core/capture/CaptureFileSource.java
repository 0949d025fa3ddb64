package io.trafficanalyzer.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Reads capture files in pure Java, one after the other: classic pcap (microsecond, nanosecond and modified
 * magics, either byte order) and pcapng (any number of sections and interfaces), each optionally gzip-compressed.
 * The format is told by the file's magic number, never by its name.
 * <p>
 * Each file is a stream of its own, identified by its content ({@link CaptureStream#ofFile(Path)}, labelled with
 * the path as given) and announced to the handler with {@link FrameHandler#onStreamStart(CaptureStream)} before
 * its first frame, so that the packets of each file count in buckets of their own.
 * <p>
 * Frames are handed over in place: the buffer given to the {@link FrameHandler} is a view over a memory-mapped
 * window of the file (or over the buffer a gzip file is inflated into), valid only during the call, and nothing
 * is allocated or copied per frame. Resident memory stays bounded whatever the file size.
 * <p>
 * A damaged file (truncated, corrupt lengths, not a capture file) makes {@link #poll(FrameHandler, int)} throw a
 * {@link CaptureFileException} naming the file, the byte offset (in the decompressed file) of the damaged record
 * or block and the reason, after every frame before the damage has been delivered; the source is then at the end
 * of its stream and the files after the damaged one are not read.
 * <p>
 * Not thread safe: one thread polls, as for every {@link CaptureSource}.
 */
public final class CaptureFileSource implements CaptureSource
{
    /**
     * The largest captured length of a frame accepted: 256 KiB (libpcap's largest snap length) plus 64 KiB of
     * slack. A longer one is taken for a corrupt length.
     */
    public static final int MAX_CAPTURED_LENGTH = 256 * 1024 + 64 * 1024;

    private static final int MAX_WINDOW_SIZE = 1024 * 1024 * 1024;
    private static final int MAGIC_LENGTH = 4;
    private static final int GZIP_MAGIC = 0x1f8b;

    private final Path[] files;
    private final int windowSize;
    private final int gzipCapacity;
    private final ByteBuffer head = ByteBuffer.allocate(2);
    private int fileIndex;
    private CaptureInput input;
    private CaptureFileReader reader;
    private CaptureStream stream;
    private boolean endOfStream;
    private long completedFrames;
    private long completedBytes;
    private int filesDone;

    CaptureFileSource(final Path[] files, final int windowSize, final int gzipCapacity)
    {
        if (0 == files.length)
        {
            throw new IllegalArgumentException("at least one file is needed");
        }
        for (final Path file : files)
        {
            Objects.requireNonNull(file, "file");
        }
        if (windowSize <= 0 || windowSize > MAX_WINDOW_SIZE)
        {
            throw new IllegalArgumentException("windowSize must be in [1, " + MAX_WINDOW_SIZE + "]: " + windowSize);
        }
        if (gzipCapacity < CaptureInput.MAX_REQUIRED_LENGTH || gzipCapacity > MAX_WINDOW_SIZE)
        {
            throw new IllegalArgumentException("gzipCapacity must be in [" + CaptureInput.MAX_REQUIRED_LENGTH + ", " +
                MAX_WINDOW_SIZE + "]: " + gzipCapacity);
        }
        this.files = files.clone();
        this.windowSize = windowSize;
        this.gzipCapacity = gzipCapacity;
    }

    /**
     * A source reading the given files in order; they are opened one at a time as the source reaches them.
     *
     * @param files capture files, at least one.
     * @return the source.
     * @throws IllegalArgumentException when no file is given.
     */
    public static CaptureFileSource open(final Path... files)
    {
        return new CaptureFileSource(files, MappedFileInput.DEFAULT_WINDOW_SIZE, GzipFileInput.DEFAULT_CAPACITY);
    }

    /**
     * A source reading the given files in order; they are opened one at a time as the source reaches them.
     *
     * @param files capture files, at least one.
     * @return the source.
     * @throws IllegalArgumentException when no file is given.
     */
    public static CaptureFileSource open(final List<Path> files)
    {
        return open(files.toArray(new Path[0]));
    }

    /**
     * The name of the file being read (the last one once the stream has ended).
     *
     * @return the file name.
     */
    public String name()
    {
        return String.valueOf(currentFile().getFileName());
    }

    /**
     * The file being read (the last one read once the stream has ended).
     *
     * @return its path.
     */
    public Path currentFile()
    {
        return files[Math.min(fileIndex, files.length - 1)];
    }

    /**
     * A file is not live.
     *
     * @return false.
     */
    public boolean isLive()
    {
        return false;
    }

    /**
     * Deliver up to {@code limit} frames, moving on to the next file at the end of one.
     *
     * @param handler receives each frame; must not keep the buffer after the call.
     * @param limit   the maximum number of frames to deliver in this call.
     * @return the number of frames delivered, fewer than {@code limit} only at the end of the stream.
     * @throws CaptureFileException when a file is damaged, after every frame before the damage has been
     *                              delivered; the source is then at the end of its stream.
     * @throws IOException          when a file cannot be opened or read; the source is then at the end of its
     *                              stream.
     */
    public int poll(final FrameHandler handler, final int limit) throws IOException
    {
        int count = 0;
        try
        {
            while (count < limit && !endOfStream)
            {
                if (null == reader)
                {
                    if (files.length == fileIndex)
                    {
                        endOfStream = true;
                        break;
                    }
                    openNext();
                    handler.onStreamStart(stream);
                }

                count += reader.read(handler, limit - count);
                if (reader.isDone())
                {
                    closeFile();
                    filesDone++;
                    fileIndex++;
                }
            }
        }
        catch (final IOException ex)
        {
            closeFile();
            endOfStream = true;
            throw ex;
        }

        return count;
    }

    /**
     * Whether every file has been read, or reading stopped at damage or by {@link #close()}.
     *
     * @return true when no more frames will come.
     */
    public boolean isEndOfStream()
    {
        return endOfStream;
    }

    /**
     * Close the file being read; the source is then at the end of its stream.
     */
    public void close()
    {
        closeFile();
        endOfStream = true;
    }

    /**
     * Frames delivered so far, over all files.
     *
     * @return the count.
     */
    public long framesDelivered()
    {
        return completedFrames + (null != reader ? reader.frames : 0);
    }

    /**
     * Bytes of (decompressed) capture data read so far, headers included, over all files.
     *
     * @return the count.
     */
    public long bytesRead()
    {
        return completedBytes + (null != reader ? reader.position() : 0);
    }

    /**
     * Files read to their end so far (a damaged file is not counted).
     *
     * @return the count.
     */
    public int filesDone()
    {
        return filesDone;
    }

    private void openNext() throws IOException
    {
        final Path file = files[fileIndex];
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try
        {
            if (0 == channel.size())
            {
                throw new CaptureFileException(file, 0, "not a capture file: empty");
            }

            head.clear();
            while (head.hasRemaining() && channel.read(head, head.position()) >= 0)
            {
                // a positional read leaves the channel at 0 for the gzip stream
            }
            final boolean gzip = 2 == head.position() && GZIP_MAGIC == (head.getShort(0) & 0xFFFF);
            input = gzip ?
                new GzipFileInput(file, channel, gzipCapacity) : new MappedFileInput(channel, windowSize);
            reader = newReader(file, input);
            stream = CaptureStream.ofFile(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != input)
            {
                input.close();
                input = null;
            }
            channel.close();
            throw ex;
        }
    }

    private static CaptureFileReader newReader(final Path file, final CaptureInput input) throws IOException
    {
        final int available = input.require(0, MAGIC_LENGTH);
        if (0 == available)
        {
            throw new CaptureFileException(file, 0, "not a capture file: empty");
        }
        if (available < MAGIC_LENGTH)
        {
            throw new CaptureFileException(file, 0, "not a capture file: only " + available + " bytes");
        }

        final int magic = input.buffer.getInt(0, ByteOrder.BIG_ENDIAN);
        if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic)))
        {
            return new PcapReader(file, input, magic);
        }
        if (PcapngDescriptor.SECTION_HEADER_BLOCK == magic)
        {
            return new PcapngReader(file, input);
        }

        throw new CaptureFileException(
            file, 0, String.format("not a capture file: unknown magic 0x%08x", magic));
    }

    private static boolean isPcapMagic(final int magic)
    {
        return PcapDescriptor.MAGIC_MICROSECONDS == magic ||
            PcapDescriptor.MAGIC_NANOSECONDS == magic ||
            PcapDescriptor.MAGIC_MODIFIED == magic;
    }

    private void closeFile()
    {
        if (null != reader)
        {
            completedFrames += reader.frames;
            completedBytes += reader.position();
            reader = null;
        }
        if (null != input)
        {
            input.close();
            input = null;
        }
    }
}
