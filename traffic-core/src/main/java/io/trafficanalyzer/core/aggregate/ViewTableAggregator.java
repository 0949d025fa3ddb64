package io.trafficanalyzer.core.aggregate;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * What the built-in views share: one {@link ViewTable} per shard, sealed and peeked into a {@link RowWriter}, each
 * view saying only how a packet record maps to its key and how its key becomes a row's dimensions.
 */
abstract class ViewTableAggregator implements Aggregator, ViewTable.KeyWriter
{
    final ViewTable table;

    ViewTableAggregator(final AggregatorContext context)
    {
        table = new ViewTable(context.maxKeysPerBucket(), context.openBuckets());
    }

    public long onSeal(final long bucketStartSecond, final RowWriter rows)
    {
        return table.seal(bucketStartSecond, rows, this);
    }

    public void peek(final long bucketStartSecond, final RowWriter rows)
    {
        table.peek(bucketStartSecond, rows, this);
    }

    public void close()
    {
        table.close();
    }
}
