package io.trafficanalyzer.sqlite;

/**
 * In-place heap sort of positions {@code 0..count-1} of whatever arrays a caller keeps, through its own compare and
 * swap: no allocation, O(n log n) at worst. The sink sorts what it writes by key so that B-tree inserts go in order.
 */
final class HeapSort
{
    /**
     * What is sorted, seen by position.
     */
    interface Sortable
    {
        /**
         * Order two positions.
         *
         * @param a a position.
         * @param b another.
         * @return negative, zero or positive as a sorts before, with or after b.
         */
        int compare(int a, int b);

        /**
         * Exchange what two positions hold.
         *
         * @param a a position.
         * @param b another.
         */
        void swap(int a, int b);
    }

    private HeapSort()
    {
    }

    /**
     * Sort the first {@code count} positions in ascending order.
     *
     * @param sortable the positions.
     * @param count    how many.
     */
    static void sort(final Sortable sortable, final int count)
    {
        for (int i = count / 2 - 1; i >= 0; i--)
        {
            siftDown(sortable, i, count);
        }
        for (int end = count - 1; end > 0; end--)
        {
            sortable.swap(0, end);
            siftDown(sortable, 0, end);
        }
    }

    private static void siftDown(final Sortable sortable, final int from, final int count)
    {
        int parent = from;
        while (true)
        {
            int largest = parent;
            final int left = 2 * parent + 1;
            final int right = left + 1;
            if (left < count && sortable.compare(left, largest) > 0)
            {
                largest = left;
            }
            if (right < count && sortable.compare(right, largest) > 0)
            {
                largest = right;
            }
            if (largest == parent)
            {
                return;
            }
            sortable.swap(parent, largest);
            parent = largest;
        }
    }
}
