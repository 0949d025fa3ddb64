package io.trafficanalyzer.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The rows of one bucket for one of the host, port and peer tables, held in preallocated arrays until the bucket ends
 * and then upserted in primary-key order in multi-row statements: sorted inserts touch each B-tree page once, and a
 * chunk of rows costs one statement step per row but one reset and a third fewer bound parameters.
 * <p>
 * Each row of a chunk is upserted on its own, in order, so a row adds to a stored row of the same key (a late batch
 * merged into a coarser level) and to an earlier row of the same chunk (two source rows mapping to one stored key)
 * exactly as single-row upserts would.
 */
final class BucketRows implements AutoCloseable
{
    static final int CHUNK = 64;

    private static final int CHUNKS_PER_EXECUTE = 64;
    private static final int MIN_CAPACITY = 1024;
    private static final int SMALL_RANGE = 16;
    private static final int SHARED_PARAMETERS = 3;
    private static final int MEASURES = 4;

    private final StatsTable table;
    private final int rowParameters;
    private final PreparedStatement chunk;
    private final PreparedStatement one;

    // row i: sort keys k0, k1, k2 (swapped with order while sorting), measures at order[i] * 4
    private long[] k0 = new long[MIN_CAPACITY];
    private long[] k1 = new long[MIN_CAPACITY];
    private long[] k2 = new long[MIN_CAPACITY];
    private int[] order = new int[MIN_CAPACITY];
    private long[] measures = new long[MIN_CAPACITY * MEASURES];
    private int size;

    BucketRows(final Connection connection, final StatsTable table) throws SQLException
    {
        this.table = table;
        rowParameters = table == StatsTable.HOST ? 6 : table == StatsTable.PORT ? 8 : 7;
        chunk = connection.prepareStatement(table.chunkUpsertSql(CHUNK));
        try
        {
            one = connection.prepareStatement(table.chunkUpsertSql(1));
        }
        catch (final SQLException ex)
        {
            chunk.close();
            throw ex;
        }
    }

    /*
     * Host row: (host_id, protocol); port row: (host_id, protocol, port << 1 | served); peer row: (host_id, peer_id,
     * protocol). Keys compare as signed longs, which is SQLite's integer order.
     */
    void add(final long key0, final long key1, final long key2, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        if (size == order.length)
        {
            grow();
        }
        final int i = size++;
        k0[i] = key0;
        k1[i] = key1;
        k2[i] = key2;
        order[i] = i;
        final int m = i * MEASURES;
        measures[m] = inBytes;
        measures[m + 1] = inPackets;
        measures[m + 2] = outBytes;
        measures[m + 3] = outPackets;
    }

    int size()
    {
        return size;
    }

    void clear()
    {
        size = 0;
        try
        {
            chunk.clearBatch();
            one.clearBatch();
        }
        catch (final SQLException ignore)
        {
            // a closed statement has no batch left to clear
        }
    }

    /*
     * Sorts the rows by key once, then upserts them into every target (level, bucket_start, bucket_seconds).
     */
    void write(final int[] levels, final long[] starts, final long[] widths, final int targets) throws SQLException
    {
        if (size == 0)
        {
            return;
        }
        sort(0, size - 1);
        for (int t = 0; t < targets; t++)
        {
            write(levels[t], starts[t], widths[t]);
        }
        size = 0;
    }

    public void close() throws SQLException
    {
        try
        {
            chunk.close();
        }
        finally
        {
            one.close();
        }
    }

    private void write(final int level, final long start, final long width) throws SQLException
    {
        final int count = size;
        int i = 0;
        int pending = 0;
        for (; count - i >= CHUNK; i += CHUNK)
        {
            bindShared(chunk, level, start, width);
            for (int row = 0; row < CHUNK; row++)
            {
                bindRow(chunk, SHARED_PARAMETERS + row * rowParameters + 1, i + row);
            }
            chunk.addBatch();
            if (++pending == CHUNKS_PER_EXECUTE)
            {
                chunk.executeBatch();
                pending = 0;
            }
        }
        if (pending > 0)
        {
            chunk.executeBatch();
        }
        if (i < count)
        {
            // one executeBatch for the tail: a JDBC call per row costs more than the row
            for (; i < count; i++)
            {
                bindShared(one, level, start, width);
                bindRow(one, SHARED_PARAMETERS + 1, i);
                one.addBatch();
            }
            one.executeBatch();
        }
    }

    private static void bindShared(final PreparedStatement statement, final int level, final long start,
        final long width) throws SQLException
    {
        statement.setInt(1, level);
        statement.setLong(2, start);
        statement.setLong(3, width);
    }

    private void bindRow(final PreparedStatement statement, final int first, final int row) throws SQLException
    {
        int p = first;
        statement.setLong(p++, k0[row]);
        if (table == StatsTable.PORT)
        {
            statement.setLong(p++, k1[row]);
            statement.setLong(p++, k2[row] >> 1);
            statement.setLong(p++, k2[row] & 1);
        }
        else
        {
            statement.setLong(p++, k1[row]);
            if (table == StatsTable.PEER)
            {
                statement.setLong(p++, k2[row]);
            }
        }
        final int m = order[row] * MEASURES;
        statement.setLong(p++, measures[m]);
        statement.setLong(p++, measures[m + 1]);
        statement.setLong(p++, measures[m + 2]);
        statement.setLong(p, measures[m + 3]);
    }

    private void grow()
    {
        final int capacity = order.length * 2;
        k0 = Arrays.copyOf(k0, capacity);
        k1 = Arrays.copyOf(k1, capacity);
        k2 = Arrays.copyOf(k2, capacity);
        order = Arrays.copyOf(order, capacity);
        measures = Arrays.copyOf(measures, capacity * MEASURES);
    }

    /*
     * Quicksort of rows [from, to] by (k0, k1, k2), middle pivot (rows often arrive sorted by host already), insertion
     * sort for small ranges; recursion only into the smaller side, so the depth stays logarithmic.
     */
    private void sort(final int from, final int to)
    {
        int lo = from;
        int hi = to;
        while (hi - lo > SMALL_RANGE)
        {
            final int mid = (lo + hi) >>> 1;
            final long p0 = k0[mid];
            final long p1 = k1[mid];
            final long p2 = k2[mid];
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (compare(i, p0, p1, p2) < 0)
                {
                    i++;
                }
                while (compare(j, p0, p1, p2) > 0)
                {
                    j--;
                }
                if (i <= j)
                {
                    swap(i++, j--);
                }
            }
            if (j - lo < hi - i)
            {
                sort(lo, j);
                lo = i;
            }
            else
            {
                sort(i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++)
        {
            for (int j = i; j > lo && compare(j, k0[j - 1], k1[j - 1], k2[j - 1]) < 0; j--)
            {
                swap(j, j - 1);
            }
        }
    }

    private int compare(final int row, final long p0, final long p1, final long p2)
    {
        int c = Long.compare(k0[row], p0);
        if (c == 0)
        {
            c = Long.compare(k1[row], p1);
            if (c == 0)
            {
                c = Long.compare(k2[row], p2);
            }
        }

        return c;
    }

    private void swap(final int a, final int b)
    {
        final long t0 = k0[a];
        k0[a] = k0[b];
        k0[b] = t0;
        final long t1 = k1[a];
        k1[a] = k1[b];
        k1[b] = t1;
        final long t2 = k2[a];
        k2[a] = k2[b];
        k2[b] = t2;
        final int o = order[a];
        order[a] = order[b];
        order[b] = o;
    }
}
