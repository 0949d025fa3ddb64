package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * One view of the traffic in one aggregator shard: counts each packet record of its shard under the view's key and,
 * when a bucket is sealed, writes the bucket's rows and forgets them. The built-in views {@code hosts},
 * {@code ports} and {@code peers} are aggregators; a user adds a view by implementing this interface and an
 * {@link AggregatorProvider}.
 * <p>
 * The rules of the packet path apply: {@link #onPacket(PacketRecordDecoder)} is called for every record on the
 * shard's single thread and must not allocate, lock, block or throw; so is {@link #prefetch(PacketRecordDecoder)},
 * once for each record of a group before the group is counted. Memory must be bounded: preallocate it, for
 * instance in a {@link ViewTable} sized from the {@link AggregatorContext}, and fold keys past the limit into a
 * host's "other" row, as {@link ViewTable} does. Shards see disjoint sets of local hosts; rows with equal keys from
 * several shards are summed by the flush agent, so a view that does not key on the host (per DSCP, per VLAN) still
 * gives the same result for any number of shards.
 * <p>
 * Example, a per-DSCP view counting each local host's traffic by DSCP value:
 * <pre>{@code
 * public final class DscpAggregator implements Aggregator
 * {
 *     private final ViewTable table;
 *
 *     public DscpAggregator(final AggregatorContext context)
 *     {
 *         table = new ViewTable(context.maxKeysPerBucket(), context.openBuckets());
 *     }
 *
 *     public boolean prefetch(final PacketRecordDecoder packet)
 *     {
 *         return table.prefetch(packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.dscp(), 0, 0);
 *     }
 *
 *     public void onPacket(final PacketRecordDecoder packet)
 *     {
 *         table.add(packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.dscp(), 0, 0,
 *             packet.isOutbound(), packet.packets(), packet.bytes());
 *     }
 *
 *     public long onSeal(final long bucketStartSecond, final RowWriter rows)
 *     {
 *         return table.seal(bucketStartSecond, rows, (dscp, k2, k3, row) -> row.key(dscp));
 *     }
 *
 *     public void close()
 *     {
 *         table.close();
 *     }
 * }
 * }</pre>
 */
public interface Aggregator extends AutoCloseable
{
    /**
     * Count one packet record of an open bucket.
     *
     * @param packet the record, valid only during this call.
     */
    void onPacket(PacketRecordDecoder packet);

    /**
     * Prepare to count a packet record without counting it: the shard calls this for each record of a group of up
     * to 64, in order, then {@link #onPacket(PacketRecordDecoder)} for each, so that the cache misses of the whole
     * group overlap instead of following one another. A view kept in a {@link ViewTable} passes the record's key to
     * {@link ViewTable#prefetch}, exactly when and as {@code onPacket} will pass it to {@link ViewTable#add}, and
     * returns what it returns. Optional: a view whose memory stays in the caches has nothing to gain.
     *
     * @param packet the record, valid only during this call.
     * @return true to be called for the next records of the group too, false to be spared them.
     */
    default boolean prefetch(final PacketRecordDecoder packet)
    {
        return false;
    }

    /**
     * A bucket is sealed: write its rows, then free them. No record of this bucket will follow.
     *
     * @param bucketStartSecond start of the bucket, seconds since the Unix epoch.
     * @param rows              where to write the rows.
     * @return the number of packets folded into "other" rows in this bucket.
     */
    long onSeal(long bucketStartSecond, RowWriter rows);

    /**
     * Write the current rows of an open bucket without freeing them, for the live view's leaders of the open
     * buckets; called about once a second on the shard's thread. Optional: a view that does not implement it only
     * appears in the live view once its buckets are sealed.
     *
     * @param bucketStartSecond an open bucket.
     * @param rows              where to write the rows.
     */
    default void peek(final long bucketStartSecond, final RowWriter rows)
    {
    }

    /**
     * Release the aggregator's memory; called once, on the shard's thread, when the pipeline closes.
     */
    default void close()
    {
    }
}
