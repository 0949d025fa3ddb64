package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.StatsRow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.LongPredicate;

/*
 * Deterministic test traffic, the sums the views must show for it (computed here, from the rows fed in), and the
 * queries that read those sums back from a store.
 */
final class Traffic
{
    static final String[] HOSTS = { "10.0.0.1", "10.0.0.2", "192.168.1.20", "2001:db8::1", "fd00::2:0:0:3" };
    static final String[] PEERS = { "8.8.8.8", "1.1.1.1", "2606:4700::1111", "203.0.113.7", "2001:db8:0:1::" };
    static final int[] PROTOCOLS = { 6, 17, 1, 58, 47 };
    static final int[] PORTS = { 22, 53, 80, 443, 8080 };

    /* 2026-11-26T10:00:00Z. */
    static final long T0 = 1_795_687_200L;

    private Traffic()
    {
    }

    /*
     * A bucket whose rows and figures depend only on (start, seed).
     */
    static TestBatch batch(final long start, final int width, final long seed)
    {
        final Random random = new Random(seed * 1_000_003L + start);
        final List<TestRow> rows = new ArrayList<>();
        for (final String host : HOSTS)
        {
            for (final int protocol : PROTOCOLS)
            {
                if (random.nextInt(10) < 6)
                {
                    rows.add(TestRow.host(host, protocol, random.nextInt(1_000_000), random.nextInt(1_000),
                        random.nextInt(1_000_000), random.nextInt(1_000)));
                }
            }
            for (final int port : PORTS)
            {
                if (random.nextBoolean())
                {
                    rows.add(TestRow.port(host, port == 53 ? 17 : 6, port, random.nextBoolean(),
                        random.nextInt(100_000), random.nextInt(100), random.nextInt(100_000), random.nextInt(100)));

                }
            }
            if (random.nextInt(5) == 0)
            {
                rows.add(TestRow.foldedPort(host, 6, random.nextInt(5_000), random.nextInt(10), random.nextInt(5_000),
                    random.nextInt(10)));
            }
            for (final String peer : PEERS)
            {
                if (random.nextBoolean())
                {
                    rows.add(TestRow.peer(host, peer, PROTOCOLS[random.nextInt(PROTOCOLS.length)],
                        random.nextInt(100_000), random.nextInt(100), random.nextInt(100_000), random.nextInt(100)));
                }
            }
            if (random.nextInt(5) == 0)
            {
                rows.add(TestRow.foldedPeer(host, 17, random.nextInt(5_000), random.nextInt(10),
                    random.nextInt(5_000), random.nextInt(10)));
            }
        }

        final Map<FrameOutcome, Long> outcomes = new EnumMap<>(FrameOutcome.class);
        outcomes.put(FrameOutcome.NON_IP, (long)random.nextInt(50));
        final FrameOutcome malformed = FrameOutcome.get(2 + random.nextInt(FrameOutcome.count() - 2));
        outcomes.put(malformed, 1L + random.nextInt(5));
        final TestQuality quality = new TestQuality(
            10_000 + random.nextInt(1_000), 9_000 + random.nextInt(1_000), 5_000_000 + random.nextInt(1_000_000),
            random.nextInt(100), random.nextInt(10_000), outcomes, random.nextInt(3),
            random.nextInt(4) == 0 ? 1 + random.nextInt(9) : 0, random.nextInt(4) == 0 ? 1 + random.nextInt(9) : 0,
            random.nextInt(7));

        return new TestBatch(start, width, quality, rows);
    }

    static List<TestBatch> series(final long from, final long to, final int width, final long seed)
    {
        final List<TestBatch> batches = new ArrayList<>();
        for (long start = from; start < to; start += width)
        {
            batches.add(batch(start, width, seed));
        }
        return batches;
    }

    /*
     * Key and measures of one view row; the key function decides what is grouped (e.g. by period or not).
     */
    static Map<List<Object>, List<Long>> expected(
        final Collection<TestBatch> batches,
        final String view,
        final LongPredicate startFilter,
        final BiFunction<TestBatch, TestRow, List<Object>> key)
    {
        final Map<List<Object>, List<Long>> sums = new TreeMap<>(Traffic::compareKeys);
        for (final TestBatch batch : batches)
        {
            if (!startFilter.test(batch.startEpochSecond()))
            {
                continue;
            }
            for (final TestRow row : batch.rows())
            {
                if (row.view().equals(view))
                {
                    add(sums, key.apply(batch, row), row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets());
                }
            }
        }
        return sums;
    }

    static BiFunction<TestBatch, TestRow, List<Object>> hostKey()
    {
        return (batch, row) -> List.of(row.host(), row.protocolText());
    }

    static BiFunction<TestBatch, TestRow, List<Object>> portKey()
    {
        return (batch, row) -> List.of(row.host(), row.protocolText(), (long)row.portValue(), row.servedValue());
    }

    static BiFunction<TestBatch, TestRow, List<Object>> peerKey()
    {
        return (batch, row) -> List.of(row.host(), row.peerText(), row.protocolText());
    }

    static String keyColumns(final String view)
    {
        switch (view)
        {
            case StatsRow.HOSTS:
                return "host, protocol";
            case StatsRow.PORTS:
                return "host, protocol, port, served";
            default:
                return "host, peer, protocol";
        }
    }

    static String viewName(final String view)
    {
        switch (view)
        {
            case StatsRow.HOSTS:
                return "host_traffic";
            case StatsRow.PORTS:
                return "port_traffic";
            default:
                return "peer_traffic";
        }
    }

    /*
     * The view's sums over [from, to), grouped by its key columns (optionally preceded by extra grouping columns).
     */
    static Map<List<Object>, List<Long>> actual(
        final Connection connection, final String view, final String groupPrefix, final long from, final long to)
        throws SQLException
    {
        final String keys = (groupPrefix.isEmpty() ? "" : groupPrefix + ", ") + keyColumns(view);
        final String sql = "SELECT " + keys + ", SUM(in_bytes), SUM(in_packets), SUM(out_bytes), SUM(out_packets) " +
            "FROM " + viewName(view) + " WHERE bucket_start >= ? AND bucket_start < ? GROUP BY " + keys;
        final Map<List<Object>, List<Long>> sums = new TreeMap<>(Traffic::compareKeys);
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            statement.setLong(1, from);
            statement.setLong(2, to);
            try (ResultSet result = statement.executeQuery())
            {
                final int keyCount = result.getMetaData().getColumnCount() - 4;
                while (result.next())
                {
                    final List<Object> key = new ArrayList<>();
                    for (int i = 1; i <= keyCount; i++)
                    {
                        final Object value = result.getObject(i);
                        key.add(value instanceof Number ? ((Number)value).longValue() : value);
                    }
                    add(sums, key, result.getLong(keyCount + 1), result.getLong(keyCount + 2),
                        result.getLong(keyCount + 3), result.getLong(keyCount + 4));
                }
            }
        }
        return sums;
    }

    /*
     * Equality of two sum maps, reporting only the keys that differ (the maps run to thousands of entries).
     */
    static void assertSums(
        final Map<List<Object>, List<Long>> expected, final Map<List<Object>, List<Long>> actual, final String label)
    {
        final List<String> differences = new ArrayList<>();
        final TreeMap<List<Object>, Boolean> keys = new TreeMap<>(Traffic::compareKeys);
        expected.keySet().forEach(key -> keys.put(key, true));
        actual.keySet().forEach(key -> keys.put(key, true));
        for (final List<Object> key : keys.keySet())
        {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key)) && differences.size() < 10)
            {
                differences.add(key + ": expected " + expected.get(key) + " but was " + actual.get(key));
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), differences,
            label + ": " + expected.size() + " expected keys, " + actual.size() + " actual");
    }

    static long scalar(final Connection connection, final String sql, final Object... parameters)
        throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            for (int i = 0; i < parameters.length; i++)
            {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery())
            {
                return result.next() ? result.getLong(1) : Long.MIN_VALUE;
            }
        }
    }

    static List<Long> column(final Connection connection, final String sql) throws SQLException
    {
        final List<Long> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql);
            ResultSet result = statement.executeQuery())
        {
            while (result.next())
            {
                values.add(result.getLong(1));
            }
        }
        return values;
    }

    /** 2100-01-01T00:00:00Z in milliseconds: a wall clock past every test bucket. */
    static final long FAR_FUTURE_MS = 4_102_444_800_000L;

    /*
     * A sink for tests: commits not synced (a process crash still loses nothing committed), no free-space floor and
     * a wall clock past every test bucket, so that results depend neither on the disk nor on today's date.
     */
    static SqliteSink.Builder sink(final java.nio.file.Path path)
    {
        return SqliteSink.builder(path).durableCommits(false).freeSpaceFloor(0).epochClock(() -> FAR_FUTURE_MS);
    }

    static Connection connect(final java.nio.file.Path path) throws SQLException
    {
        return DriverManager.getConnection("jdbc:sqlite:" + path);
    }

    private static void add(
        final Map<List<Object>, List<Long>> sums,
        final List<Object> key,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        final List<Long> old = sums.getOrDefault(key, List.of(0L, 0L, 0L, 0L));
        sums.put(key, List.of(old.get(0) + inBytes, old.get(1) + inPackets, old.get(2) + outBytes,
            old.get(3) + outPackets));
    }

    @SuppressWarnings("unchecked")
    static int compareKeys(final List<Object> a, final List<Object> b)
    {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++)
        {
            final int c = ((Comparable<Object>)a.get(i)).compareTo(b.get(i));
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
