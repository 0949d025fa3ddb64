package io.trafficanalyzer.core.sink;

/**
 * Told of every bucket once it is sealed and merged across shards, before the sinks receive it.
 * <p>
 * Called on the flush agent's thread: return quickly and do not block; a listener that throws is reported to the
 * error handler and the pipeline goes on.
 */
@FunctionalInterface
public interface BucketListener
{
    /**
     * A bucket was sealed.
     *
     * @param bucket the bucket's rows and figures, immutable and safe to keep.
     */
    void onBucketSealed(SealedBucket bucket);
}
