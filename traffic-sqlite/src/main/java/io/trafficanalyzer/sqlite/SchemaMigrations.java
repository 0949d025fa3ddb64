package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.IpAddresses;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward migrations, one per version step, each in the caller's transaction together with its schema_version row.
 * <p>
 * Version 1 stored each address inline as a 16-byte BLOB in every row and showed it as hex in its views; version 2
 * moved addresses into the {@code address} dictionary (rows hold an integer id) so that the views can show RFC 5952
 * text with no code of ours. The version-1 DDL is kept here so that tests can build a version-1 database.
 */
final class SchemaMigrations
{
    private static final String V1_MEASURES =
        "in_bytes INTEGER NOT NULL, in_packets INTEGER NOT NULL, out_bytes INTEGER NOT NULL, " +
        "out_packets INTEGER NOT NULL";
    private static final String V1_TIME =
        "strftime('%Y-%m-%dT%H:%M:%SZ', bucket_start, 'unixepoch') AS time, bucket_start, bucket_seconds";
    private static final String V1_TRAFFIC = "in_bytes, in_packets, out_bytes, out_packets";

    /**
     * The complete version-1 schema (tables, views and version row) exactly as a version-1 library created it; frozen:
     * later versions change their own DDL, never this.
     */
    static final List<String> V1_DDL = List.of(
        "PRAGMA application_id = 1414676806",
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        "CREATE TABLE granularity (level INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, " +
        "bucket_seconds INTEGER NOT NULL, complete_until INTEGER NOT NULL, kept_from INTEGER NOT NULL)",
        "INSERT INTO granularity VALUES (0, 'raw', 0, 0, 0)",
        "INSERT INTO granularity VALUES (1, 'minute', 60, 0, 0)",
        "INSERT INTO granularity VALUES (2, 'hour', 3600, 0, 0)",
        "INSERT INTO granularity VALUES (3, 'day', 86400, 0, 0)",
        "CREATE TABLE batch (bucket_start INTEGER NOT NULL, bucket_seconds INTEGER NOT NULL, " +
        "level INTEGER NOT NULL, rows INTEGER NOT NULL, committed_at INTEGER NOT NULL, " +
        "PRIMARY KEY (bucket_start, bucket_seconds)) WITHOUT ROWID",
        "CREATE TABLE host_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host BLOB NOT NULL, protocol INTEGER NOT NULL, " + V1_MEASURES +
        ", PRIMARY KEY (level, bucket_start, host, protocol)) WITHOUT ROWID",
        "CREATE TABLE port_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host BLOB NOT NULL, protocol INTEGER NOT NULL, " +
        "port INTEGER NOT NULL, served INTEGER NOT NULL, " + V1_MEASURES +
        ", PRIMARY KEY (level, bucket_start, host, protocol, port, served)) WITHOUT ROWID",
        "CREATE TABLE peer_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host BLOB NOT NULL, peer BLOB NOT NULL, protocol INTEGER NOT NULL, " +
        V1_MEASURES + ", PRIMARY KEY (level, bucket_start, host, peer, protocol)) WITHOUT ROWID",
        "CREATE TABLE quality_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, frames INTEGER NOT NULL, packets INTEGER NOT NULL, bytes INTEGER NOT NULL, " +
        "transit_packets INTEGER NOT NULL, transit_bytes INTEGER NOT NULL, late_packets INTEGER NOT NULL, " +
        "ring_drops INTEGER NOT NULL, kernel_drops INTEGER NOT NULL, folded_keys INTEGER NOT NULL, " +
        "complete INTEGER NOT NULL, PRIMARY KEY (level, bucket_start)) WITHOUT ROWID",
        "CREATE TABLE quality_outcome (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "outcome TEXT NOT NULL, frames INTEGER NOT NULL, PRIMARY KEY (level, bucket_start, outcome)) WITHOUT ROWID",
        "CREATE TABLE prune_event (id INTEGER PRIMARY KEY, at TEXT NOT NULL, reason TEXT NOT NULL, " +
        "level INTEGER NOT NULL, from_start INTEGER NOT NULL, to_start INTEGER NOT NULL)",
        "CREATE VIEW host_traffic AS SELECT " + V1_TIME + ", lower(hex(host)) AS host, protocol, " + V1_TRAFFIC +
        " FROM host_stats",
        "CREATE VIEW port_traffic AS SELECT " + V1_TIME + ", lower(hex(host)) AS host, protocol, port, served, " +
        V1_TRAFFIC + " FROM port_stats",
        "CREATE VIEW peer_traffic AS SELECT " + V1_TIME + ", lower(hex(host)) AS host, lower(hex(peer)) AS peer, " +
        "protocol, " + V1_TRAFFIC + " FROM peer_stats",
        "CREATE VIEW bucket_quality AS SELECT " + V1_TIME + ", * FROM quality_stats",
        "INSERT INTO schema_version (version, applied_at) VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");

    private SchemaMigrations()
    {
    }

    /*
     * Upgrades a database from a version to the current one, inside the caller's transaction.
     */
    static void migrate(final Connection connection, final int fromVersion) throws SQLException
    {
        int version = fromVersion;
        if (version == 1)
        {
            migrate1To2(connection);
            version = 2;
        }
        if (version != Schema.VERSION)
        {
            throw new SQLException("no migration from schema version " + fromVersion);
        }
    }

    private static void migrate1To2(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            for (final String view : Schema.VIEW_NAMES)
            {
                statement.execute("DROP VIEW IF EXISTS " + view);
            }
            statement.execute(Schema.ADDRESS_DDL);
            statement.execute(Schema.FOLDED_PEER_ROW);

            final List<byte[]> addresses = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(
                "SELECT host FROM host_stats UNION SELECT host FROM port_stats UNION " +
                "SELECT host FROM peer_stats UNION SELECT peer FROM peer_stats"))
            {
                while (result.next())
                {
                    addresses.add(result.getBytes(1));
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO address (bytes, text) VALUES (?, ?)"))
            {
                for (final byte[] address : addresses)
                {
                    if (address.length == AddressBytes.LENGTH)
                    {
                        insert.setBytes(1, address);
                        insert.setString(2, IpAddresses.format(AddressBytes.hi(address), AddressBytes.lo(address)));
                        insert.executeUpdate();
                    }
                    else if (address.length != 0)
                    {
                        throw new SQLException("version-1 address of " + address.length + " bytes, expected 16");
                    }
                }
            }

            rebuild(statement, "host_stats", Schema.HOST_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, o.protocol, o.in_bytes, o.in_packets, " +
                "o.out_bytes, o.out_packets FROM host_stats_v1 o JOIN address h ON h.bytes = o.host");
            rebuild(statement, "port_stats", Schema.PORT_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, o.protocol, o.port, o.served, o.in_bytes, " +
                "o.in_packets, o.out_bytes, o.out_packets FROM port_stats_v1 o JOIN address h ON h.bytes = o.host");
            rebuild(statement, "peer_stats", Schema.PEER_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, p.id, o.protocol, o.in_bytes, " +
                "o.in_packets, o.out_bytes, o.out_packets FROM peer_stats_v1 o JOIN address h ON h.bytes = o.host " +
                "JOIN address p ON p.bytes = o.peer");

            for (final String view : Schema.viewStatements())
            {
                statement.execute(view);
            }
            statement.execute(Schema.versionRow(2));
        }
    }

    private static void rebuild(
        final Statement statement, final String table, final String ddl, final String select) throws SQLException
    {
        final long before = count(statement, table);
        statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_v1");
        statement.execute(ddl);
        statement.execute("INSERT INTO " + table + " " + select);
        final long after = count(statement, table);
        if (after != before)
        {
            throw new SQLException("migrating " + table + " kept " + after + " of " + before + " rows");
        }
        statement.execute("DROP TABLE " + table + "_v1");
    }

    private static long count(final Statement statement, final String table) throws SQLException
    {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table))
        {
            result.next();
            return result.getLong(1);
        }
    }
}
