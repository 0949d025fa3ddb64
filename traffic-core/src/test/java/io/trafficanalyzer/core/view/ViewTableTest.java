package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.RowWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewTableTest
{
    private final List<long[]> rows = new ArrayList<>();
    private final BucketRow row = new BucketRow();
    private final RowWriter collect = new RowWriter(0, (buffer, offset, length) ->
    {
        row.wrap(List.of("test"), buffer, offset);
        rows.add(new long[]{ row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo(), row.key(), row.isFolded() ? 1 : 0,
            row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets() });
    });
    // the table's raw key: k1 and k2 as the peer, k3 as the custom key
    private final ViewTable.KeyWriter keys = (k1, k2, k3, written) -> written.peer(k1, k2).key(k3);
    private ViewTable table;

    @AfterEach
    void close()
    {
        table.close();
    }

    @Test
    void shouldSumPerKeyAndKeepOpenBucketsApart()
    {
        table = new ViewTable(100, 2);
        table.add(10, 0, 1, 6, 0, 0, true, 1, 100);
        table.add(20, 0, 1, 6, 0, 0, true, 1, 7);
        table.add(10, 0, 1, 6, 0, 0, false, 1, 50);
        table.add(10, 0, 1, 6, 0, 0, true, 1, 1);
        table.add(10, 0, 1, 17, 0, 0, true, 1, 3);

        assertEquals(0, table.seal(10, collect, keys));

        assertEquals(2, rows.size());
        final long[] tcp = rows.get(0)[2] == 6 ? rows.get(0) : rows.get(1);
        assertEquals(50, tcp[6]);
        assertEquals(1, tcp[7]);
        assertEquals(101, tcp[8]);
        assertEquals(2, tcp[9]);
        assertEquals(1, table.rowCount(20));
        assertEquals(0, table.rowCount(10));

        rows.clear();
        table.seal(20, collect, keys);
        assertEquals(7, rows.get(0)[8]);
        assertEquals(0, table.seal(30, collect, keys));
    }

    @Test
    void shouldFoldKeysPastTheLimitIntoTheHostsOtherRow()
    {
        table = new ViewTable(4, 1);
        for (int port = 1; port <= 10; port++)
        {
            table.add(10, 0, 1, 6, port, 0, false, 1, port);
        }

        assertEquals(6, table.seal(10, collect, keys));

        assertEquals(5, rows.size());
        long bytes = 0;
        long foldedBytes = 0;
        for (final long[] row : rows)
        {
            bytes += row[6];
            if (row[5] == 1)
            {
                foldedBytes = row[6];
                assertEquals(1, row[1]);
                assertEquals(0, row[2] + row[3] + row[4]);
            }
        }
        assertEquals(55, bytes);
        assertEquals(5 + 6 + 7 + 8 + 9 + 10, foldedBytes);
    }

    @Test
    void shouldCountPacketsLostWhenMoreBucketsAreOpenThanSized()
    {
        table = new ViewTable(4, 2);
        table.add(10, 0, 1, 6, 0, 0, false, 1, 1);
        table.add(20, 0, 1, 6, 0, 0, false, 1, 1);
        table.add(30, 0, 1, 6, 0, 0, false, 1, 1);

        assertEquals(1, table.lostPackets());
        table.seal(10, collect, keys);
        table.add(30, 0, 1, 6, 0, 0, false, 1, 1);
        assertEquals(1, table.lostPackets());
        assertEquals(1, table.rowCount(30));
    }

    @Test
    void shouldHoldManyKeysWithoutLosingAny()
    {
        table = new ViewTable(50_000, 1);
        for (int i = 0; i < 50_000; i++)
        {
            table.add(10, i % 7, i, i % 3, i % 5, 0, true, 1, 1);
            table.add(10, i % 7, i, i % 3, i % 5, 0, false, 1, 2);
        }

        assertEquals(0, table.seal(10, collect, keys));
        assertEquals(50_000, rows.size());
        for (final long[] row : rows)
        {
            assertEquals(1, row[8]);
            assertEquals(2, row[6]);
        }
        assertTrue(table.capacity() >= 50_000);
    }

    @Test
    void shouldPrefetchOnlyOnceTheRowsOfABucketOutgrowTheCaches()
    {
        table = new ViewTable(40_000, 1);
        assertFalse(table.prefetch(10, 0, 1, 6, 0, 0));
        for (int i = 0; i < ViewTable.PREFETCH_MIN_ROWS - 1; i++)
        {
            table.add(10, 0, i, 6, 0, 0, true, 1, 1);
        }
        assertFalse(table.prefetch(10, 0, 1, 6, 0, 0));

        table.add(10, 0, -1, 6, 0, 0, true, 1, 1);

        assertTrue(table.prefetch(10, 0, 1, 6, 0, 0));
        assertFalse(table.prefetch(20, 0, 1, 6, 0, 0));
    }

    @Test
    void shouldCountEveryPacketOnceWhenEachGroupIsPrefetchedBeforeItIsAdded()
    {
        table = new ViewTable(5_000, 2, 0);
        final Map<String, long[]> expected = new HashMap<>();
        for (int start = 0; start < 20_000; start += 64)
        {
            for (int i = start; i < start + 64; i++)
            {
                table.prefetch(10, i % 3, i % 1_000, 6, i % 5, i % 2);
            }
            for (int i = start; i < start + 64; i++)
            {
                table.add(10, i % 3, i % 1_000, 6, i % 5, i % 2, i % 7 == 0, 1, i);
                final long[] sums = expected.computeIfAbsent(
                    (i % 3) + "/" + (i % 1_000) + "/" + (i % 5) + "/" + (i % 2), (key) -> new long[4]);
                sums[i % 7 == 0 ? 2 : 0] += i;
                sums[i % 7 == 0 ? 3 : 1]++;
            }
        }

        assertEquals(0, table.seal(10, collect, keys));

        assertEquals(3_000, rows.size());
        for (final long[] row : rows)
        {
            assertEquals(6, row[2]);
            assertEquals(0, row[5]);
            final long[] sums = expected.get(row[0] + "/" + row[1] + "/" + row[3] + "/" + row[4]);
            assertArrayEquals(sums, new long[]{ row[6], row[7], row[8], row[9] });
        }
    }

    @Test
    void shouldCountRightWhenPrefetchesDoNotMatchTheAdds()
    {
        table = new ViewTable(100, 2, 0);
        table.prefetch(10, 0, 1, 6, 80, 0);
        table.prefetch(30, 0, 1, 6, 80, 0);
        table.prefetch(10, 0, 2, 6, 80, 0);
        table.add(10, 0, 2, 6, 80, 0, true, 1, 100);
        table.add(10, 0, 1, 6, 80, 0, false, 1, 10);
        table.prefetch(10, 0, 1, 6, 80, 0);
        table.add(20, 0, 1, 6, 80, 0, false, 1, 1);
        table.add(10, 0, 1, 6, 80, 0, false, 1, 10);
        table.add(10, 0, 2, 6, 80, 0, true, 1, 100);

        table.seal(10, collect, keys);
        assertEquals(2, rows.size());
        for (final long[] row : rows)
        {
            assertArrayEquals(
                row[1] == 1 ? new long[]{ 20, 2, 0, 0 } : new long[]{ 0, 0, 200, 2 },
                new long[]{ row[6], row[7], row[8], row[9] });
        }
        rows.clear();
        table.seal(20, collect, keys);
        assertEquals(1, rows.size());
        assertEquals(1, rows.get(0)[7]);
    }

    @Test
    void shouldCountInTheBucketOfTheAddWhenTheSameKeyWasPrefetchedInAnother()
    {
        table = new ViewTable(100, 2, 0);
        table.add(10, 0, 1, 6, 80, 0, true, 1, 1);
        table.add(20, 0, 2, 6, 80, 0, true, 1, 1);
        table.prefetch(10, 0, 1, 6, 80, 0);
        table.add(20, 0, 1, 6, 80, 0, true, 1, 7);

        table.seal(10, collect, keys);
        assertEquals(1, rows.size());
        assertEquals(1, rows.get(0)[8]);
        rows.clear();
        table.seal(20, collect, keys);
        assertEquals(2, rows.size());
        assertEquals(7, rows.get(0)[1] == 1 ? rows.get(0)[8] : rows.get(1)[8]);
    }

    @Test
    void shouldKeepAKeyOfZerosAndAHostsOtherRowApartFromFreeEntries()
    {
        table = new ViewTable(2, 1, 0);
        table.prefetch(10, 0, 0, 0, 0, 0);
        table.add(10, 0, 0, 0, 0, 0, true, 1, 5);
        table.prefetch(10, 0, 0, 0, 0, 0);
        table.add(10, 0, 0, 0, 0, 0, true, 1, 5);
        table.add(10, 0, 7, 0, 0, 0, true, 1, 1);
        table.prefetch(10, 0, 7, 0, 0, 0);
        table.add(10, 0, 7, 9, 0, 0, true, 1, 2);
        table.prefetch(10, 0, 7, 0, 0, 0);
        table.add(10, 0, 7, 0, 0, 0, true, 1, 1);

        assertEquals(1, table.seal(10, collect, keys));

        assertEquals(3, rows.size());
        for (final long[] row : rows)
        {
            final long[] expected = row[1] == 0 ? new long[]{ 0, 0, 0, 0, 0, 0, 0, 0, 10, 2 } :
                row[5] == 1 ? new long[]{ 0, 7, 0, 0, 0, 1, 0, 0, 2, 1 } : new long[]{ 0, 7, 0, 0, 0, 0, 0, 0, 2, 2 };
            assertArrayEquals(expected, row);
        }
    }

    @Test
    void shouldKeepOnlyTheLowSixteenBitsOfTheThirdDimension()
    {
        table = new ViewTable(10, 1);
        table.add(10, 0, 1, 6, 443, 0x1_0001, true, 1, 3);
        table.add(10, 0, 1, 6, 443, 0x0_0001, true, 1, 4);

        table.seal(10, collect, keys);

        assertEquals(1, rows.size());
        assertEquals(1, rows.get(0)[4]);
        assertEquals(7, rows.get(0)[8]);
    }

    @Test
    void shouldFindKeysAgainWhenTheirProbesWrapPastTheLastEntryAndBucketsAreReused()
    {
        table = new ViewTable(8, 1, 0);
        for (int bucket = 0; bucket < 500; bucket++)
        {
            for (int i = 0; i < 3 * 8; i++)
            {
                final int key = bucket * 8 + i % 8;
                table.prefetch(bucket, 0, key, key, 0, 0);
                table.add(bucket, 0, key, key, 0, 0, false, 1, key);
            }

            rows.clear();
            assertEquals(0, table.seal(bucket, collect, keys));
            assertEquals(8, rows.size());
            for (final long[] row : rows)
            {
                assertEquals(row[1], row[2]);
                assertEquals(3 * row[1], row[6]);
                assertEquals(3, row[7]);
            }
        }
    }
}
