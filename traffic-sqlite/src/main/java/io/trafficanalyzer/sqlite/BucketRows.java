package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.RowSort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The rows of one bucket for one of the host, port and peer tables, held in preallocated arrays until the bucket ends
 * and then written in primary-key order in multi-row statements: sorted inserts touch each B-tree page once, and a
 * chunk of rows costs one statement step per row but one reset and fewer bound parameters.
 * <p>
 * Source rows that map to one stored key (a folded port 0 and a real port 0) are summed once sorted. A new
 * contribution's rows then cannot collide with a stored row and are plainly inserted; rows merged into a rollup
 * (a late batch) are upserted, each adding to the stored row of its key.
 */
final class BucketRows implements AutoCloseable
{
    static final int CHUNK = 64;

    private static final int CHUNKS_PER_EXECUTE = 64;
    private static final int MIN_CAPACITY = 1024;
    private static final int SHARED_PARAMETERS = 5;
    private static final int KEY_WORDS = 3;
    private static final int MEASURES = 4;

    private final StatsTable table;
    private final PreparedStatement insertChunk;
    private final PreparedStatement insertOne;
    private final PreparedStatement upsertChunk;
    private final PreparedStatement upsertOne;
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
        final PreparedStatement[] statements = new PreparedStatement[4];
        try
        {
            statements[0] = connection.prepareStatement(table.chunkInsertSql(CHUNK));
            statements[1] = connection.prepareStatement(table.chunkInsertSql(1));
            statements[2] = connection.prepareStatement(table.chunkUpsertSql(CHUNK));
            statements[3] = connection.prepareStatement(table.chunkUpsertSql(1));
        }
        catch (final SQLException ex)
        {
            closeAll(statements);
            throw ex;
        }
        insertChunk = statements[0];
        insertOne = statements[1];
        upsertChunk = statements[2];
        upsertOne = statements[3];
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
            insertChunk.clearBatch();
            insertOne.clearBatch();
            upsertChunk.clearBatch();
            upsertOne.clearBatch();
        }
        catch (final SQLException ignore)
        {
            // a closed statement has no batch left to clear
        }
    }

    /*
     * Sorts the rows by key once and sums those of one key, then writes them into every target (level, bucket_start,
     * bucket_seconds) as the given agent's and contribution's rows: inserted when they are a new contribution's,
     * else added to the stored rows of their keys.
     */
    void write(
        final int[] levels,
        final long[] starts,
        final long[] widths,
        final int targets,
        final long agentId,
        final long contributionId,
        final boolean add) throws SQLException
    {
        if (size == 0)
        {
            return;
        }
        RowSort.sort(byKey, order, scratch, size);
        final int distinct = sumEqualKeys();
        for (int t = 0; t < targets; t++)
        {
            write(levels[t], starts[t], widths[t], agentId, contributionId, distinct, add);
        }
        size = 0;
    }

    public void close() throws SQLException
    {
        closeAll(new PreparedStatement[]{ insertChunk, insertOne, upsertChunk, upsertOne });
    }

    private static void closeAll(final PreparedStatement[] statements) throws SQLException
    {
        SQLException failure = null;
        for (final PreparedStatement statement : statements)
        {
            try
            {
                if (null != statement)
                {
                    statement.close();
                }
            }
            catch (final SQLException ex)
            {
                failure = null == failure ? ex : failure;
            }
        }
        if (null != failure)
        {
            throw failure;
        }
    }

    /*
     * Once sorted: adds each row's measures to the first row of its key and keeps only that one in the order;
     * returns how many keys remain.
     */
    private int sumEqualKeys()
    {
        int kept = 0;
        for (int i = 0; i < size; i++)
        {
            final int row = order[i];
            if (kept > 0 && !RowSort.before(keys, KEY_WORDS, order[kept - 1], row))
            {
                final int m = order[kept - 1] * MEASURES;
                final int n = row * MEASURES;
                measures[m] += measures[n];
                measures[m + 1] += measures[n + 1];
                measures[m + 2] += measures[n + 2];
                measures[m + 3] += measures[n + 3];
            }
            else
            {
                order[kept++] = row;
            }
        }

        return kept;
    }

    /*
     * Chunks of CHUNK rows, executed CHUNKS_PER_EXECUTE at a time, then the tail row by row in one executeBatch (a
     * JDBC call per row costs more than the row). One loop and one setLong call site for both statements: it is
     * compiled once per run, and what the JIT inlines at each JDBC call site is large.
     */
    private void write(final int level, final long start, final long width, final long agentId,
        final long contributionId, final int count, final boolean add) throws SQLException
    {
        final PreparedStatement chunk = add ? upsertChunk : insertChunk;
        final PreparedStatement one = add ? upsertOne : insertOne;
        int i = 0;
        int pending = 0;
        while (i < count)
        {
            final boolean whole = count - i >= CHUNK;
            final PreparedStatement statement = whole ? chunk : one;
            final int rows = whole ? CHUNK : 1;
            final int bound = fillParameters(level, start, width, agentId, contributionId, i, rows);
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
     * Parameters of a statement of the given rows in key order: level, bucket_start, bucket_seconds, agent_id,
     * contribution_id, then per row its keys and measures; returns how many.
     */
    private int fillParameters(final int level, final long start, final long width, final long agentId,
        final long contributionId, final int first, final int rows)
    {
        parameters[0] = level;
        parameters[1] = start;
        parameters[2] = width;
        parameters[3] = agentId;
        parameters[4] = contributionId;
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
