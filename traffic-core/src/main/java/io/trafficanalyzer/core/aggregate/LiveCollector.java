package io.trafficanalyzer.core.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps, per view, the rows with the most bytes among those an aggregator shard peeks from its open buckets, in
 * preallocated arrays; turned into a small immutable list for the {@link LiveView} about once a second.
 */
final class LiveCollector
{
    static final int LEADERS_PER_VIEW = 32;

    private final List<String> views;
    private final int[] counts;
    private final long[][] values;
    private final int[][] ints;

    LiveCollector(final List<String> views)
    {
        this.views = views;
        this.counts = new int[views.size()];
        this.values = new long[views.size()][LEADERS_PER_VIEW * 10];
        this.ints = new int[views.size()][LEADERS_PER_VIEW * 3];
    }

    void reset()
    {
        Arrays.fill(counts, 0);
    }

    void onRow(
        final int viewIndex,
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final long key,
        final int protocol,
        final int port,
        final int flags,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        final long[] v = values[viewIndex];
        final int count = counts[viewIndex];
        final long total = inBytes + outBytes;
        final int slot;
        if (count < LEADERS_PER_VIEW)
        {
            slot = count;
            counts[viewIndex] = count + 1;
        }
        else
        {
            int smallest = 0;
            for (int i = 1; i < count; i++)
            {
                if (v[i * 10 + 6] + v[i * 10 + 8] < v[smallest * 10 + 6] + v[smallest * 10 + 8])
                {
                    smallest = i;
                }
            }
            if (v[smallest * 10 + 6] + v[smallest * 10 + 8] >= total)
            {
                return;
            }
            slot = smallest;
        }

        final int b = slot * 10;
        v[b] = bucketStartSecond;
        v[b + 1] = hostHi;
        v[b + 2] = hostLo;
        v[b + 3] = peerHi;
        v[b + 4] = peerLo;
        v[b + 5] = key;
        v[b + 6] = inBytes;
        v[b + 7] = inPackets;
        v[b + 8] = outBytes;
        v[b + 9] = outPackets;
        final int[] n = ints[viewIndex];
        n[slot * 3] = protocol;
        n[slot * 3 + 1] = port;
        n[slot * 3 + 2] = flags;
    }

    List<LiveView.Entry> entries()
    {
        final List<LiveView.Entry> entries = new ArrayList<>();
        for (int view = 0; view < counts.length; view++)
        {
            final long[] v = values[view];
            final int[] n = ints[view];
            for (int i = 0; i < counts[view]; i++)
            {
                final int b = i * 10;
                final int flags = n[i * 3 + 2];
                entries.add(new LiveView.Entry(
                    views.get(view), v[b + 1], v[b + 2], v[b + 3], v[b + 4], n[i * 3], n[i * 3 + 1],
                    (flags & RowRecordDescriptor.SERVED_FLAG) != 0, v[b + 5],
                    (flags & RowRecordDescriptor.FOLDED_FLAG) != 0, v[b + 6], v[b + 7], v[b + 8], v[b + 9], v[b]));
            }
        }

        return entries;
    }
}
