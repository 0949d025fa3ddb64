package io.trafficanalyzer.core.view;

/**
 * What an {@link Aggregator} needs to know of its shard and its limits.
 */
public final class AggregatorContext
{
    private final int shardIndex;
    private final int shardCount;
    private final int maxKeysPerBucket;
    private final int openBuckets;
    private final int bucketWidthSeconds;

    /**
     * A context.
     *
     * @param shardIndex         this shard, 0 to {@code shardCount - 1}.
     * @param shardCount         number of shards.
     * @param maxKeysPerBucket   keys of this view per bucket in this shard before folding.
     * @param openBuckets        most buckets open at once, the late one included.
     * @param bucketWidthSeconds width of a bucket.
     */
    public AggregatorContext(
        final int shardIndex,
        final int shardCount,
        final int maxKeysPerBucket,
        final int openBuckets,
        final int bucketWidthSeconds)
    {
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
        this.maxKeysPerBucket = maxKeysPerBucket;
        this.openBuckets = openBuckets;
        this.bucketWidthSeconds = bucketWidthSeconds;
    }

    /**
     * This shard.
     *
     * @return 0 to {@link #shardCount()} - 1.
     */
    public int shardIndex()
    {
        return shardIndex;
    }

    /**
     * Number of shards.
     *
     * @return at least 1.
     */
    public int shardCount()
    {
        return shardCount;
    }

    /**
     * Keys of the view per bucket in this shard before further keys fold into "other" rows: the configured
     * maximum per bucket and view divided among the shards.
     *
     * @return at least 1.
     */
    public int maxKeysPerBucket()
    {
        return maxKeysPerBucket;
    }

    /**
     * Most buckets a shard has open at once: those within the allowed lateness, which spans buckets, and one of
     * packets that arrived after their bucket was sealed. A table sized for this many never loses a packet.
     *
     * @return at least 1.
     */
    public int openBuckets()
    {
        return openBuckets;
    }

    /**
     * Width of a bucket.
     *
     * @return seconds.
     */
    public int bucketWidthSeconds()
    {
        return bucketWidthSeconds;
    }
}
