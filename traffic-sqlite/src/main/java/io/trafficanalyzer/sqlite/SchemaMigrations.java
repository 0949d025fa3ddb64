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
 * text with no code of ours; version 3 keeps one row per contribution (who wrote it: agent and contribution ids in
 * every stats key, the {@code agent}, {@code stream} and {@code contribution} tables in place of {@code batch}) and
 * sums them in the views; version 4 shows the agent in every view (one row per agent, key and bucket), with no
 * change to the tables; version 5 adds the {@code alert_event} table and its {@code alert_history} view. Each step's
 * target DDL is frozen here, so that 1 to 4 goes through 2 as written then.
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

    private static final String V2_MEASURES = V1_MEASURES;

    /** The version-2 tables that version 3 rebuilds, exactly as a version-2 library created them; frozen. */
    static final String V2_HOST_DDL =
        "CREATE TABLE host_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, protocol INTEGER NOT NULL, " + V2_MEASURES +
        ", PRIMARY KEY (level, bucket_start, host_id, protocol)) WITHOUT ROWID";
    static final String V2_PORT_DDL =
        "CREATE TABLE port_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, protocol INTEGER NOT NULL, " +
        "port INTEGER NOT NULL, served INTEGER NOT NULL, " + V2_MEASURES +
        ", PRIMARY KEY (level, bucket_start, host_id, protocol, port, served)) WITHOUT ROWID";
    static final String V2_PEER_DDL =
        "CREATE TABLE peer_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, " +
        "protocol INTEGER NOT NULL, " + V2_MEASURES +
        ", PRIMARY KEY (level, bucket_start, host_id, peer_id, protocol)) WITHOUT ROWID";

    /** The alert table as version 5 created it; frozen. */
    static final String V5_ALERT_DDL =
        "CREATE TABLE alert_event (id INTEGER PRIMARY KEY, agent_id INTEGER NOT NULL, rule TEXT NOT NULL, " +
        "state TEXT NOT NULL, subject TEXT NOT NULL, metric TEXT NOT NULL, direction TEXT NOT NULL, " +
        "view TEXT NOT NULL, value REAL NOT NULL, bound REAL NOT NULL, clear_level REAL NOT NULL, " +
        "unit TEXT NOT NULL, window_seconds INTEGER NOT NULL, at INTEGER NOT NULL, raised_at INTEGER NOT NULL, " +
        "UNIQUE (agent_id, rule, subject, state, at))";

    /** The stream that version 3 files every row written before it under. */
    static final String LEGACY_STREAM = "legacy";
    static final String LEGACY_LABEL = "written before version 3";

    private SchemaMigrations()
    {
    }

    /*
     * Upgrades a database from a version to the current one, inside the caller's transaction; the rows written before
     * version 3 are filed under the given agent.
     */
    static void migrate(final Connection connection, final int fromVersion, final String legacyAgent)
        throws SQLException
    {
        int version = fromVersion;
        if (version == 1)
        {
            migrate1To2(connection);
            version = 2;
        }
        if (version == 2)
        {
            migrate2To3(connection, legacyAgent);
            version = 3;
        }
        if (version == 3)
        {
            migrate3To4(connection);
            version = 4;
        }
        if (version == 4)
        {
            migrate4To5(connection);
            version = 5;
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

            rebuild(statement, "host_stats", V2_HOST_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, o.protocol, o.in_bytes, o.in_packets, " +
                "o.out_bytes, o.out_packets FROM host_stats_v1 o JOIN address h ON h.bytes = o.host");
            rebuild(statement, "port_stats", V2_PORT_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, o.protocol, o.port, o.served, o.in_bytes, " +
                "o.in_packets, o.out_bytes, o.out_packets FROM port_stats_v1 o JOIN address h ON h.bytes = o.host");
            rebuild(statement, "peer_stats", V2_PEER_DDL,
                "SELECT o.level, o.bucket_start, o.bucket_seconds, h.id, p.id, o.protocol, o.in_bytes, " +
                "o.in_packets, o.out_bytes, o.out_packets FROM peer_stats_v1 o JOIN address h ON h.bytes = o.host " +
                "JOIN address p ON p.bytes = o.peer");

            // the views of the version reached last are made by the caller
            statement.execute(Schema.versionRow(2));
        }
    }

    /*
     * Every version-2 batch record becomes a contribution of one legacy stream (its level, rows and commit time
     * kept; a second record of the same start, possible for late batches of two widths, gets the next part), the
     * raw rows point at the contribution of their bucket, rollup rows at none (0); every row gets the legacy agent.
     * No number changes: each view row is the sum of exactly the one version-2 row of its key.
     */
    private static void migrate2To3(final Connection connection, final String legacyAgent) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            for (final String view : Schema.VIEW_NAMES)
            {
                statement.execute("DROP VIEW IF EXISTS " + view);
            }
            statement.execute(Schema.AGENT_DDL);
            statement.execute(Schema.STREAM_DDL);
            statement.execute(Schema.CONTRIBUTION_DDL);
            try (PreparedStatement agent = connection.prepareStatement("INSERT INTO agent (id, name) VALUES (1, ?)");
                PreparedStatement stream = connection.prepareStatement(
                    "INSERT INTO stream (id, agent_id, identity, label) VALUES (1, 1, ?, ?)"))
            {
                agent.setString(1, legacyAgent);
                agent.executeUpdate();
                stream.setString(1, LEGACY_STREAM);
                stream.setString(2, LEGACY_LABEL);
                stream.executeUpdate();
            }
            statement.execute("INSERT INTO contribution (bucket_start, id, stream_id, bucket_seconds, part, level, " +
                "rows, committed_at) SELECT bucket_start, n, 1, bucket_seconds, n - 1, level, rows, committed_at " +
                "FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bucket_start ORDER BY level, bucket_seconds) AS n " +
                "FROM batch) ORDER BY bucket_start, n");
            statement.execute("DROP TABLE batch");

            // a raw row belongs to the raw contribution of its bucket (version 2 kept one per start); a raw row
            // without one (none is known) would keep id 0 and still count
            final String contribution = "CASE o.level WHEN 0 THEN COALESCE((SELECT MIN(c.id) FROM contribution c " +
                "WHERE c.bucket_start = o.bucket_start AND c.level = 0), 0) ELSE 0 END";
            final String measures = "o.in_bytes, o.in_packets, o.out_bytes, o.out_packets";
            rebuild(statement, "host_stats", Schema.HOST_DDL, "SELECT o.level, o.bucket_start, o.bucket_seconds, " +
                "o.host_id, o.protocol, 1, " + contribution + ", " + measures + " FROM host_stats_v2 o", "v2");
            rebuild(statement, "port_stats", Schema.PORT_DDL, "SELECT o.level, o.bucket_start, o.bucket_seconds, " +
                "o.host_id, o.protocol, o.port, o.served, 1, " + contribution + ", " + measures +
                " FROM port_stats_v2 o", "v2");
            rebuild(statement, "peer_stats", Schema.PEER_DDL, "SELECT o.level, o.bucket_start, o.bucket_seconds, " +
                "o.host_id, o.peer_id, o.protocol, 1, " + contribution + ", " + measures + " FROM peer_stats_v2 o",
                "v2");
            rebuild(statement, "quality_stats", Schema.QUALITY_DDL, "SELECT o.level, o.bucket_start, " +
                "o.bucket_seconds, 1, " + contribution + ", o.frames, o.packets, o.bytes, o.transit_packets, " +
                "o.transit_bytes, o.late_packets, o.ring_drops, o.kernel_drops, o.folded_keys, o.complete " +
                "FROM quality_stats_v2 o", "v2");
            rebuild(statement, "quality_outcome", Schema.OUTCOME_DDL, "SELECT o.level, o.bucket_start, o.outcome, " +
                "1, " + contribution + ", o.frames FROM quality_outcome_v2 o", "v2");

            statement.execute(Schema.versionRow(3));
        }
    }

    /*
     * The tables stay as they are: version 3 already kept the agent of every row, only its views summed over agents.
     */
    private static void migrate3To4(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            for (final String view : Schema.VIEW_NAMES)
            {
                statement.execute("DROP VIEW IF EXISTS " + view);
            }
            statement.execute(Schema.versionRow(4));
        }
    }

    /*
     * A new table, empty: no alert was stored before version 5. Its view is made by the caller with the others.
     */
    private static void migrate4To5(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            statement.execute(V5_ALERT_DDL);
            statement.execute(Schema.versionRow(5));
        }
    }

    private static void rebuild(
        final Statement statement, final String table, final String ddl, final String select) throws SQLException
    {
        rebuild(statement, table, ddl, select, "v1");
    }

    /*
     * Renames the table to table_FROM (the select reads it under that name), creates it anew and copies every row.
     */
    private static void rebuild(
        final Statement statement, final String table, final String ddl, final String select, final String from)
        throws SQLException
    {
        final long before = count(statement, table);
        statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_" + from);
        statement.execute(ddl);
        statement.execute("INSERT INTO " + table + " " + select);
        final long after = count(statement, table);
        if (after != before)
        {
            throw new SQLException("migrating " + table + " from " + from + " kept " + after + " of " + before +
                " rows");
        }
        statement.execute("DROP TABLE " + table + "_" + from);
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
