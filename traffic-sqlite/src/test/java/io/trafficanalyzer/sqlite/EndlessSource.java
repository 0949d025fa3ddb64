package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongConsumer;

/**
 * A live source that never ends, like an interface: it delivers the generated packets at a steady rate of wall-clock
 * time, packet {@code i} not before {@code i / rate} seconds after the first poll. Its {@link #clock()} is the
 * analyzer's wall clock: the time of the next packet, so that the buckets sealed by the clock are exactly those the
 * packets have left behind, whatever the scheduling. On close it tells how many packets it delivered.
 */
final class EndlessSource implements CaptureSource
{
    private final GeneratedTraffic traffic;
    private final long nanosPerPacket;
    private final LongConsumer onClose;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private long startNs;
    private volatile long delivered;
    private volatile boolean closed;

    EndlessSource(final GeneratedTraffic traffic, final int packetsPerSecond, final LongConsumer onClose)
    {
        this.traffic = traffic;
        this.nanosPerPacket = 1_000_000_000L / packetsPerSecond;
        this.onClose = onClose;
    }

    EpochNanoClock clock()
    {
        return () -> traffic.timestampNs(delivered);
    }

    long delivered()
    {
        return delivered;
    }

    public String name()
    {
        return "endless";
    }

    public boolean isLive()
    {
        return true;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        final long nowNs = System.nanoTime();
        if (0 == startNs)
        {
            startNs = nowNs;
        }
        final long due = (nowNs - startNs) / nanosPerPacket + 1;
        int count = 0;
        long next = delivered;
        while (count < limit && next < due && !closed)
        {
            final byte[] bytes = traffic.frame(next);
            frame.putBytes(0, bytes);
            handler.onFrame(frame, 0, bytes.length, bytes.length, LinkType.ETHERNET, traffic.timestampNs(next));
            next++;
            count++;
            delivered = next;
        }
        return count;
    }

    public boolean isEndOfStream()
    {
        return closed;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            onClose.accept(delivered);
        }
    }
}
