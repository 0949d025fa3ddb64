package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.text.SafeText;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A capture file is damaged or not a capture file: names the file, the byte offset where the damage was found
 * and the reason. Every frame before the damage was delivered before this was thrown.
 * <p>
 * The message escapes control characters of the file name and the reason ({@link SafeText}), so a file named to
 * forge log lines cannot; {@link #file()} and {@link #reason()} are as given.
 */
public final class CaptureFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String reason;

    /**
     * Damage at an offset of a file.
     *
     * @param file   the capture file.
     * @param offset byte offset in the (decompressed) file where the damage was found.
     * @param reason what is wrong, e.g. "record length 4294967295 exceeds the maximum 262144".
     */
    public CaptureFileException(final Path file, final long offset, final String reason)
    {
        super(SafeText.escape(file) + ": at byte offset " + offset + ": " + SafeText.escape(reason));
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * The damaged file.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Byte offset of the damage in the (decompressed) file.
     *
     * @return the offset.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * What is wrong.
     *
     * @return the reason.
     */
    public String reason()
    {
        return reason;
    }
}
