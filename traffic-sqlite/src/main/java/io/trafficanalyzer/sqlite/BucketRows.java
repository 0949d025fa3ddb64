package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.RowSort;

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
    private static final int SHARED_PARAMETERS = 3;
    private static final int KEY_WORDS = 3;
    private static final int MEASURES = 4;

    private final StatsTable table;
    private final PreparedStatement chunk;
    private final PreparedStatement one;
    private final long[] parameters;
    private final RowSort.Order byKey = (a, b) -> RowSort.before(this.keys, KEY_WORDS, a, b);

    // row r: sort key at keys[r * 3 .. r * 3 + 2], measures at measures[r * 4 .. r * 4 + 3]; order: rows by key
    private long[] keys = new long[MIN_CAPACITY * KEY_WORDS];
    private long[] measures = new long[MIN_CAPACITY * MEASURES];
    private int[] order = new int[MIN_CAPACITY];
    private int[] scratch = new int[MIN_CAPACITY];
    private int size;

    BucketRows(final Connection connection, final StatsTable table) throws SQLException
    {
        this.table = table;
        parameters = new long[SHARED_PARAMETERS + CHUNK * table.rowColumns()];
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
     * A row by its three key words (see StatsTable.putRow), which compare as signed longs: SQLite's integer order.
     */
    void add(final long key0, final long key1, final long key2, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        if (size == order.length)
        {
            grow();
        }
        final int i = size++;
        final int k = i * KEY_WORDS;
        keys[k] = key0;
        keys[k + 1] = key1;
        keys[k + 2] = key2;
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
        RowSort.sort(byKey, order, scratch, size);
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

    /*
     * Chunks of CHUNK rows, executed CHUNKS_PER_EXECUTE at a time, then the tail row by row in one executeBatch (a
     * JDBC call per row costs more than the row). One loop and one setLong call site for both statements: it is
     * compiled once per run, and what the JIT inlines at each JDBC call site is large.
     */
    private void write(final int level, final long start, final long width) throws SQLException
    {
        final int count = size;
        int i = 0;
        int pending = 0;
        while (i < count)
        {
            final boolean whole = count - i >= CHUNK;
            final PreparedStatement statement = whole ? chunk : one;
            final int rows = whole ? CHUNK : 1;
            final int bound = fillParameters(level, start, width, i, rows);
            for (int p = 0; p < bound; p++)
            {
                statement.setLong(p + 1, parameters[p]);
            }
            statement.addBatch();
            i += rows;
            if (++pending == CHUNKS_PER_EXECUTE || i == count || (whole && count - i < CHUNK))
            {
                statement.executeBatch();
                pending = 0;
            }
        }
    }

    /*
     * Parameters of a statement of the given rows in key order: level, bucket_start, bucket_seconds, then per row its
     * keys and measures; returns how many.
     */
    private int fillParameters(final int level, final long start, final long width, final int first, final int rows)
    {
        parameters[0] = level;
        parameters[1] = start;
        parameters[2] = width;
        int p = SHARED_PARAMETERS;
        for (int i = first, end = first + rows; i < end; i++)
        {
            final int row = order[i];
            final int k = row * KEY_WORDS;
            p = table.putRow(parameters, p, keys[k], keys[k + 1], keys[k + 2], measures, row * MEASURES);
        }

        return p;
    }

    private void grow()
    {
        final int capacity = order.length * 2;
        keys = Arrays.copyOf(keys, capacity * KEY_WORDS);
        measures = Arrays.copyOf(measures, capacity * MEASURES);
        order = Arrays.copyOf(order, capacity);
        scratch = new int[capacity];
    }
}
