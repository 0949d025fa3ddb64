package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.testing.GeneratedTraffic;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads a store back through the contract views with plain JDBC, in the shape of
 * {@link GeneratedTraffic#expectedHosts}.
 */
final class StoredHosts
{
    private StoredHosts()
    {
    }

    static TreeMap<Long, TreeMap<String, GeneratedTraffic.Totals>> read(final Path db) throws SQLException
    {
        final TreeMap<Long, TreeMap<String, GeneratedTraffic.Totals>> buckets = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT bucket_start, host, protocol, in_bytes, in_packets, " +
                "out_bytes, out_packets FROM host_traffic"))
        {
            while (rows.next())
            {
                final GeneratedTraffic.Totals totals = new GeneratedTraffic.Totals(
                    rows.getLong(4), rows.getLong(5), rows.getLong(6), rows.getLong(7));
                final String key = rows.getString(2) + "|" + rows.getString(3);
                if (null != buckets.computeIfAbsent(rows.getLong(1), (start) -> new TreeMap<>()).put(key, totals))
                {
                    throw new AssertionError("host row twice in bucket " + rows.getLong(1) + ": " + key);
                }
            }
        }
        return buckets;
    }

    static List<String> integrityCheck(final Path db) throws SQLException
    {
        final List<String> problems = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("PRAGMA integrity_check"))
        {
            while (rows.next())
            {
                problems.add(rows.getString(1));
            }
        }
        return problems;
    }

    static List<long[]> batches(final Path db) throws SQLException
    {
        final List<long[]> batches = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery(
                "SELECT bucket_start, bucket_seconds FROM contribution WHERE level = 0 ORDER BY bucket_start"))
        {
            while (rows.next())
            {
                batches.add(new long[]{ rows.getLong(1), rows.getLong(2) });
            }
        }
        return batches;
    }
}
