package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.RowSort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Maps 128-bit addresses to the integer ids of the {@code address} table, adding the ones not seen before (with their
 * text form) in the caller's transaction.
 * <p>
 * While the whole table fits in the bounded open-addressing map ("complete" mode, the usual case), the map is the
 * dictionary: an address it does not hold is new, gets the next id at once and is queued, and {@link #flush()} writes
 * the queue, sorted by address so that the unique index on the bytes is filled in order, in multi-row inserts. No
 * lookup costs any SQL. A table larger than the bound falls back to a bounded cache in front of a select and a
 * single-row insert per miss.
 * <p>
 * The map is only trusted inside a write transaction: it is {@link #invalidate() invalidated} when another writer
 * committed (the table may hold addresses it lacks, and ids it would give out are taken), reloaded at the next
 * {@link #begin()}, and it must be {@link #reset() reset} when a transaction rolls back, since the ids it learnt in
 * it are gone.
 */
final class AddressDictionary implements AutoCloseable
{
    static final int INSERT_CHUNK = 64;

    private static final int MIN_CAPACITY = 1024;
    private static final long EMPTY = -1;

    private final int maxEntries;
    private final PreparedStatement select;
    private final PreparedStatement insertReturning;
    private final PreparedStatement insertOne;
    private final PreparedStatement insertChunk;
    private final PreparedStatement selectMaxId;
    private final PreparedStatement selectAll;
    private long[] his;
    private long[] los;
    private long[] ids;
    private int mask;
    private int size;
    private boolean complete;
    private boolean stale = true;
    private long nextId;
    private long[] pendingHis = new long[MIN_CAPACITY];
    private long[] pendingLos = new long[MIN_CAPACITY];
    private long[] pendingIds = new long[MIN_CAPACITY];
    // the queue in address order once flush has sorted it (unsigned, as the stored bytes compare)
    private int[] pendingOrder = new int[MIN_CAPACITY];
    private int[] pendingScratch = new int[MIN_CAPACITY];
    private final RowSort.Order byAddress = this::addressBefore;
    private int pendingCount;

    AddressDictionary(final Connection connection, final int maxEntries) throws SQLException
    {
        this.maxEntries = maxEntries;
        select = connection.prepareStatement("SELECT id FROM address WHERE bytes = ?");
        insertReturning = connection.prepareStatement(
            "INSERT INTO address (bytes, text) VALUES (?, ?) RETURNING id");
        insertOne = connection.prepareStatement("INSERT INTO address (id, bytes, text) VALUES (?, ?, ?)");
        insertChunk = connection.prepareStatement(multiRowInsertSql(INSERT_CHUNK));
        selectMaxId = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM address");
        selectAll = connection.prepareStatement("SELECT id, bytes FROM address WHERE length(bytes) = " +
            AddressBytes.LENGTH);
        allocate(MIN_CAPACITY);
    }

    static String multiRowInsertSql(final int rows)
    {
        final StringBuilder sql = new StringBuilder("INSERT INTO address (id, bytes, text) VALUES (?, ?, ?)");
        for (int i = 1; i < rows; i++)
        {
            sql.append(", (?, ?, ?)");
        }

        return sql.toString();
    }

    /*
     * At the start of a write transaction: reloads the map from the table when a rollback or another writer made it
     * stale.
     */
    void begin() throws SQLException
    {
        if (stale)
        {
            load();
        }
    }

    /*
     * Another writer committed: the map is reloaded at the next begin.
     */
    void invalidate()
    {
        stale = true;
    }

    long id(final long hi, final long lo) throws SQLException
    {
        int index = hash(hi, lo) & mask;
        while (ids[index] != EMPTY)
        {
            if (his[index] == hi && los[index] == lo)
            {
                return ids[index];
            }
            index = (index + 1) & mask;
        }

        final long id;
        if (complete)
        {
            if (size >= maxEntries)
            {
                // the table outgrows the bound: what is queued goes to the table, the map becomes a mere cache
                flush();
                complete = false;
                allocate(MIN_CAPACITY);
                return id(hi, lo);
            }
            id = nextId++;
            queue(hi, lo, id);
        }
        else
        {
            id = lookupOrInsert(hi, lo);
            if (size >= maxEntries)
            {
                allocate(MIN_CAPACITY);
            }
        }
        if ((size + 1) * 2 > ids.length)
        {
            grow();
        }
        put(hi, lo, id);

        return id;
    }

    /*
     * Writes the queued new addresses, in address order, in the caller's transaction.
     */
    void flush() throws SQLException
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return;
        }
        for (int i = 0; i < count; i++)
        {
            pendingOrder[i] = i;
        }
        RowSort.sort(byAddress, pendingOrder, pendingScratch, count);
        int i = 0;
        while (count - i >= INSERT_CHUNK)
        {
            for (int row = 0; row < INSERT_CHUNK; row++)
            {
                bind(insertChunk, row * 3, i + row);
            }
            insertChunk.executeUpdate();
            i += INSERT_CHUNK;
        }
        for (; i < count; i++)
        {
            bind(insertOne, 0, i);
            insertOne.executeUpdate();
        }
        pendingCount = 0;
    }

    /*
     * After a rollback: the queue and the ids learnt in the transaction are gone; the map is reloaded at the next
     * begin.
     */
    void reset()
    {
        pendingCount = 0;
        stale = true;
        allocate(MIN_CAPACITY);
    }

    int size()
    {
        return size;
    }

    boolean isComplete()
    {
        return complete;
    }

    int pendingCount()
    {
        return pendingCount;
    }

    public void close() throws SQLException
    {
        final AutoCloseable[] statements = { select, insertReturning, insertOne, insertChunk, selectMaxId, selectAll };
        SQLException failure = null;
        for (final AutoCloseable statement : statements)
        {
            try
            {
                statement.close();
            }
            catch (final Exception ex)
            {
                if (failure == null)
                {
                    failure = new SQLException("cannot close a statement of the address dictionary", ex);
                }
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void load() throws SQLException
    {
        allocate(MIN_CAPACITY);
        pendingCount = 0;
        complete = true;
        nextId = maxIdOnDisk() + 1;
        try (ResultSet result = selectAll.executeQuery())
        {
            while (result.next())
            {
                if (size >= maxEntries)
                {
                    complete = false;
                    allocate(MIN_CAPACITY);
                    break;
                }
                final byte[] bytes = result.getBytes(2);
                if ((size + 1) * 2 > ids.length)
                {
                    grow();
                }
                put(AddressBytes.hi(bytes), AddressBytes.lo(bytes), result.getLong(1));
            }
        }
        stale = false;
    }

    private long maxIdOnDisk() throws SQLException
    {
        try (ResultSet result = selectMaxId.executeQuery())
        {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    private void bind(final PreparedStatement statement, final int first, final int queued) throws SQLException
    {
        final int pending = pendingOrder[queued];
        final long hi = pendingHis[pending];
        final long lo = pendingLos[pending];
        statement.setLong(first + 1, pendingIds[pending]);
        statement.setBytes(first + 2, AddressBytes.toBytes(hi, lo));
        statement.setString(first + 3, IpAddresses.format(hi, lo));
    }

    private void queue(final long hi, final long lo, final long id)
    {
        if (pendingCount == pendingIds.length)
        {
            final int capacity = pendingCount * 2;
            pendingHis = Arrays.copyOf(pendingHis, capacity);
            pendingLos = Arrays.copyOf(pendingLos, capacity);
            pendingIds = Arrays.copyOf(pendingIds, capacity);
            pendingOrder = new int[capacity];
            pendingScratch = new int[capacity];
        }
        pendingHis[pendingCount] = hi;
        pendingLos[pendingCount] = lo;
        pendingIds[pendingCount] = id;
        pendingCount++;
    }

    private boolean addressBefore(final int a, final int b)
    {
        return pendingHis[a] != pendingHis[b] ? Long.compareUnsigned(pendingHis[a], pendingHis[b]) < 0 :
            Long.compareUnsigned(pendingLos[a], pendingLos[b]) < 0;
    }

    private long lookupOrInsert(final long hi, final long lo) throws SQLException
    {
        final byte[] bytes = AddressBytes.toBytes(hi, lo);
        select.setBytes(1, bytes);
        try (ResultSet result = select.executeQuery())
        {
            if (result.next())
            {
                return result.getLong(1);
            }
        }

        insertReturning.setBytes(1, bytes);
        insertReturning.setString(2, IpAddresses.format(hi, lo));
        try (ResultSet result = insertReturning.executeQuery())
        {
            if (!result.next())
            {
                throw new SQLException("address insert returned no id");
            }
            return result.getLong(1);
        }
    }

    private void put(final long hi, final long lo, final long id)
    {
        int index = hash(hi, lo) & mask;
        while (ids[index] != EMPTY)
        {
            index = (index + 1) & mask;
        }
        his[index] = hi;
        los[index] = lo;
        ids[index] = id;
        size++;
    }

    private void grow()
    {
        final long[] oldHis = his;
        final long[] oldLos = los;
        final long[] oldIds = ids;
        allocate(oldIds.length * 2);
        for (int i = 0; i < oldIds.length; i++)
        {
            if (oldIds[i] != EMPTY)
            {
                put(oldHis[i], oldLos[i], oldIds[i]);
            }
        }
    }

    private void allocate(final int capacity)
    {
        his = new long[capacity];
        los = new long[capacity];
        ids = new long[capacity];
        Arrays.fill(ids, EMPTY);
        mask = capacity - 1;
        size = 0;
    }

    private static int hash(final long hi, final long lo)
    {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;

        return (int)h;
    }
}
