package io.trafficanalyzer.core.aggregate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewTableTest
{
    private final List<long[]> rows = new ArrayList<>();
    private final ViewTable.EntryHandler collect = (hostHi, hostLo, k1, k2, k3, folded, inB, inP, outB, outP) ->
        rows.add(new long[]{ hostHi, hostLo, k1, k2, k3, folded ? 1 : 0, inB, inP, outB, outP });
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
        table.add(10, 0, 1, 6, 0, 0, true, 100);
        table.add(20, 0, 1, 6, 0, 0, true, 7);
        table.add(10, 0, 1, 6, 0, 0, false, 50);
        table.add(10, 0, 1, 6, 0, 0, true, 1);
        table.add(10, 0, 1, 17, 0, 0, true, 3);

        assertEquals(0, table.seal(10, collect));

        assertEquals(2, rows.size());
        final long[] tcp = rows.get(0)[2] == 6 ? rows.get(0) : rows.get(1);
        assertEquals(50, tcp[6]);
        assertEquals(1, tcp[7]);
        assertEquals(101, tcp[8]);
        assertEquals(2, tcp[9]);
        assertEquals(1, table.rowCount(20));
        assertEquals(0, table.rowCount(10));

        rows.clear();
        table.seal(20, collect);
        assertEquals(7, rows.get(0)[8]);
        assertEquals(0, table.seal(30, collect));
    }

    @Test
    void shouldFoldKeysPastTheLimitIntoTheHostsOtherRow()
    {
        table = new ViewTable(4, 1);
        for (int port = 1; port <= 10; port++)
        {
            table.add(10, 0, 1, 6, port, 0, false, port);
        }

        assertEquals(6, table.seal(10, collect));

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
        table.add(10, 0, 1, 6, 0, 0, false, 1);
        table.add(20, 0, 1, 6, 0, 0, false, 1);
        table.add(30, 0, 1, 6, 0, 0, false, 1);

        assertEquals(1, table.lostPackets());
        table.seal(10, collect);
        table.add(30, 0, 1, 6, 0, 0, false, 1);
        assertEquals(1, table.lostPackets());
        assertEquals(1, table.rowCount(30));
    }

    @Test
    void shouldHoldManyKeysWithoutLosingAny()
    {
        table = new ViewTable(50_000, 1);
        for (int i = 0; i < 50_000; i++)
        {
            table.add(10, i % 7, i, i % 3, i % 5, 0, true, 1);
            table.add(10, i % 7, i, i % 3, i % 5, 0, false, 2);
        }

        assertEquals(0, table.seal(10, collect));
        assertEquals(50_000, rows.size());
        for (final long[] row : rows)
        {
            assertEquals(1, row[8]);
            assertEquals(2, row[6]);
        }
        assertTrue(table.capacity() >= 50_000);
    }
}
