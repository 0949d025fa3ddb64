package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.IpAddresses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressDictionaryTest
{
    private static final long MAPPED = 0xFFFF_0000_0000L;
    private static final int CHUNK = AddressDictionary.INSERT_CHUNK;

    @TempDir
    Path dir;

    private Path path;

    @BeforeEach
    void createStore()
    {
        path = dir.resolve("addresses.db");
        Traffic.sink(path).build().close();
    }

    @Test
    void shouldStoreExactlyTheQueuedAddressesWhenFlushingAroundTheChunkSize() throws Exception
    {
        final int[] sizes = { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5 };
        long first = 0;
        for (final int size : sizes)
        {
            try (Connection connection = SqliteFiles.openWriter(path, 1000);
                Transactions transactions = new Transactions(connection);
                AddressDictionary addresses = new AddressDictionary(connection, 1 << 20))
            {
                transactions.begin();
                addresses.begin();
                for (int i = 0; i < size; i++)
                {
                    // descending, so that the flush has to sort them
                    assertEquals(first + i + 1, addresses.id(0, MAPPED | (0x0A00_0000L + first + size - i)));
                }
                assertEquals(size, addresses.pendingCount());
                addresses.flush();
                assertEquals(0, addresses.pendingCount());
                transactions.commit();
            }
            first += size;
            final Map<Long, String> stored = stored();
            assertEquals(first + 1, stored.size(), "size " + size);
        }
        final Map<Long, String> stored = stored();
        long id = 1;
        for (final int size : sizes)
        {
            final long base = id - 1;
            for (int i = 0; i < size; i++)
            {
                final String expected = IpAddresses.format(0, MAPPED | (0x0A00_0000L + base + size - i));
                assertEquals(expected, stored.get(id), "id " + id);
                id++;
            }
        }
    }

    @Test
    void shouldKeepTheIdsOnDiskWhenReopened() throws Exception
    {
        final long v6Hi = 0x2001_0DB8_0000_0000L;
        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, 1 << 20))
        {
            transactions.onOthersCommitted(addresses::invalidate);
            transactions.begin();
            addresses.begin();
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            assertEquals(2, addresses.id(v6Hi, 1));
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            addresses.flush();
            transactions.commit();
        }

        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, 1 << 20))
        {
            transactions.begin();
            addresses.begin();
            assertTrue(addresses.isComplete());
            assertEquals(2, addresses.size());
            assertEquals(2, addresses.id(v6Hi, 1));
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            assertEquals(0, addresses.pendingCount());
            assertEquals(3, addresses.id(0, MAPPED | 0x0A00_0002L));
            addresses.flush();
            transactions.commit();
        }
        assertEquals(Map.of(0L, "*", 1L, "10.0.0.1", 2L, "2001:db8::1", 3L, "10.0.0.2"), stored());
    }

    @Test
    void shouldForgetTheIdsOfARolledBackTransactionWhenReset() throws Exception
    {
        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, 1 << 20))
        {
            transactions.onOthersCommitted(addresses::invalidate);
            transactions.begin();
            addresses.begin();
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            addresses.flush();
            transactions.commit();

            transactions.begin();
            addresses.begin();
            assertEquals(2, addresses.id(0, MAPPED | 0x0A00_0002L));
            addresses.flush();
            assertEquals(3, addresses.id(0, MAPPED | 0x0A00_0003L));
            transactions.rollbackQuietly();
            addresses.reset();

            transactions.begin();
            addresses.begin();
            assertEquals(2, addresses.id(0, MAPPED | 0x0A00_0003L));
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            addresses.flush();
            transactions.commit();
        }
        assertEquals(Map.of(0L, "*", 1L, "10.0.0.1", 2L, "10.0.0.3"), stored());
    }

    @Test
    void shouldReloadWhenAnotherWriterAddedAddresses() throws Exception
    {
        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, 1 << 20))
        {
            transactions.onOthersCommitted(addresses::invalidate);
            transactions.begin();
            addresses.begin();
            assertEquals(1, addresses.id(0, MAPPED | 0x0A00_0001L));
            addresses.flush();
            transactions.commit();

            try (Connection other = SqliteFiles.openWriter(path, 1000);
                PreparedStatement insert = other.prepareStatement("INSERT INTO address (bytes, text) VALUES (?, ?)"))
            {
                insert.setBytes(1, AddressBytes.toBytes(0, MAPPED | 0x0A00_0002L));
                insert.setString(2, "10.0.0.2");
                insert.executeUpdate();
            }

            transactions.begin();
            addresses.begin();
            assertEquals(2, addresses.id(0, MAPPED | 0x0A00_0002L));
            assertEquals(3, addresses.id(0, MAPPED | 0x0A00_0003L));
            addresses.flush();
            transactions.commit();
        }
        assertEquals(Map.of(0L, "*", 1L, "10.0.0.1", 2L, "10.0.0.2", 3L, "10.0.0.3"), stored());
    }

    @Test
    void shouldFallBackToLookupsWhenTheTableOutgrowsTheBound() throws Exception
    {
        final int bound = 10;
        final int count = 25;
        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, bound))
        {
            transactions.begin();
            addresses.begin();
            for (int i = 1; i <= count; i++)
            {
                assertEquals(i, addresses.id(0, MAPPED | (0x0A00_0000L + i)));
            }
            assertFalse(addresses.isComplete());
            for (int i = 1; i <= count; i++)
            {
                assertEquals(i, addresses.id(0, MAPPED | (0x0A00_0000L + i)));
            }
            addresses.flush();
            transactions.commit();
        }

        try (Connection connection = SqliteFiles.openWriter(path, 1000);
            Transactions transactions = new Transactions(connection);
            AddressDictionary addresses = new AddressDictionary(connection, bound))
        {
            transactions.begin();
            addresses.begin();
            assertFalse(addresses.isComplete());
            for (int i = count; i >= 1; i--)
            {
                assertEquals(i, addresses.id(0, MAPPED | (0x0A00_0000L + i)));
            }
            assertEquals(count + 1, addresses.id(0, MAPPED | 0x0B00_0000L));
            addresses.flush();
            transactions.commit();
        }
        final Map<Long, String> stored = stored();
        assertEquals(count + 2, stored.size());
        for (int i = 1; i <= count; i++)
        {
            assertEquals("10.0.0." + i, stored.get((long)i));
        }
        assertEquals("11.0.0.0", stored.get(count + 1L));
    }

    private Map<Long, String> stored() throws Exception
    {
        final Map<Long, String> stored = new TreeMap<>();
        try (Connection connection = SqliteFiles.openReader(path, 1000);
            Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT id, bytes, text FROM address"))
        {
            while (result.next())
            {
                final byte[] bytes = result.getBytes(2);
                final String text = result.getString(3);
                if (bytes.length == AddressBytes.LENGTH)
                {
                    assertEquals(IpAddresses.format(AddressBytes.hi(bytes), AddressBytes.lo(bytes)), text);
                }
                stored.put(result.getLong(1), text);
            }
        }

        return stored;
    }
}
