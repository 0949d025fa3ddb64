package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a copy of every frame it is handed, and every stream announced with the number of frames before it, for
 * assertions.
 */
final class RecordingHandler implements FrameHandler
{
    record Frame(byte[] bytes, int wireLength, int linkType, long timestampNs)
    {
    }

    final List<Frame> frames = new ArrayList<>();
    final List<CaptureStream> streams = new ArrayList<>();
    final List<Integer> streamStarts = new ArrayList<>();

    List<byte[]> bytes()
    {
        return frames.stream().map(Frame::bytes).toList();
    }

    public void onStreamStart(final CaptureStream stream)
    {
        streams.add(stream);
        streamStarts.add(frames.size());
    }

    public void onFrame(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs)
    {
        final byte[] bytes = new byte[capturedLength];
        buffer.getBytes(offset, bytes);
        frames.add(new Frame(bytes, wireLength, linkType, timestampNs));
    }
}
