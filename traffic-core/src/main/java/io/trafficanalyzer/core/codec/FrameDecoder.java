package io.trafficanalyzer.core.codec;

import org.agrona.DirectBuffer;

/**
 * Decodes a captured frame into a {@link DecodedPacket} without allocation. PLACEHOLDER: being implemented.
 */
public final class FrameDecoder
{
    /**
     * Decode one frame.
     *
     * @param buffer         holding the frame.
     * @param offset         of the link-layer header.
     * @param capturedLength bytes present.
     * @param wireLength     original length on the wire.
     * @param linkType       LINKTYPE_ value.
     * @param timestampNs    capture time.
     * @param packet         filled when the outcome is {@link FrameOutcome#DECODED}.
     * @return the outcome.
     */
    public FrameOutcome decode(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs,
        final DecodedPacket packet)
    {
        return FrameOutcome.UNSUPPORTED_LINK_TYPE;
    }
}
