package io.trafficanalyzer.sqlite;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

final class HeapSortTest
{
    @Test
    void shouldSortLikeArraysSortWhenValuesRepeatAndSizesVary()
    {
        final Random random = new Random(11);
        for (final int size : new int[]{ 0, 1, 2, 3, 7, 64, 65, 1000 })
        {
            // few distinct values, so that ties are common; a second array travels with the first through swaps
            final long[] values = new long[size];
            final int[] tags = new int[size];
            for (int i = 0; i < size; i++)
            {
                values[i] = random.nextInt(size / 4 + 1) - size / 8;
                tags[i] = (int)values[i] * 7;
            }
            final long[] expected = values.clone();
            Arrays.sort(expected);

            HeapSort.sort(new HeapSort.Sortable()
            {
                public int compare(final int a, final int b)
                {
                    return Long.compare(values[a], values[b]);
                }

                public void swap(final int a, final int b)
                {
                    final long value = values[a];
                    values[a] = values[b];
                    values[b] = value;
                    final int tag = tags[a];
                    tags[a] = tags[b];
                    tags[b] = tag;
                }
            }, size);

            assertArrayEquals(expected, values, "size " + size);
            assertArrayEquals(Arrays.stream(expected).mapToInt((v) -> (int)v * 7).toArray(), tags, "size " + size);
        }
    }
}
