package io.trafficanalyzer.core.aggregate;

/**
 * What the built-in views share: one {@link ViewTable} per shard, sealed and peeked into a {@link RowWriter}, each
 * view saying only how a packet record maps to its key and how a table entry becomes a row.
 */
abstract class ViewTableAggregator implements Aggregator, ViewTable.EntryHandler
{
    final ViewTable table;
    RowWriter rows;

    ViewTableAggregator(final AggregatorContext context)
    {
        table = new ViewTable(context.maxKeysPerBucket(), context.openBuckets());
    }

    public long onSeal(final long bucketStartSecond, final RowWriter rows)
    {
        this.rows = rows;
        return table.seal(bucketStartSecond, this);
    }

    public void peek(final long bucketStartSecond, final RowWriter rows)
    {
        this.rows = rows;
        table.peek(bucketStartSecond, this);
    }

    public void close()
    {
        table.close();
    }
}
