package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a capture file through libpcap, for the formats and variants only libpcap knows (the pure-Java reader of
 * traffic-core stays the default for files). Timestamps are nanoseconds whatever the file's precision; a BPF filter
 * may select the frames. A damaged file raises a {@link CaptureFileException} after every frame before the damage
 * has been delivered.
 * <p>
 * The file is a capture stream identified by its content ({@link CaptureStream#ofFile(Path)}), announced to the
 * handler before the first frame, so that reading it again replaces what it contributed rather than adding to it.
 */
public final class PcapFileSource implements CaptureSource
{
    private final Path file;
    private final CaptureStream stream;
    private final long pcap;
    private final FrameReader reader;
    private boolean isAnnounced;
    private boolean isEndOfStream;
    private boolean isClosed;

    private PcapFileSource(final Path file, final CaptureStream stream, final long pcap, final FrameReader reader)
    {
        this.file = file;
        this.stream = stream;
        this.pcap = pcap;
        this.reader = reader;
    }

    /**
     * Open a capture file, every frame, read in {@link PcapReadMode#DISPATCH} mode.
     *
     * @param file the pcap or pcapng file.
     * @return the open source.
     * @throws IOException when the file is missing or unreadable, is not a capture file libpcap knows
     *                     ({@link CaptureFileException}), or libpcap is missing ({@link PcapException}).
     */
    public static PcapFileSource open(final Path file) throws IOException
    {
        return open(file, null, PcapReadMode.DISPATCH);
    }

    /**
     * Open a capture file with a BPF filter and a read mode.
     *
     * @param file     the pcap or pcapng file.
     * @param filter   a BPF filter in tcpdump's syntax, or null or blank for every frame.
     * @param readMode how frames are taken from libpcap; null for {@link PcapReadMode#DISPATCH}.
     * @return the open source.
     * @throws IOException when the file is missing or unreadable, is not a capture file libpcap knows
     *                     ({@link CaptureFileException}), libpcap is missing or the filter is invalid
     *                     ({@link PcapException}).
     */
    public static PcapFileSource open(final Path file, final String filter, final PcapReadMode readMode)
        throws IOException
    {
        if (!Files.exists(file))
        {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isReadable(file) || Files.isDirectory(file))
        {
            throw new AccessDeniedException(file.toString(), null, "not a readable file");
        }

        // the file's first bytes, read on their own before libpcap opens it
        final CaptureStream stream = CaptureStream.ofFile(file);
        PcapHandles.loadLibrary();
        final UnsafeBuffer errbuf = PcapHandles.errorBuffer();
        final long pcap = LibPcap.pcapOpenOfflineWithTstampPrecision(
            file.toString(), LibPcap.TSTAMP_PRECISION_NANO, errbuf.addressOffset());
        if (0 == pcap)
        {
            throw new CaptureFileException(file, 0, PcapHandles.string(errbuf));
        }

        try
        {
            PcapHandles.applyFilter(pcap, filter, file.toString());
            return new PcapFileSource(
                file, stream, pcap,
                PcapHandles.openReader(pcap, null == readMode ? PcapReadMode.DISPATCH : readMode, false));
        }
        catch (final PcapException | RuntimeException ex)
        {
            LibPcap.pcapClose(pcap);
            throw ex;
        }
    }

    /**
     * {@inheritDoc}
     */
    public String name()
    {
        return file.toString();
    }

    /**
     * {@inheritDoc}
     */
    public boolean isLive()
    {
        return false;
    }

    /**
     * The read mode in use.
     *
     * @return {@link PcapReadMode#NEXT_EX} where {@link PcapReadMode#DISPATCH} was asked for but is not available.
     */
    public PcapReadMode readMode()
    {
        return reader.mode();
    }

    /**
     * {@inheritDoc}
     */
    public int poll(final FrameHandler handler, final int limit) throws IOException
    {
        if (isEndOfStream || isClosed)
        {
            return 0;
        }

        if (!isAnnounced)
        {
            isAnnounced = true;
            handler.onStreamStart(stream);
        }

        final int delivered = reader.read(handler, limit);
        if (delivered == 0)
        {
            if (reader.status() == FrameReader.END_OF_STREAM)
            {
                isEndOfStream = true;
            }
            else if (reader.status() == FrameReader.FAILED)
            {
                isEndOfStream = true;
                throw new CaptureFileException(file, fileOffset(), reader.error());
            }
        }

        return delivered;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isEndOfStream()
    {
        return isEndOfStream;
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            reader.close();
            LibPcap.pcapClose(pcap);
        }
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "pcapfile:" + file;
    }

    private long fileOffset()
    {
        if (LibC.isAvailable())
        {
            final long stream = LibPcap.pcapFile(pcap);
            if (0 != stream)
            {
                return LibC.ftell(stream);
            }
        }

        return -1;
    }
}
