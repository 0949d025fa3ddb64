package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory capture source of test frames. A file-like source ends after its last frame; a live one delivers
 * what has been {@link #add}ed so far and ends only when closed or {@link #end()}ed. Thread-safe for one poller
 * and one adder.
 */
public final class MemoryCaptureSource implements CaptureSource
{
    private final boolean live;
    private final List<TestPacket> packets = new ArrayList<>();
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
        final MemoryCaptureSource source = new MemoryCaptureSource(false);
        source.add(packets);
        source.end();
        return source;
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
        while (count < limit && next < packets.size())
        {
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
        return (ended || closed) && next == packets.size();
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
