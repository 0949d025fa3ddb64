package io.trafficanalyzer.sqlite;

/**
 * Stable merge sort of row numbers by the keys of the rows, {@code width} long words per row in one array, compared
 * word by word as signed longs (SQLite's integer order). The sink sorts what it writes by key so that B-tree inserts
 * go in order.
 * <p>
 * Bottom-up, without recursion, with one key comparison in the merge loop and one to skip a merge whose halves are
 * already in order: it runs once per bucket, so what it costs the JIT to compile counts as much as its speed. No
 * allocation: the caller lends the scratch array.
 */
final class RowSort
{
    private RowSort()
    {
    }

    /**
     * Sort {@code rows[0..count)} ascending by {@code keys[row * width .. row * width + width)}; rows with equal keys
     * keep their order.
     *
     * @param keys    the keys of the rows, {@code width} words each.
     * @param width   words per key, at least 1.
     * @param rows    the row numbers to sort.
     * @param scratch at least {@code count} ints; its contents are lost.
     * @param count   how many row numbers, below 2<sup>30</sup>.
     */
    static void sort(final long[] keys, final int width, final int[] rows, final int[] scratch, final int count)
    {
        int[] from = rows;
        int[] to = scratch;
        for (int run = 1; run < count; run <<= 1)
        {
            for (int left = 0; left < count; left += run << 1)
            {
                final int mid = Math.min(left + run, count);
                final int end = Math.min(mid + run, count);
                int i = left;
                int j = mid;
                int out = left;
                if (j < end && before(keys, width, from[j], from[j - 1]))
                {
                    while (i < mid && j < end)
                    {
                        to[out++] = before(keys, width, from[j], from[i]) ? from[j++] : from[i++];
                    }
                }
                System.arraycopy(from, i, to, out, mid - i);
                System.arraycopy(from, j, to, out + mid - i, end - j);
            }
            final int[] swapped = from;
            from = to;
            to = swapped;
        }
        if (from != rows)
        {
            System.arraycopy(from, 0, rows, 0, count);
        }
    }

    private static boolean before(final long[] keys, final int width, final int a, final int b)
    {
        int ka = a * width;
        int kb = b * width;
        final int last = ka + width - 1;
        while (ka < last && keys[ka] == keys[kb])
        {
            ka++;
            kb++;
        }

        return keys[ka] < keys[kb];
    }
}
