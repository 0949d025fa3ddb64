package io.trafficanalyzer.core.capture;

import org.agrona.DirectBuffer;

/**
 * Receives frames from a {@link CaptureSource}. The buffer is only valid for the duration of the call.
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
}
