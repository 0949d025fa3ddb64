package io.trafficanalyzer.core.capture;

import org.agrona.DirectBuffer;

/**
 * Receives frames from a {@link CaptureSource}. The buffer is only valid for the duration of the call.
 * <p>
 * A source that reads several streams one after the other (capture files) announces each with
 * {@link #onStreamStart(CaptureStream)} before its first frame; a source that never does is one stream, a run.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * One captured frame.
     *
     * @param buffer         holding the frame; valid only during this call.
     * @param offset         of the first byte of the link-layer header in the buffer.
     * @param capturedLength bytes of the frame present in the buffer (at most the snap length).
     * @param wireLength     length of the frame on the wire (the original length).
     * @param linkType       LINKTYPE_ value of the frame (see {@link io.trafficanalyzer.core.codec.LinkType}).
     * @param timestampNs    capture time in nanoseconds since the Unix epoch.
     */
    void onFrame(DirectBuffer buffer, int offset, int capturedLength, int wireLength, int linkType, long timestampNs);

    /**
     * The frames that follow belong to a new stream, with a clock and an identity of its own: the buckets of the
     * stream before are complete. Called off the per-frame path, once per stream.
     *
     * @param stream the stream that begins.
     */
    default void onStreamStart(final CaptureStream stream)
    {
    }
}
