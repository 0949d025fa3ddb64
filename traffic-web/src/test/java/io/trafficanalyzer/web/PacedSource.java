package io.trafficanalyzer.web;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A live source for the tests: the packets of {@link GeneratedTraffic} stamped with the wall clock and delivered
 * when their time comes, at a steady rate, as a capture would see them.
 */
final class PacedSource implements CaptureSource
{
    private final GeneratedTraffic traffic;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
    private long next;
    private volatile boolean closed;

    PacedSource(final long packetsPerSecond)
    {
        traffic = new GeneratedTraffic(System.currentTimeMillis() * 1_000_000L, 1_000_000_000L / packetsPerSecond,
            6, 40, 11);
    }

    public String name()
    {
        return "paced";
    }

    public boolean isLive()
    {
        return true;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        int count = 0;
        while (count < limit && !closed && traffic.timestampNs(next) <= nowNs)
        {
            final byte[] frame = traffic.frame(next);
            buffer.putBytes(0, frame);
            handler.onFrame(buffer, 0, frame.length, frame.length, LinkType.ETHERNET, traffic.timestampNs(next));
            next++;
            count++;
        }
        return count;
    }

    public boolean isEndOfStream()
    {
        return closed;
    }

    public void close()
    {
        closed = true;
    }
}
