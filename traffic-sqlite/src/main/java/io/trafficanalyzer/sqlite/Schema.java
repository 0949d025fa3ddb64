package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The current schema (version {@value #VERSION}): its tables, the contract views generated over them, the version
 * checks done before anything is written, and creation of a new store. See the module's README for the contract.
 */
final class Schema
{
    static final int VERSION = 5;

    /** "TRAF": marks the file as a traffic store for tools such as {@code file(1)}, and lets us refuse others. */
    static final int APPLICATION_ID = 0x54524146;

    /** Identifier of the folded-peer entry ('*') of the address dictionary. */
    static final long FOLDED_PEER_ID = 0;

    /** The views of the statistics; the alerts' view is {@link AlertEvents#VIEW}. */
    static final String[] VIEW_NAMES = { "host_traffic", "port_traffic", "peer_traffic", "bucket_quality" };

    static final String SCHEMA_VERSION_DDL =
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";

    static final String GRANULARITY_DDL =
        "CREATE TABLE granularity (level INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, " +
        "bucket_seconds INTEGER NOT NULL, complete_until INTEGER NOT NULL, kept_from INTEGER NOT NULL)";

    static final String[] GRANULARITY_ROWS = {
        "INSERT INTO granularity VALUES (0, 'raw', 0, 0, 0)",
        "INSERT INTO granularity VALUES (1, 'minute', 60, 0, 0)",
        "INSERT INTO granularity VALUES (2, 'hour', 3600, 0, 0)",
        "INSERT INTO granularity VALUES (3, 'day', 86400, 0, 0)" };

    static final String AGENT_DDL =
        "CREATE TABLE agent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)";

    static final String STREAM_DDL =
        "CREATE TABLE stream (id INTEGER PRIMARY KEY, agent_id INTEGER NOT NULL, identity TEXT NOT NULL, " +
        "label TEXT NOT NULL, UNIQUE (agent_id, identity))";

    /**
     * A contribution's id is its number within its bucket (1 for the first): the rows that carry it then store the
     * usual id, 1, in no payload byte, where a number global to the store would take three bytes within days.
     */
    static final String CONTRIBUTION_DDL =
        "CREATE TABLE contribution (bucket_start INTEGER NOT NULL, id INTEGER NOT NULL, stream_id INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, part INTEGER NOT NULL, level INTEGER NOT NULL, rows INTEGER NOT NULL, " +
        "committed_at INTEGER NOT NULL, PRIMARY KEY (bucket_start, id), UNIQUE (stream_id, bucket_start, part)) " +
        "WITHOUT ROWID";

    /** Who wrote a row: after the view's key in every stats table, so that grouping by the key follows the index. */
    private static final String WRITER_COLUMNS = "agent_id INTEGER NOT NULL, contribution_id INTEGER NOT NULL";

    static final String QUALITY_DDL =
        "CREATE TABLE quality_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, " + WRITER_COLUMNS + ", frames INTEGER NOT NULL, " +
        "packets INTEGER NOT NULL, bytes INTEGER NOT NULL, transit_packets INTEGER NOT NULL, " +
        "transit_bytes INTEGER NOT NULL, late_packets INTEGER NOT NULL, ring_drops INTEGER NOT NULL, " +
        "kernel_drops INTEGER NOT NULL, folded_keys INTEGER NOT NULL, complete INTEGER NOT NULL, " +
        "PRIMARY KEY (level, bucket_start, agent_id, contribution_id)) WITHOUT ROWID";

    static final String OUTCOME_DDL =
        "CREATE TABLE quality_outcome (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "outcome TEXT NOT NULL, " + WRITER_COLUMNS + ", frames INTEGER NOT NULL, " +
        "PRIMARY KEY (level, bucket_start, outcome, agent_id, contribution_id)) WITHOUT ROWID";

    static final String PRUNE_EVENT_DDL =
        "CREATE TABLE prune_event (id INTEGER PRIMARY KEY, at TEXT NOT NULL, reason TEXT NOT NULL, " +
        "level INTEGER NOT NULL, from_start INTEGER NOT NULL, to_start INTEGER NOT NULL)";

    static final String ADDRESS_DDL =
        "CREATE TABLE address (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL UNIQUE, text TEXT NOT NULL UNIQUE)";

    static final String FOLDED_PEER_ROW = "INSERT INTO address (id, bytes, text) VALUES (0, X'', '*')";

    private static final String MEASURE_COLUMNS =
        "in_bytes INTEGER NOT NULL, in_packets INTEGER NOT NULL, out_bytes INTEGER NOT NULL, " +
        "out_packets INTEGER NOT NULL";

    static final String HOST_DDL =
        "CREATE TABLE host_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, protocol INTEGER NOT NULL, " + WRITER_COLUMNS +
        ", " + MEASURE_COLUMNS + ", PRIMARY KEY (level, bucket_start, host_id, protocol, agent_id, contribution_id)) " +
        "WITHOUT ROWID";

    static final String PORT_DDL =
        "CREATE TABLE port_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, protocol INTEGER NOT NULL, " +
        "port INTEGER NOT NULL, served INTEGER NOT NULL, " + WRITER_COLUMNS + ", " + MEASURE_COLUMNS +
        ", PRIMARY KEY (level, bucket_start, host_id, protocol, port, served, agent_id, contribution_id)) " +
        "WITHOUT ROWID";

    static final String PEER_DDL =
        "CREATE TABLE peer_stats (level INTEGER NOT NULL, bucket_start INTEGER NOT NULL, " +
        "bucket_seconds INTEGER NOT NULL, host_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, " +
        "protocol INTEGER NOT NULL, " + WRITER_COLUMNS + ", " + MEASURE_COLUMNS +
        ", PRIMARY KEY (level, bucket_start, host_id, peer_id, protocol, agent_id, contribution_id)) WITHOUT ROWID";

    private static final String TIME = "strftime('%Y-%m-%dT%H:%M:%SZ', s.bucket_start, 'unixepoch') AS time, " +
        "s.bucket_start AS bucket_start, MAX(s.bucket_seconds) AS bucket_seconds, a.name AS agent";
    private static final String AGENT = " JOIN agent a ON a.id = s.agent_id";
    private static final String PROTOCOL = "CASE s.protocol WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 1 THEN 'icmp' " +
        "WHEN 58 THEN 'icmpv6' ELSE 'other' END AS protocol";
    private static final String MEASURES = "SUM(s.in_bytes) AS in_bytes, SUM(s.in_packets) AS in_packets, " +
        "SUM(s.out_bytes) AS out_bytes, SUM(s.out_packets) AS out_packets";
    private static final int LEVELS = 4;

    private Schema()
    {
    }

    /*
     * The statements that create an empty store of the current version, in order.
     */
    static List<String> createStatements()
    {
        final List<String> statements = new ArrayList<>();
        statements.add(SCHEMA_VERSION_DDL);
        statements.add(GRANULARITY_DDL);
        statements.addAll(List.of(GRANULARITY_ROWS));
        statements.add(AGENT_DDL);
        statements.add(STREAM_DDL);
        statements.add(CONTRIBUTION_DDL);
        statements.add(ADDRESS_DDL);
        statements.add(FOLDED_PEER_ROW);
        statements.add(HOST_DDL);
        statements.add(PORT_DDL);
        statements.add(PEER_DDL);
        statements.add(QUALITY_DDL);
        statements.add(OUTCOME_DDL);
        statements.add(PRUNE_EVENT_DDL);
        statements.add(AlertEvents.TABLE_DDL);
        statements.addAll(viewStatements());
        statements.add(AlertEvents.VIEW_DDL);
        statements.add(versionRow(VERSION));

        return statements;
    }

    /*
     * Makes an empty database a complete store: the header settings (which must precede the first table), every
     * table and view in one transaction, then WAL mode, set last so that closing the connection leaves no log.
     */
    static void create(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            // lets pruning give pages back to the file system
            statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
            statement.execute("PRAGMA application_id = " + APPLICATION_ID);
            statement.execute("BEGIN IMMEDIATE");
            try
            {
                for (final String sql : createStatements())
                {
                    statement.execute(sql);
                }
                statement.execute("COMMIT");
            }
            catch (final SQLException | RuntimeException ex)
            {
                statement.execute("ROLLBACK");
                throw ex;
            }
            statement.execute("PRAGMA journal_mode = WAL");
        }
    }

    static String versionRow(final int version)
    {
        return "INSERT INTO schema_version (version, applied_at) VALUES (" + version +
            ", strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
    }

    /*
     * The CREATE VIEW statements of the contract, in {@link #VIEW_NAMES} order. Each view row sums the rows of every
     * contribution of one agent to its key and bucket, grouped in the order of the tables' primary keys (the agent
     * last) so that no sort is needed. The quality view has one column per non-decoded {@link FrameOutcome}, so it is generated from
     * the enum and recreated when the enum grows.
     */
    static List<String> viewStatements()
    {
        final String hostSelect = "SELECT " + TIME + ", h.text AS host, " + PROTOCOL + ", " + MEASURES +
            " FROM host_stats s" + AGENT + " JOIN address h ON h.id = s.host_id";
        final String portSelect = "SELECT " + TIME + ", h.text AS host, " + PROTOCOL +
            ", s.port AS port, s.served AS served, " + MEASURES +
            " FROM port_stats s" + AGENT + " JOIN address h ON h.id = s.host_id";
        final String peerSelect = "SELECT " + TIME + ", h.text AS host, p.text AS peer, " + PROTOCOL + ", " +
            MEASURES + " FROM peer_stats s" + AGENT +
            " JOIN address h ON h.id = s.host_id JOIN address p ON p.id = s.peer_id";

        final String[] quality = new String[LEVELS];
        for (int level = 0; level < LEVELS; level++)
        {
            final StringBuilder select = new StringBuilder("SELECT ").append(TIME)
                .append(", SUM(s.frames) AS frames, SUM(s.packets) AS packets, SUM(s.bytes) AS bytes, ")
                .append("SUM(s.transit_packets) AS transit_packets, SUM(s.transit_bytes) AS transit_bytes");
            for (final String label : outcomeLabels())
            {
                select.append(", COALESCE((SELECT SUM(o.frames) FROM quality_outcome o WHERE o.level = ")
                    .append(level).append(" AND o.bucket_start = s.bucket_start AND o.outcome = '").append(label)
                    .append("' AND o.agent_id = s.agent_id), 0) AS ").append(label);
            }
            select.append(", SUM(s.late_packets) AS late_packets, SUM(s.ring_drops) AS ring_drops, ")
                .append("SUM(s.kernel_drops) AS kernel_drops, SUM(s.folded_keys) AS folded_keys, ")
                .append("MIN(s.complete) AS complete FROM quality_stats s").append(AGENT);
            quality[level] = select.toString();
        }

        return List.of(
            view(VIEW_NAMES[0], level -> hostSelect, "s.host_id, s.protocol, "),
            view(VIEW_NAMES[1], level -> portSelect, "s.host_id, s.protocol, s.port, s.served, "),
            view(VIEW_NAMES[2], level -> peerSelect, "s.host_id, s.peer_id, s.protocol, "),
            view(VIEW_NAMES[3], level -> quality[level], ""));
    }

    /*
     * Labels of the outcomes that get a column in bucket_quality: non-IP first, then every malformed reason.
     */
    static List<String> outcomeLabels()
    {
        final List<String> labels = new ArrayList<>();
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            if (outcome != FrameOutcome.DECODED)
            {
                labels.add(outcome.label());
            }
        }

        return labels;
    }

    /*
     * A view is the union of one aggregate per granularity level: every raw bucket, and the buckets of a coarser
     * level only for the periods the next finer level no longer keeps, so that no period is ever shown twice. Each
     * groups by bucket_start, the view's key and the agent (a prefix of the primary key after level), so that a range
     * on bucket_start given to the view reaches the index.
     */
    private static String view(final String name, final IntFunction<String> select, final String key)
    {
        final StringBuilder sql = new StringBuilder("CREATE VIEW ").append(name).append(" AS ");
        for (int level = 0; level < LEVELS; level++)
        {
            sql.append(level == 0 ? "" : " UNION ALL ").append(select.apply(level))
                .append(" WHERE s.level = ").append(level);
            if (level > 0)
            {
                sql.append(" AND s.bucket_start < (SELECT g.kept_from FROM granularity g WHERE g.level = ")
                    .append(level - 1).append(')');
            }
            sql.append(" GROUP BY s.bucket_start, ").append(key).append("s.agent_id");
        }

        return sql.toString();
    }

    /*
     * The schema version of an open database: 0 for an empty file, -1 for a database that is not a traffic store.
     */
    static int version(final Connection connection) throws SQLException
    {
        try (Statement statement = connection.createStatement())
        {
            final int applicationId;
            try (ResultSet result = statement.executeQuery("PRAGMA application_id"))
            {
                applicationId = result.next() ? result.getInt(1) : 0;
            }

            final boolean empty;
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM sqlite_master"))
            {
                empty = result.next() && result.getLong(1) == 0;
            }
            if (empty && applicationId == 0)
            {
                return 0;
            }
            if (applicationId != APPLICATION_ID)
            {
                return -1;
            }

            try (ResultSet result = statement.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"))
            {
                if (!result.next() || result.getLong(1) == 0)
                {
                    return -1;
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT MAX(version) FROM schema_version"))
            {
                return result.next() ? result.getInt(1) : -1;
            }
        }
    }

    /*
     * Refuses a database this library cannot read: not a traffic store, or written by a newer version.
     */
    static void checkNotNewer(final Path path, final int version)
    {
        if (version < 0)
        {
            throw new SqliteStoreException(path, "not a traffic store (no schema_version table or a foreign " +
                "application_id); refusing to touch it", null);
        }
        if (version > VERSION)
        {
            throw new SqliteStoreException(path, "written by schema version " + version + " but this library " +
                "knows versions up to " + VERSION + "; refusing to open it (left untouched): upgrade the library",
                null);
        }
    }

    /*
     * Creates the views that are missing or whose definition differs from {@link #viewStatements()}.
     */
    static boolean ensureViews(final Connection connection) throws SQLException
    {
        final List<String> names = new ArrayList<>(List.of(VIEW_NAMES));
        names.add(AlertEvents.VIEW);
        final List<String> wanted = new ArrayList<>(viewStatements());
        wanted.add(AlertEvents.VIEW_DDL);
        boolean changed = false;
        try (PreparedStatement select = connection.prepareStatement(
            "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?");
            Statement statement = connection.createStatement())
        {
            for (int i = 0; i < names.size(); i++)
            {
                select.setString(1, names.get(i));
                final String existing;
                try (ResultSet result = select.executeQuery())
                {
                    existing = result.next() ? result.getString(1) : null;
                }
                if (!wanted.get(i).equals(existing))
                {
                    statement.execute("DROP VIEW IF EXISTS " + names.get(i));
                    statement.execute(wanted.get(i));
                    changed = true;
                }
            }
        }

        return changed;
    }
}
