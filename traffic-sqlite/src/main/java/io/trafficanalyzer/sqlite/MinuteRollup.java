package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.RowSort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The minute rollup of the host, port and peer rows, summed in memory as the raw buckets of the minute are written,
 * so that rolling the minute up is a sorted insert of its sums rather than a grouping query over its raw rows.
 * <p>
 * The sums stand for the minute only while they are known to hold every raw row stored for it exactly once: they are
 * started on the minute's first bucket (no raw bucket stored for it yet, not rolled up yet), and dropped (the
 * rollup falls back to the query) when a bucket replaced an earlier one, a write rolled back, the minute was rolled
 * up by the query, another connection committed, or the sums outgrew their bound. Results are identical either way:
 * per key and agent, the sums of the measures and {@code MAX(60, MAX(bucket_seconds))}.
 */
final class MinuteRollup implements AutoCloseable
{
    static final int INSERT_CHUNK = 64;
    static final int MAX_ENTRIES = 1 << 17;

    private static final long MINUTE = 60;
    private static final int LEVEL = 1;
    static final long NONE = Long.MIN_VALUE;
    private static final int MIN_CAPACITY = 1024;
    private static final int HOST = 0;
    private static final int PORT = 1;
    private static final int PEER = 2;
    private static final StatsTable[] TABLES = { StatsTable.HOST, StatsTable.PORT, StatsTable.PEER };
    // table, the three key words of StatsTable.putRow, agent: the order of the tables' primary keys
    private static final int KEY_WORDS = 5;
    private static final int MEASURES = 4;
    // bucket_seconds and agent_id, then the widest row: the port table's
    private static final int MAX_ROW_PARAMETERS = 2 + StatsTable.PORT.rowColumns();

    private final PreparedStatement[] insertChunk = new PreparedStatement[TABLES.length];
    private final PreparedStatement[] insertOne = new PreparedStatement[TABLES.length];
    private final long[] parameters = new long[1 + INSERT_CHUNK * MAX_ROW_PARAMETERS];
    private final RowSort.Order byKey = (a, b) -> RowSort.before(this.keys, KEY_WORDS, a, b);
    private long minute = NONE;
    private boolean valid;
    private boolean feeding;
    private long batchWidth;
    private long batchAgent;

    // entries: key (table, three key words, agent: in sort order), four measures, widest bucket; index: open
    // addressing, entry + 1; order: entries as added, by key once sorted
    private long[] keys;
    private long[] measures;
    private long[] widths;
    private int[] index;
    private int[] order;
    private int[] scratch;
    private int size;
    private volatile long minutesWritten;

    MinuteRollup(final Connection connection) throws SQLException
    {
        for (int t = 0; t < TABLES.length; t++)
        {
            insertChunk[t] = connection.prepareStatement(TABLES[t].rollupInsertSql(LEVEL, INSERT_CHUNK));
            insertOne[t] = connection.prepareStatement(TABLES[t].rollupInsertSql(LEVEL, 1));
        }
        allocate(MIN_CAPACITY);
    }

    /*
     * A raw bucket starts (in its transaction, after the contributions it replaces were deleted): decides whether its
     * rows are added. rolledUntil is where the minute level is complete; unstored tells whether the minute has no raw
     * bucket stored yet (asked only when a new minute starts).
     */
    boolean startBatch(final long start, final int width, final long agentId, final boolean replaced,
        final long rolledUntil, final MinuteProbe unstored) throws SQLException
    {
        batchAgent = agentId;
        feeding = false;
        final long bucketMinute = History.alignDown(start, MINUTE);
        if (replaced)
        {
            drop();
        }
        else if (bucketMinute == minute)
        {
            feeding = valid;
        }
        else if (minute == NONE || bucketMinute > minute)
        {
            clear();
            minute = bucketMinute;
            valid = bucketMinute >= rolledUntil && unstored.isUnstored(bucketMinute, bucketMinute + MINUTE);
            feeding = valid;
        }
        batchWidth = width;

        return feeding;
    }

    /*
     * A batch that is not raw (a late one merged into coarser levels) adds nothing.
     */
    void pause()
    {
        feeding = false;
    }

    boolean isFeeding()
    {
        return feeding;
    }

    void addHost(final long hostId, final int protocol, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        add(HOST, hostId, protocol, 0, inBytes, inPackets, outBytes, outPackets);
    }

    void addPort(final long hostId, final int protocol, final int port, final int role, final long inBytes,
        final long inPackets, final long outBytes, final long outPackets)
    {
        add(PORT, hostId, protocol, StatsTable.portKey(port, role), inBytes, inPackets, outBytes, outPackets);
    }

    void addPeer(final long hostId, final long peerId, final int protocol, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        add(PEER, hostId, peerId, protocol, inBytes, inPackets, outBytes, outPackets);
    }

    /*
     * A write rolled back: the sums may hold rows that are not stored.
     */
    void drop()
    {
        clear();
        minute = NONE;
        valid = false;
        feeding = false;
    }

    /*
     * The minute of [from, to) whose sums are held and can be written instead of queried, or NONE; sums of a minute
     * in that range that cannot stand for it are dropped, since the query rolls it up now.
     */
    long heldMinute(final long from, final long to)
    {
        if (minute == NONE || minute < from || minute >= to)
        {
            return NONE;
        }
        if (!valid)
        {
            drop();
            return NONE;
        }

        return minute;
    }

    /*
     * Writes the host, port and peer rows of the held minute, in the caller's transaction, after its old rows were
     * deleted, then forgets the sums.
     */
    void write() throws SQLException
    {
        final int count = size;
        // the entry order by table then key: each table's rows go in in primary-key order
        RowSort.sort(byKey, order, scratch, count);
        int i = 0;
        while (i < count)
        {
            final long table = keys[order[i] * KEY_WORDS];
            int end = i;
            while (end < count && keys[order[end] * KEY_WORDS] == table)
            {
                end++;
            }
            insertRows((int)table, i, end);
            i = end;
        }
        drop();
        minutesWritten++;
    }

    /*
     * Inserts the entries order[from..to), all of one table, in chunks of multi-row inserts, then the tail row by row.
     * One loop and one setLong and executeUpdate call site for both statements: it is compiled once per run, and
     * what the JIT inlines at each JDBC call site is large.
     */
    private void insertRows(final int table, final int from, final int to) throws SQLException
    {
        int i = from;
        while (i < to)
        {
            final boolean whole = to - i >= INSERT_CHUNK;
            final PreparedStatement statement = whole ? insertChunk[table] : insertOne[table];
            final int rows = whole ? INSERT_CHUNK : 1;
            final int bound = fillParameters(table, i, rows);
            for (int p = 0; p < bound; p++)
            {
                statement.setLong(p + 1, parameters[p]);
            }
            statement.executeUpdate();
            i += rows;
        }
    }

    long minutesWritten()
    {
        return minutesWritten;
    }

    public void close() throws SQLException
    {
        SQLException failure = null;
        for (int t = 0; t < TABLES.length; t++)
        {
            for (final PreparedStatement statement : new PreparedStatement[]{ insertChunk[t], insertOne[t] })
            {
                try
                {
                    statement.close();
                }
                catch (final SQLException ex)
                {
                    failure = null == failure ? ex : failure;
                }
            }
        }
        if (null != failure)
        {
            throw failure;
        }
    }

    /*
     * Parameters of an insert of the entries order[first..first + rows) (see StatsTable.rollupInsertSql): the minute,
     * then per entry bucket_seconds, agent_id, keys..., measures; returns how many.
     */
    private int fillParameters(final int table, final int first, final int rows)
    {
        int p = 0;
        parameters[p++] = minute;
        for (int i = first, end = first + rows; i < end; i++)
        {
            final int entry = order[i];
            final int k = entry * KEY_WORDS;
            parameters[p++] = Math.max(MINUTE, widths[entry]);
            parameters[p++] = keys[k + 4];
            p = TABLES[table].putRow(parameters, p, keys[k + 1], keys[k + 2], keys[k + 3], measures, entry * MEASURES);
        }

        return p;
    }

    private void add(final int table, final long k0, final long k1, final long k2, final long inBytes,
        final long inPackets, final long outBytes, final long outPackets)
    {
        if (!feeding)
        {
            return;
        }
        if (size == order.length)
        {
            grow();
        }
        final long agent = batchAgent;
        final int mask = index.length - 1;
        int slot = hash(table, k0, k1, k2 + agent) & mask;
        int entry;
        while ((entry = index[slot] - 1) >= 0)
        {
            final int k = entry * KEY_WORDS;
            if (keys[k] == table && keys[k + 1] == k0 && keys[k + 2] == k1 && keys[k + 3] == k2 &&
                keys[k + 4] == agent)
            {
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (entry < 0)
        {
            if (size >= MAX_ENTRIES)
            {
                // too many keys to hold for a minute: the query rolls it up
                drop();
                return;
            }
            entry = size++;
            index[slot] = entry + 1;
            order[entry] = entry;
            final int k = entry * KEY_WORDS;
            keys[k] = table;
            keys[k + 1] = k0;
            keys[k + 2] = k1;
            keys[k + 3] = k2;
            keys[k + 4] = agent;
            Arrays.fill(measures, entry * MEASURES, entry * MEASURES + MEASURES, 0);
            widths[entry] = 0;
        }
        final int m = entry * MEASURES;
        measures[m] += inBytes;
        measures[m + 1] += inPackets;
        measures[m + 2] += outBytes;
        measures[m + 3] += outPackets;
        widths[entry] = Math.max(widths[entry], batchWidth);
    }

    private void clear()
    {
        if (size > 0)
        {
            Arrays.fill(index, 0);
            size = 0;
        }
    }

    private void grow()
    {
        final int capacity = order.length * 2;
        keys = Arrays.copyOf(keys, capacity * KEY_WORDS);
        measures = Arrays.copyOf(measures, capacity * MEASURES);
        widths = Arrays.copyOf(widths, capacity);
        order = Arrays.copyOf(order, capacity);
        scratch = new int[capacity];
        index = new int[capacity * 2];
        final int mask = index.length - 1;
        for (int entry = 0; entry < size; entry++)
        {
            final int k = entry * KEY_WORDS;
            int slot = hash((int)keys[k], keys[k + 1], keys[k + 2], keys[k + 3] + keys[k + 4]) & mask;
            while (index[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            index[slot] = entry + 1;
        }
    }

    private void allocate(final int capacity)
    {
        keys = new long[capacity * KEY_WORDS];
        measures = new long[capacity * MEASURES];
        widths = new long[capacity];
        order = new int[capacity];
        scratch = new int[capacity];
        index = new int[capacity * 2];
        size = 0;
    }

    private static int hash(final int table, final long k0, final long k1, final long k2)
    {
        long h = k0 * 0x9E3779B97F4A7C15L + k1;
        h = h * 0x9E3779B97F4A7C15L + k2;
        h = h * 0x9E3779B97F4A7C15L + table;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;

        return (int)h;
    }

    /**
     * Whether no raw bucket is stored for a period yet.
     */
    interface MinuteProbe
    {
        /**
         * Whether no raw bucket is stored in [from, to).
         *
         * @param from start, inclusive.
         * @param to   end, exclusive.
         * @return true when none is stored.
         * @throws SQLException when the store cannot be read.
         */
        boolean isUnstored(long from, long to) throws SQLException;
    }
}
