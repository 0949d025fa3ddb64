package io.trafficanalyzer.core.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * One stream of frames with a clock of its own: a capture file, or one run of a live capture. Its {@link #id()}
 * identifies what the stream contributes to each bucket, so that a store counts every contribution once: a stream
 * seen again (the same file replayed, even grown since or after a run that was killed) replaces what it contributed
 * before, while different streams (other files, restarts, other interfaces, other hosts) add up.
 *
 * @param id    the identity: a file's is derived from its content, a live run's is new at every start.
 * @param label what a person reads in summaries and logs, e.g. the file name or the interface.
 */
public record CaptureStream(String id, String label)
{
    /** Prefix of the identity of a stream read from a capture file, derived from its content. */
    public static final String FILE_PREFIX = "file:";
    /** Prefix of the identity of a stream read from a capture file, followed by the digest of its first bytes. */
    public static final String FILE_SHA256_PREFIX = FILE_PREFIX + "sha256:";
    /** Prefix of the identity of a run of a live capture or of any source that names no stream of its own. */
    public static final String RUN_PREFIX = "run:";

    /**
     * A stream; both parts are required.
     *
     * @param id    the identity.
     * @param label the label.
     */
    public CaptureStream
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        if (id.isEmpty())
        {
            throw new IllegalArgumentException("empty stream id");
        }
    }

    /**
     * A new run, an identity no other stream has: what a live capture contributes after a restart adds to what it
     * contributed before.
     *
     * @param label what a person reads, e.g. the source's name.
     * @return the stream.
     */
    public static CaptureStream newRun(final String label)
    {
        return new CaptureStream(RUN_PREFIX + UUID.randomUUID(), label);
    }

    /**
     * The stream of a capture file, identified by its content: {@code "file:sha256:"} and the SHA-256, in hexadecimal,
     * of its decompressed bytes from the start through the end of its first packet (pcap: the file header, the first
     * record's header and its captured bytes; pcapng: every block up to and including the first packet block). The
     * same capture plain or gzip-compressed, or grown since by packets appended, has the same identity; another
     * capture, or another part of one cut at a packet, has another. A file with no packet, or one damaged before the
     * end of its first packet, is identified by the bytes read up to there. Reads the file's first bytes once.
     *
     * @param file  the capture file, pcap or pcapng, plain or gzip-compressed.
     * @param label what a person reads, e.g. the path as the user gave it.
     * @return the stream.
     * @throws IOException when the file cannot be opened.
     */
    public static CaptureStream ofFile(final Path file, final String label) throws IOException
    {
        return new CaptureStream(FILE_SHA256_PREFIX + CaptureFileIdentity.sha256(file), label);
    }

    /**
     * The stream of a capture file, identified by its content (see {@link #ofFile(Path, String)}), labelled with
     * the path as given.
     *
     * @param file the capture file.
     * @return the stream.
     * @throws IOException when the file cannot be opened.
     */
    public static CaptureStream ofFile(final Path file) throws IOException
    {
        return ofFile(file, file.toString());
    }
}
