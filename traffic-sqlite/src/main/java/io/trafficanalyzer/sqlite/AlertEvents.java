package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.alert.Alert;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored alerts: the {@code alert_event} table and its {@code alert_history} view, writing one alert (raised or
 * cleared) on a connection of its own, since alerts arrive on the alert thread, not the sink's, and reading them back
 * for {@link TrafficStore#alerts}.
 * <p>
 * An alert is stored once: a retried one (same agent, rule, subject, state and time) is ignored.
 */
final class AlertEvents implements AutoCloseable
{
    static final String VIEW = "alert_history";

    static final String TABLE_DDL = SchemaMigrations.V5_ALERT_DDL;

    static final String VIEW_DDL = "CREATE VIEW " + VIEW + " AS SELECT " +
        "strftime('%Y-%m-%dT%H:%M:%SZ', e.at, 'unixepoch') AS time, e.at AS at, a.name AS agent, e.rule AS rule, " +
        "e.state AS state, e.subject AS subject, e.metric AS metric, e.direction AS direction, e.view AS view, " +
        "e.value AS value, e.bound AS bound, e.clear_level AS clear_level, e.unit AS unit, " +
        "e.window_seconds AS window_seconds, strftime('%Y-%m-%dT%H:%M:%SZ', e.raised_at, 'unixepoch') AS raised, " +
        "e.raised_at AS raised_at FROM alert_event e JOIN agent a ON a.id = e.agent_id";

    private static final String INSERT = "INSERT OR IGNORE INTO alert_event (agent_id, rule, state, subject, metric, " +
        "direction, view, value, bound, clear_level, unit, window_seconds, at, raised_at) " +
        "SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM agent WHERE name = ?";

    private static final String SELECT = "SELECT agent, rule, state, subject, metric, direction, view, value, bound, " +
        "clear_level, unit, window_seconds, at, raised_at FROM " + VIEW + " WHERE at >= ? AND at < ? " +
        "ORDER BY at DESC, rule, subject, state DESC LIMIT ?";

    private final Path path;
    private final int busyTimeoutMs;
    private Connection connection;

    AlertEvents(final Path path, final int busyTimeoutMs)
    {
        this.path = path;
        this.busyTimeoutMs = busyTimeoutMs;
    }

    /*
     * One transaction: the agent's name in the dictionary, then the alert.
     */
    synchronized void store(final Alert alert) throws SqliteStoreException
    {
        try
        {
            if (null == connection)
            {
                connection = SqliteFiles.openWriter(path, busyTimeoutMs);
            }
            try (Statement statement = connection.createStatement();
                PreparedStatement agent = connection.prepareStatement("INSERT OR IGNORE INTO agent (name) VALUES (?)");
                PreparedStatement insert = connection.prepareStatement(INSERT))
            {
                statement.execute("BEGIN IMMEDIATE");
                try
                {
                    agent.setString(1, alert.agent());
                    agent.executeUpdate();
                    int i = 1;
                    insert.setString(i++, alert.rule());
                    insert.setString(i++, alert.state());
                    insert.setString(i++, alert.subject());
                    insert.setString(i++, alert.metric());
                    insert.setString(i++, alert.direction());
                    insert.setString(i++, alert.view());
                    insert.setDouble(i++, alert.value());
                    insert.setDouble(i++, alert.bound());
                    insert.setDouble(i++, alert.clear());
                    insert.setString(i++, alert.unit());
                    insert.setLong(i++, alert.windowSeconds());
                    insert.setLong(i++, alert.atEpochSecond());
                    insert.setLong(i++, alert.raisedEpochSecond());
                    insert.setString(i, alert.agent());
                    insert.executeUpdate();
                    statement.execute("COMMIT");
                }
                catch (final SQLException | RuntimeException ex)
                {
                    statement.execute("ROLLBACK");
                    throw ex;
                }
            }
        }
        catch (final SQLException ex)
        {
            close();
            throw new SqliteStoreException(path, "cannot store the alert '" + alert.message() + "': " +
                ex.getMessage(), ex);
        }
    }

    static List<StoredAlert> query(final Connection connection, final Instant from, final Instant to, final int limit)
        throws SQLException
    {
        final List<StoredAlert> alerts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT))
        {
            select.setLong(1, from.getEpochSecond());
            select.setLong(2, to.getEpochSecond());
            select.setInt(3, limit);
            try (ResultSet r = select.executeQuery())
            {
                while (r.next())
                {
                    alerts.add(new StoredAlert(Instant.ofEpochSecond(r.getLong(13)), r.getString(1), r.getString(2),
                        r.getString(3), r.getString(4), r.getString(5), r.getString(6), r.getString(7),
                        r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getString(11), r.getLong(12),
                        Instant.ofEpochSecond(r.getLong(14))));
                }
            }
        }
        return alerts;
    }

    public synchronized void close()
    {
        if (null != connection)
        {
            try
            {
                connection.close();
            }
            catch (final SQLException ex)
            {
                // nothing is pending: every store commits or rolls back before it returns
            }
            connection = null;
        }
    }
}
