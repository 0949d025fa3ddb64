package io.trafficanalyzer.core.capture;

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
}
