package io.trafficanalyzer.core.sink;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class RowSortProperties
{
    private static final int SPARE = 5;
    private static final long[] FEW = { Long.MIN_VALUE, -2, -1, 0, 1, 2, Long.MAX_VALUE };

    enum Arrangement
    {
        AS_GENERATED, SORTED, REVERSED
    }

    @Property(tries = 400)
    void shouldOrderRowsAsAStableSortByKeyWhenKeysRepeatAndRowsComeInAnyOrder(
        @ForAll @IntRange(min = 0, max = 3_000) final int count,
        @ForAll @IntRange(min = 1, max = 4) final int width,
        @ForAll final long seed,
        @ForAll final Arrangement arrangement,
        @ForAll final boolean fewDistinctWords,
        @ForAll final boolean shuffledRowNumbers)
    {
        assertSortsLikeAStableSort(count, width, new Random(seed), arrangement, fewDistinctWords, shuffledRowNumbers);
    }

    @Example
    void shouldOrderRowsAsAStableSortByKeyWhenCountIsLargeAndOdd()
    {
        final Random random = new Random(7);
        for (final Arrangement arrangement : Arrangement.values())
        {
            assertSortsLikeAStableSort(100_001, 3, random, arrangement, false, false);
            assertSortsLikeAStableSort(65_537, 4, random, arrangement, true, false);
        }
    }

    @Example
    void shouldOrderRowsAsAStableSortByKeyWhenThereAreNoneOneOrTwo()
    {
        final Random random = new Random(3);
        for (final Arrangement arrangement : Arrangement.values())
        {
            for (int count = 0; count <= 3; count++)
            {
                for (int i = 0; i < 20; i++)
                {
                    assertSortsLikeAStableSort(count, 1 + i % 4, random, arrangement, true, i % 2 == 0);
                }
            }
        }
    }

    /*
     * Reference: the row numbers boxed and sorted by List.sort (stable) on Arrays.compare of their keys (word by word,
     * signed). Rows beyond count, keys beyond the rows and the scratch contents are there to be ignored or kept.
     */
    private static void assertSortsLikeAStableSort(
        final int count,
        final int width,
        final Random random,
        final Arrangement arrangement,
        final boolean fewDistinctWords,
        final boolean shuffledRowNumbers)
    {
        final List<long[]> generated = new ArrayList<>();
        for (int row = 0; row < count; row++)
        {
            final long[] key = new long[width];
            for (int w = 0; w < width; w++)
            {
                key[w] = fewDistinctWords ? FEW[random.nextInt(FEW.length)] : random.nextLong();
            }
            generated.add(key);
        }
        if (arrangement != Arrangement.AS_GENERATED)
        {
            generated.sort(arrangement == Arrangement.SORTED ? Arrays::compare : (a, b) -> Arrays.compare(b, a));
        }

        final long[] keys = new long[(count + SPARE) * width];
        Arrays.fill(keys, Long.MIN_VALUE);
        for (int row = 0; row < count; row++)
        {
            System.arraycopy(generated.get(row), 0, keys, row * width, width);
        }
        final List<Integer> given = new ArrayList<>();
        for (int row = 0; row < count; row++)
        {
            given.add(row);
        }
        if (shuffledRowNumbers)
        {
            Collections.shuffle(given, random);
        }
        final int[] rows = new int[count + SPARE];
        Arrays.fill(rows, -1);
        for (int i = 0; i < count; i++)
        {
            rows[i] = given.get(i);
        }
        final int[] scratch = new int[count + SPARE];
        Arrays.fill(scratch, -2);

        final List<Integer> expected = new ArrayList<>(given);
        expected.sort(Comparator.comparing(generated::get, Arrays::compare));
        final int[] expectedRows = new int[count + SPARE];
        Arrays.fill(expectedRows, -1);
        for (int i = 0; i < count; i++)
        {
            expectedRows[i] = expected.get(i);
        }

        RowSort.sort((a, b) -> RowSort.before(keys, width, a, b), rows, scratch, count);

        assertArrayEquals(expectedRows, rows,
            count + " rows of width " + width + ", " + arrangement + ", row numbers shuffled: " + shuffledRowNumbers);
    }
}
