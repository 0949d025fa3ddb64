package io.trafficanalyzer.core.sink;

/**
 * Stable sort of row numbers, for code that keeps a bucket's rows in columns and writes them in an order of its own
 * (the sealed bucket's order, a store's primary key).
 * <p>
 * A bottom-up merge sort without recursion or allocation: the caller lends the scratch array. It runs once per
 * bucket, so it is kept small for the JIT: one comparison in the merge loop, one more to skip a merge whose halves
 * are already in order.
 */
public final class RowSort
{
    /**
     * The order of two rows.
     */
    @FunctionalInterface
    public interface Order
    {
        /**
         * Whether row {@code a} comes strictly before row {@code b}.
         *
         * @param a a row number.
         * @param b another row number.
         * @return true when {@code a} sorts first; false for equal rows.
         */
        boolean before(int a, int b);
    }

    private RowSort()
    {
    }

    /**
     * Sort {@code rows[0..count)} by {@code order}; rows that compare equal keep their relative order.
     *
     * @param order   the order of the rows.
     * @param rows    the row numbers to sort.
     * @param scratch at least {@code count} ints; its contents are lost.
     * @param count   how many row numbers, below 2<sup>30</sup>.
     */
    public static void sort(final Order order, final int[] rows, final int[] scratch, final int count)
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
                if (j < end && order.before(from[j], from[j - 1]))
                {
                    while (i < mid && j < end)
                    {
                        to[out++] = order.before(from[j], from[i]) ? from[j++] : from[i++];
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

    /**
     * The order of rows whose keys are {@code width} long words each in one array, compared word by word as signed
     * longs (SQLite's integer order).
     *
     * @param keys  the keys, row {@code r}'s at {@code keys[r * width .. r * width + width)}.
     * @param width words per key, at least 1.
     * @param a     a row number.
     * @param b     another row number.
     * @return whether row {@code a}'s key is less than row {@code b}'s.
     */
    public static boolean before(final long[] keys, final int width, final int a, final int b)
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
