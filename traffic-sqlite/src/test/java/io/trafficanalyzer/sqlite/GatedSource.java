package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A file-like (not live) source of generated packets that delivers only as far as the test has released, so a test
 * decides when buckets are sealed; it ends once ended and every released packet is delivered.
 */
final class GatedSource implements CaptureSource
{
    private final GeneratedTraffic traffic;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private volatile long released;
    private volatile boolean ended;
    private volatile long delivered;

    GatedSource(final GeneratedTraffic traffic)
    {
        this.traffic = traffic;
    }

    GatedSource release(final long upTo)
    {
        released = Math.max(released, upTo);
        return this;
    }

    GatedSource end()
    {
        ended = true;
        return this;
    }

    long delivered()
    {
        return delivered;
    }

    public String name()
    {
        return "gated";
    }

    public boolean isLive()
    {
        return false;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int count = 0;
        long next = delivered;
        final long upTo = released;
        while (count < limit && next < upTo)
        {
            final byte[] bytes = traffic.frame(next);
            frame.putBytes(0, bytes);
            handler.onFrame(frame, 0, bytes.length, bytes.length, LinkType.ETHERNET, traffic.timestampNs(next));
            next++;
            count++;
        }
        delivered = next;
        return count;
    }

    public boolean isEndOfStream()
    {
        return ended && delivered >= released;
    }

    public void close()
    {
    }
}
