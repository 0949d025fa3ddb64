package io.trafficanalyzer.core.live;

import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.RowWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The rows with the most bytes, per view, among those one aggregator shard peeks from its open buckets, for the
 * {@link LiveView}: the shard writes them here about once a second ({@link #bucket(long)}, then each row), then
 * {@link #publish()}es them as a small immutable list; it withdraws a bucket's leaders when it seals the bucket
 * ({@link #remove(long)}), before the flush agent can publish the bucket's rows, so that no packet counts twice.
 * <p>
 * One writer, the shard; readers on any thread. Rows are collected in preallocated memory; publishing allocates.
 */
public final class OpenBucketLeaders implements RowWriter.RowHandler
{
    static final int LEADERS_PER_VIEW = 32;

    private final List<String> views;
    private final int[] counts;
    private final UnsafeBuffer[] rows;
    private final long[][] buckets;
    private final long[][] totals;
    private final BucketRow row = new BucketRow();
    private long bucket;
    private volatile List<Leader> published = Collections.emptyList();

    /**
     * One of the leaders: a row of an open bucket.
     *
     * @param bucketStartSecond the open bucket.
     * @param entry             the row.
     */
    record Leader(long bucketStartSecond, LiveView.Entry entry)
    {
    }

    /**
     * Leaders of the given views.
     *
     * @param views the view names in configuration order.
     */
    public OpenBucketLeaders(final List<String> views)
    {
        this.views = List.copyOf(views);
        this.counts = new int[views.size()];
        this.rows = new UnsafeBuffer[views.size()];
        this.buckets = new long[views.size()][LEADERS_PER_VIEW];
        this.totals = new long[views.size()][LEADERS_PER_VIEW];
        for (int i = 0; i < rows.length; i++)
        {
            rows[i] = new UnsafeBuffer(new byte[LEADERS_PER_VIEW * BucketRow.LENGTH]);
        }
    }

    /**
     * The rows that follow belong to this open bucket.
     *
     * @param bucketStartSecond the bucket.
     */
    public void bucket(final long bucketStartSecond)
    {
        bucket = bucketStartSecond;
    }

    /**
     * One row of the open bucket: kept when it is among its view's leaders so far.
     *
     * @param buffer holding the row record.
     * @param offset of the record.
     * @param length of the record.
     */
    public void onRow(final DirectBuffer buffer, final int offset, final int length)
    {
        final long total = row.wrap(views, buffer, offset).inBytes() + row.outBytes();
        final int view = row.viewIndex();
        final long[] viewTotals = totals[view];
        final int count = counts[view];
        final int slot;
        if (count < LEADERS_PER_VIEW)
        {
            slot = count;
            counts[view] = count + 1;
        }
        else
        {
            int smallest = 0;
            for (int i = 1; i < count; i++)
            {
                if (viewTotals[i] < viewTotals[smallest])
                {
                    smallest = i;
                }
            }
            if (viewTotals[smallest] >= total)
            {
                return;
            }
            slot = smallest;
        }

        rows[view].putBytes(slot * BucketRow.LENGTH, buffer, offset, length);
        viewTotals[slot] = total;
        buckets[view][slot] = bucket;
    }

    /**
     * Publish the rows written since the last publication, replacing it, and start collecting anew.
     */
    public void publish()
    {
        final List<Leader> leaders = new ArrayList<>();
        for (int view = 0; view < counts.length; view++)
        {
            for (int i = 0; i < counts[view]; i++)
            {
                row.wrap(views, rows[view], i * BucketRow.LENGTH);
                leaders.add(new Leader(buckets[view][i], LiveView.Entry.of(row)));
            }
        }
        Arrays.fill(counts, 0);
        published = Collections.unmodifiableList(leaders);
    }

    /**
     * Withdraw the published leaders of a bucket: the shard seals it.
     *
     * @param bucketStartSecond the bucket.
     */
    public void remove(final long bucketStartSecond)
    {
        final List<Leader> leaders = published;
        List<Leader> kept = null;
        for (int i = 0, n = leaders.size(); i < n; i++)
        {
            final Leader leader = leaders.get(i);
            if (leader.bucketStartSecond() == bucketStartSecond)
            {
                if (null == kept)
                {
                    kept = new ArrayList<>(leaders.subList(0, i));
                }
            }
            else if (null != kept)
            {
                kept.add(leader);
            }
        }

        if (null != kept)
        {
            published = Collections.unmodifiableList(kept);
        }
    }

    List<Leader> leaders()
    {
        return published;
    }
}
