package io.trafficanalyzer.core.capture;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Copies every frame out of the buffer during the call, through the {@link DirectBuffer} interface only (no
 * assumption on heap or direct memory), and keeps nothing of the buffer.
 */
final class FrameRecorder implements FrameHandler
{
    record Frame(String data, int capturedLength, int wireLength, int linkType, long timestampNs)
    {
        static Frame of(
            final byte[] data,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            return new Frame(
                HexFormat.of().formatHex(data, 0, capturedLength), capturedLength, wireLength, linkType, timestampNs);
        }
    }

    final List<Frame> frames = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final List<CaptureStream> streams = new ArrayList<>();
    final List<Integer> streamStarts = new ArrayList<>();
    private final CaptureSource source;

    FrameRecorder()
    {
        this(null);
    }

    FrameRecorder(final CaptureSource source)
    {
        this.source = source;
    }

    public void onFrame(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final int wireLength,
        final int linkType,
        final long timestampNs)
    {
        final byte[] data = new byte[capturedLength];
        buffer.getBytes(offset, data);
        frames.add(Frame.of(data, capturedLength, wireLength, linkType, timestampNs));
        if (null != source)
        {
            names.add(source.name());
        }
    }

    public void onStreamStart(final CaptureStream stream)
    {
        streams.add(stream);
        streamStarts.add(frames.size());
    }

    // poll with an odd limit until the end of the stream; returns the damage that ended it, or null
    CaptureFileException readAll(final CaptureSource source) throws IOException
    {
        try
        {
            int polls = 0;
            while (!source.isEndOfStream())
            {
                final int count = source.poll(this, 7);
                if (count < 7 && !source.isEndOfStream())
                {
                    throw new AssertionError("poll delivered " + count + " of 7 before the end of the stream");
                }
                if (++polls > 100_000_000)
                {
                    throw new AssertionError("endless polling");
                }
            }
            return null;
        }
        catch (final CaptureFileException ex)
        {
            if (!source.isEndOfStream() || 0 != source.poll(this, 7))
            {
                throw new AssertionError("source not at end of stream after damage", ex);
            }
            return ex;
        }
    }
}
