package io.trafficanalyzer.core.capture;

import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.util.List;

/**
 * A source of captured frames: a capture file, a live interface, or a user's own through the SPI.
 * <p>
 * A source is driven by one thread, the capture agent's: {@link #poll(FrameHandler, int)} delivers up to a
 * bounded number of frames and returns, so the caller's idle strategy can back off when nothing arrives.
 * A source must not allocate per frame.
 * <p>
 * Example, a source that replays frames held in memory:
 * <pre>{@code
 * final class MemorySource implements CaptureSource
 * {
 *     private final UnsafeBuffer frames = ...; private int next;
 *     public String name() { return "memory"; }
 *     public boolean isLive() { return false; }
 *     public int poll(final FrameHandler handler, final int limit)
 *     {
 *         int count = 0;
 *         for (; count < limit && next < frameCount; count++, next++)
 *         {
 *             handler.onFrame(frames, offsetOf(next), lengthOf(next), lengthOf(next), LinkType.ETHERNET, timeOf(next));
 *         }
 *         return count;
 *     }
 *     public boolean isEndOfStream() { return next == frameCount; }
 *     public void close() { }
 * }
 * }</pre>
 */
public interface CaptureSource extends AutoCloseable
{
    /**
     * How often, in wall-clock nanoseconds, a live source's {@link #localPrefixes()} is asked again.
     */
    long LOCAL_PREFIXES_REFRESH_NS = 10_000_000_000L;

    /**
     * A name for logs and errors, e.g. the file name or interface.
     *
     * @return the name.
     */
    String name();

    /**
     * Whether frames arrive in real time: a live source is never blocked (a full pipeline drops and counts),
     * and its buckets are also sealed by the wall clock.
     *
     * @return true for live captures, false for files.
     */
    boolean isLive();

    /**
     * Deliver up to {@code limit} frames to the handler.
     *
     * @param handler receives each frame.
     * @param limit   the maximum number of frames to deliver in this call.
     * @return the number of frames delivered, 0 when none is available now.
     * @throws IOException when the source fails, after every frame before the failure has been delivered;
     *                     a damaged capture file raises a {@link CaptureFileException}.
     */
    int poll(FrameHandler handler, int limit) throws IOException;

    /**
     * Whether the source has delivered its last frame (a file at its end; never for a live source until closed).
     *
     * @return true when no more frames will come.
     */
    boolean isEndOfStream();

    /**
     * Frames the capture mechanism itself dropped so far (e.g. the kernel's {@code pcap_stats} drops).
     *
     * @return cumulative drops, 0 for sources that cannot drop.
     */
    default long kernelDrops()
    {
        return 0;
    }

    /**
     * Local networks the source itself knows of, e.g. the capture interfaces' IPv4 and IPv6 prefixes, added to the
     * configured ones. Asked by the capture agent when it starts and then every
     * {@link #LOCAL_PREFIXES_REFRESH_NS} nanoseconds of wall clock, so an address change is followed; never per frame.
     *
     * @return CIDR prefixes, empty for sources that know none (files).
     */
    default List<String> localPrefixes()
    {
        return List.of();
    }

    /**
     * How a thread that polls nothing but this source should wait when a poll found no frames, e.g. in
     * {@code poll(2)} on its capture sockets, so it wakes when frames arrive rather than on a timer. The analyzer
     * gives it to its capture thread in {@code ThreadingMode.DEDICATED} unless the application chose an idle
     * strategy; the wait should stay short (milliseconds), since the capture agent also seals buckets by the clock.
     *
     * @return a new idle strategy, or null to use the analyzer's.
     */
    default IdleStrategy idleStrategy()
    {
        return null;
    }

    /**
     * Release the source's resources.
     */
    void close();
}
