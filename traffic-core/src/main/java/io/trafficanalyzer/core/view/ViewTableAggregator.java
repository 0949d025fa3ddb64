package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * What the built-in views share: one {@link ViewTable} per shard, sealed and peeked into a {@link RowWriter}, each
 * view saying only how a packet record maps to its key and how its key becomes a row's dimensions. Public for the
 * engine to read {@link #lostPackets()}; only this package extends it.
 */
public abstract class ViewTableAggregator implements Aggregator, ViewTable.KeyWriter
{
    final ViewTable table;

    ViewTableAggregator(final AggregatorContext context)
    {
        table = new ViewTable(context.maxKeysPerBucket(), context.openBuckets());
    }

    /**
     * {@inheritDoc}
     */
    public long onSeal(final long bucketStartSecond, final RowWriter rows)
    {
        return table.seal(bucketStartSecond, rows, this);
    }

    /**
     * {@inheritDoc}
     */
    public void peek(final long bucketStartSecond, final RowWriter rows)
    {
        table.peek(bucketStartSecond, rows, this);
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        table.close();
    }

    /**
     * Packets the view could not count for want of a bucket in its table.
     *
     * @return the count.
     */
    public long lostPackets()
    {
        return table.lostPackets();
    }
}
