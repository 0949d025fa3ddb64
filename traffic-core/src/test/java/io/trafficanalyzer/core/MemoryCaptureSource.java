package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An in-memory capture source of test frames. A file-like source ends after its last frame; a live one delivers
 * what has been {@link #add}ed so far and ends only when closed or {@link #end()}ed. Thread-safe for one poller
 * and one adder.
 * <p>
 * {@link #file} and {@link #files} announce each list of packets as a capture stream identified by its content,
 * as a file source does: the same packets give the same identity in every run.
 */
public final class MemoryCaptureSource implements CaptureSource
{
    private final boolean live;
    private final List<TestPacket> packets = new ArrayList<>();
    private final List<Integer> announceAt = new ArrayList<>();
    private final List<CaptureStream> announced = new ArrayList<>();
    private int nextAnnouncement;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[TestFrames.LENGTH + 16]);
    private int next;
    private boolean ended;
    private long kernelDrops;
    private List<String> localPrefixes = List.of();
    private volatile boolean closed;

    public MemoryCaptureSource(final boolean live)
    {
        this.live = live;
    }

    public static MemoryCaptureSource file(final List<TestPacket> packets)
    {
        return files(List.of(packets));
    }

    // one stream per list, announced before its first packet, as a source reading several files does
    public static MemoryCaptureSource files(final List<List<TestPacket>> files)
    {
        final MemoryCaptureSource source = new MemoryCaptureSource(false);
        for (int i = 0; i < files.size(); i++)
        {
            source.announce(contentStream(files.get(i), "memory-" + i));
            source.add(files.get(i));
        }
        source.end();
        return source;
    }

    // like a capture file's: the digest of the first packet as the source encodes it, with its timestamp
    public static CaptureStream contentStream(final List<TestPacket> packets, final String label)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (!packets.isEmpty())
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[TestFrames.LENGTH + Long.BYTES]);
                TestFrames.encode(packets.get(0), frame, 0);
                frame.putLong(TestFrames.LENGTH, packets.get(0).timestampNs());
                digest.update(frame.byteArray());
            }
            return new CaptureStream(
                CaptureStream.FILE_SHA256_PREFIX + HexFormat.of().formatHex(digest.digest()), label);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    // the packets added from now on belong to this stream, announced before the first of them
    public synchronized MemoryCaptureSource announce(final CaptureStream stream)
    {
        announceAt.add(packets.size());
        announced.add(stream);
        return this;
    }

    public synchronized MemoryCaptureSource add(final List<TestPacket> more)
    {
        packets.addAll(more);
        return this;
    }

    public synchronized MemoryCaptureSource add(final TestPacket packet)
    {
        packets.add(packet);
        return this;
    }

    public synchronized MemoryCaptureSource end()
    {
        ended = true;
        return this;
    }

    public synchronized MemoryCaptureSource kernelDrops(final long drops)
    {
        kernelDrops = drops;
        return this;
    }

    public synchronized MemoryCaptureSource localPrefixes(final List<String> prefixes)
    {
        localPrefixes = List.copyOf(prefixes);
        return this;
    }

    public synchronized List<String> localPrefixes()
    {
        return localPrefixes;
    }

    public boolean isClosed()
    {
        return closed;
    }

    public String name()
    {
        return live ? "memory-live" : "memory";
    }

    public boolean isLive()
    {
        return live;
    }

    public synchronized int poll(final FrameHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            while (nextAnnouncement < announceAt.size() && announceAt.get(nextAnnouncement) == next)
            {
                handler.onStreamStart(announced.get(nextAnnouncement++));
            }
            if (next == packets.size())
            {
                break;
            }

            final TestPacket packet = packets.get(next++);
            TestFrames.encode(packet, frame, 8);
            handler.onFrame(
                frame, 8, TestFrames.LENGTH, TestFrames.LENGTH, TestFrames.LINK_TYPE, packet.timestampNs());
            count++;
        }

        return count;
    }

    public synchronized boolean isEndOfStream()
    {
        return (ended || closed) && next == packets.size() && nextAnnouncement == announceAt.size();
    }

    public synchronized long kernelDrops()
    {
        return kernelDrops;
    }

    public void close()
    {
        closed = true;
    }
}
