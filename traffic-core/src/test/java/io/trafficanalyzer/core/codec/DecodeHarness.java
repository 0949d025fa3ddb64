package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes built frames the way a capture source hands them over: at an odd offset in a larger buffer whose bytes
 * after the captured frame are garbage, into a packet whose fields hold stale values from "the previous frame".
 */
final class DecodeHarness
{
    static final int FRAME_OFFSET = 13;
    static final long TIMESTAMP_NS = 1_700_000_000_123_456_789L;
    static final byte GARBAGE = (byte)0xA5;
    private static final int SLACK = 64;

    final FrameDecoder decoder = new FrameDecoder();
    final DecodedPacket packet = new DecodedPacket();
    private final BufferKind bufferKind;

    DecodeHarness(final BufferKind bufferKind)
    {
        this.bufferKind = bufferKind;
    }

    FrameOutcome decode(final FrameBuilder frame)
    {
        final byte[] bytes = frame.build();
        return decode(bytes, bytes.length, frame.wireLength(), frame.linkType());
    }

    FrameOutcome decode(final byte[] bytes, final int capturedLength, final int wireLength, final int linkType)
    {
        final UnsafeBuffer buffer = bufferKind.allocate(FRAME_OFFSET + bytes.length + SLACK);
        buffer.setMemory(0, buffer.capacity(), GARBAGE);
        buffer.putBytes(FRAME_OFFSET, bytes);
        poison(packet);
        return decoder.decode(buffer, FRAME_OFFSET, capturedLength, wireLength, linkType, TIMESTAMP_NS, packet);
    }

    static void poison(final DecodedPacket packet)
    {
        packet.timestampNs = -7;
        packet.ipVersion = 99;
        packet.srcHi = -1;
        packet.srcLo = -1;
        packet.dstHi = -1;
        packet.dstLo = -1;
        packet.protocol = 999;
        packet.srcPort = 77777;
        packet.dstPort = 88888;
        packet.tcpFlags = 0x3F;
        packet.tcpSequence = -9;
        packet.ipBytes = -5;
        packet.vlanId = 5555;
        packet.dscp = 99;
        packet.fragment = true;
    }
}
