package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import org.agrona.DirectBuffer;

/**
 * Decodes one frame for the capture agent: the signature of
 * {@link io.trafficanalyzer.core.codec.FrameDecoder#decode}, so tests can put their own in its place.
 */
@FunctionalInterface
interface PacketDecoder
{
    FrameOutcome decode(
        DirectBuffer buffer,
        int offset,
        int capturedLength,
        int wireLength,
        int linkType,
        long timestampNs,
        DecodedPacket packet);
}
