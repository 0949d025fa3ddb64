package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;

import java.io.IOException;

/**
 * Capture files read through a {@link CaptureFileSource}, with the bytes read published after each poll so that
 * another thread can draw progress; the file source itself is read only by the capture thread.
 */
final class ProgressTrackingSource implements CaptureSource
{
    private final CaptureFileSource files;
    private volatile long bytesRead;

    ProgressTrackingSource(final CaptureFileSource files)
    {
        this.files = files;
    }

    long bytesRead()
    {
        return bytesRead;
    }

    public String name()
    {
        return files.name();
    }

    public boolean isLive()
    {
        return false;
    }

    public int poll(final FrameHandler handler, final int limit) throws IOException
    {
        try
        {
            return files.poll(handler, limit);
        }
        finally
        {
            bytesRead = files.bytesRead();
        }
    }

    public boolean isEndOfStream()
    {
        return files.isEndOfStream();
    }

    public void close()
    {
        files.close();
    }
}
