package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.IpAddresses;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Maps 128-bit addresses to the integer ids of the {@code address} table, inserting the ones not seen before (with
 * their text form) in the caller's transaction. A bounded open-addressing cache keeps the lookups off the database;
 * it must be {@link #clear() cleared} when a transaction rolls back, since the ids it learnt in it are gone.
 */
final class AddressDictionary implements AutoCloseable
{
    private static final int MIN_CAPACITY = 1024;
    private static final long EMPTY = -1;

    private final int maxEntries;
    private final PreparedStatement select;
    private final PreparedStatement insert;
    private long[] his;
    private long[] los;
    private long[] ids;
    private int mask;
    private int size;

    AddressDictionary(final Connection connection, final int maxEntries) throws SQLException
    {
        this.maxEntries = maxEntries;
        select = connection.prepareStatement("SELECT id FROM address WHERE bytes = ?");
        insert = connection.prepareStatement("INSERT INTO address (bytes, text) VALUES (?, ?) RETURNING id");
        allocate(MIN_CAPACITY);
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

        final long id = lookupOrInsert(hi, lo);
        if (size >= maxEntries)
        {
            clear();
        }
        else if ((size + 1) * 2 > ids.length)
        {
            grow();
        }
        put(hi, lo, id);

        return id;
    }

    void clear()
    {
        allocate(MIN_CAPACITY);
    }

    int size()
    {
        return size;
    }

    public void close() throws SQLException
    {
        try
        {
            select.close();
        }
        finally
        {
            insert.close();
        }
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

        insert.setBytes(1, bytes);
        insert.setString(2, IpAddresses.format(hi, lo));
        try (ResultSet result = insert.executeQuery())
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
