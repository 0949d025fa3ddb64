package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A frame format of the tests' own (link type {@link #LINK_TYPE}) that carries a {@link TestPacket} as is, and the
 * decoder that reads it, so the pipeline can be tested independently of the real frame decoder.
 */
public final class TestFrames
{
    public static final int LINK_TYPE = 147;
    public static final int LENGTH = 64;

    private TestFrames()
    {
    }

    public static void encode(final TestPacket packet, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, packet.outcome().ordinal());
        buffer.putInt(offset + 4, packet.ipVersion());
        buffer.putLong(offset + 8, packet.srcHi());
        buffer.putLong(offset + 16, packet.srcLo());
        buffer.putLong(offset + 24, packet.dstHi());
        buffer.putLong(offset + 32, packet.dstLo());
        buffer.putInt(offset + 40, packet.protocol());
        buffer.putInt(offset + 44, packet.srcPort());
        buffer.putInt(offset + 48, packet.dstPort());
        buffer.putInt(offset + 52, packet.ipBytes());
        buffer.putInt(offset + 56, packet.vlanId());
        buffer.putInt(offset + 60, packet.dscp());
    }

    static FrameOutcome decode(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs,
        final DecodedPacket packet)
    {
        if (LINK_TYPE != linkType || capturedLength < LENGTH)
        {
            return FrameOutcome.UNSUPPORTED_LINK_TYPE;
        }

        final FrameOutcome outcome = FrameOutcome.get(buffer.getInt(offset));
        packet.reset();
        packet.timestampNs = timestampNs;
        if (FrameOutcome.DECODED == outcome)
        {
            packet.ipVersion = buffer.getInt(offset + 4);
            packet.srcHi = buffer.getLong(offset + 8);
            packet.srcLo = buffer.getLong(offset + 16);
            packet.dstHi = buffer.getLong(offset + 24);
            packet.dstLo = buffer.getLong(offset + 32);
            packet.protocol = buffer.getInt(offset + 40);
            packet.srcPort = buffer.getInt(offset + 44);
            packet.dstPort = buffer.getInt(offset + 48);
            packet.ipBytes = buffer.getInt(offset + 52);
            packet.vlanId = buffer.getInt(offset + 56);
            packet.dscp = buffer.getInt(offset + 60);
        }

        return outcome;
    }
}
