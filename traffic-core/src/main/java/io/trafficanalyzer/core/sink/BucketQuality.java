package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.codec.FrameOutcome;

/**
 * The data-quality figures of one bucket: what was seen, what was skipped and why, what was lost.
 */
public interface BucketQuality
{
    /**
     * Frames read from the source in this bucket, whatever became of them.
     *
     * @return the frame count.
     */
    long frames();

    /**
     * Decoded IP packets (local and transit).
     *
     * @return the packet count.
     */
    long packets();

    /**
     * Bytes of the decoded IP packets (byte count contract of the decoder).
     *
     * @return the byte count.
     */
    long bytes();

    /**
     * IP packets between two remote hosts.
     *
     * @return the transit packet count.
     */
    long transitPackets();

    /**
     * Bytes of the transit packets.
     *
     * @return the transit byte count.
     */
    long transitBytes();

    /**
     * Frames of a given outcome: {@link FrameOutcome#NON_IP} or a malformed reason.
     *
     * @param outcome the outcome.
     * @return the frame count.
     */
    long frames(FrameOutcome outcome);

    /**
     * Packets that arrived after their bucket was sealed and were counted in a later open bucket.
     *
     * @return the late packet count.
     */
    long latePackets();

    /**
     * Frames dropped because a ring buffer was full (live sources only).
     *
     * @return the drop count.
     */
    long ringDrops();

    /**
     * Frames the kernel or capture mechanism dropped during this bucket.
     *
     * @return the drop count.
     */
    long kernelDrops();

    /**
     * Packets counted into an "other" row because their view had reached its key limit, summed over the views; the
     * name predates the count's precise meaning, which is packets, not distinct keys.
     *
     * @return the folded packet count.
     */
    long foldedKeys();

    /**
     * Whether nothing was lost: no ring or kernel drops in this bucket.
     *
     * @return true for a complete bucket.
     */
    default boolean isComplete()
    {
        return ringDrops() == 0 && kernelDrops() == 0;
    }
}
