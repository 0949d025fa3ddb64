package io.trafficanalyzer.web.query;

import io.trafficanalyzer.sqlite.SqliteStoreException;
import io.trafficanalyzer.sqlite.TrafficStore;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A store opened read-only for the query documents of the command line and the web API: the library's
 * {@link TrafficStore} for what it answers, and plain SQL on the documented views (the schema contract) for the rest:
 * the stored time span, the per-link breakdowns and the data quality. Every answer is of one agent's rows when an
 * agent is given, else of every agent's summed. Every parameter is bound, never concatenated into SQL. Methods are
 * synchronized: one instance may be shared by threads.
 */
public final class StoreReader implements AutoCloseable
{
    private static final String SUMS =
        "SUM(in_bytes), SUM(in_packets), SUM(out_bytes), SUM(out_packets)";
    // an agent of null (bound twice) keeps every agent's rows
    private static final String RANGE = "bucket_start >= ? AND bucket_start < ? AND (? IS NULL OR agent = ?)";

    private final Path path;
    private final TrafficStore store;
    private final Connection connection;

    private StoreReader(final Path path, final TrafficStore store, final Connection connection)
    {
        this.path = path;
        this.store = store;
        this.connection = connection;
    }

    /**
     * Open a store read-only; a missing or unreadable file is the {@code db} parameter's fault.
     *
     * @param path   the database file.
     * @param prefix what precedes the parameter's name in messages: {@code "--"} for options, {@code ""} for the API.
     * @return the open store.
     * @throws QueryException when the file is missing, not a store, or cannot be read.
     */
    public static StoreReader open(final Path path, final String prefix)
    {
        if (!Files.exists(path))
        {
            throw QueryException.badParameter(
                "db", prefix + "db=" + path + ": no such file (write one with 'replay' or 'capture')");
        }

        final TrafficStore store;
        try
        {
            store = TrafficStore.open(path);
        }
        catch (final SqliteStoreException ex)
        {
            throw QueryException.badParameter("db", prefix + "db=" + path + ": " + ex.reason(), ex);
        }

        try
        {
            final SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5000);
            final Connection connection = config.createConnection("jdbc:sqlite:" + store.path());
            return new StoreReader(store.path(), store, connection);
        }
        catch (final SQLException ex)
        {
            store.close();
            throw QueryException.unreadable(path + ": cannot read the store: " + ex.getMessage(), ex);
        }
    }

    /**
     * The database file.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * The library's typed queries over the same file.
     *
     * @return the store.
     */
    public TrafficStore store()
    {
        return store;
    }

    /**
     * Refuse an agent the store never heard of: a typo, not an empty answer; the message says which agents it knows.
     *
     * @param agent  the agent asked for, or null for every agent (always accepted).
     * @param prefix what precedes the parameter's name in messages: {@code "--"} for options, {@code ""} for the API.
     * @throws QueryException naming the {@code agent} parameter when the store holds no row of that agent.
     */
    public synchronized void checkAgent(final String agent, final String prefix)
    {
        if (null == agent)
        {
            return;
        }
        final List<String> agents = store.agents();
        if (!agents.contains(agent))
        {
            throw QueryException.badParameter("agent", prefix + "agent=" + agent + ": no such agent in " + path +
                (agents.isEmpty() ? " (it holds none yet)" : "; its agents: " + String.join(", ", agents)));
        }
    }

    /**
     * The time the store (the agent's rows of it, when one is given) covers: the first bucket's start, the newest
     * bucket's end, the finest bucket width.
     *
     * @param agent only this agent's rows, or null for every agent's.
     * @return the span, or null when the store holds no bucket yet.
     */
    public synchronized Span span(final String agent)
    {
        final String sql = "SELECT MIN(bucket_start), MAX(bucket_start + bucket_seconds), MIN(bucket_seconds) " +
            "FROM bucket_quality WHERE ? IS NULL OR agent = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            statement.setString(1, agent);
            statement.setString(2, agent);
            try (ResultSet result = statement.executeQuery())
            {
                result.next();
                final long start = result.getLong(1);
                if (result.wasNull())
                {
                    return null;
                }
                return new Span(Instant.ofEpochSecond(start), Instant.ofEpochSecond(result.getLong(2)),
                    result.getLong(3));
            }
        }
        catch (final SQLException ex)
        {
            throw failure("the stored time span", ex);
        }
    }

    /*
     * The (host, protocol, port, role) keys that moved the most bytes, all hosts together.
     */
    synchronized List<Object[]> topPorts(final String agent, final Instant from, final Instant to, final int limit)
    {
        return query("top ports",
            "SELECT host, protocol, port, served, " + SUMS + " FROM port_traffic WHERE " + RANGE +
            " GROUP BY host, protocol, port, served" +
            " ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, host, protocol, port, served LIMIT ?",
            4, from.getEpochSecond(), to.getEpochSecond(), agent, agent, limit);
    }

    /*
     * The (host, peer) pairs that exchanged the most bytes, all hosts together.
     */
    synchronized List<Object[]> topPeers(final String agent, final Instant from, final Instant to, final int limit)
    {
        return query("top peers",
            "SELECT host, peer, " + SUMS + " FROM peer_traffic WHERE " + RANGE +
            " GROUP BY host, peer ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, host, peer LIMIT ?",
            2, from.getEpochSecond(), to.getEpochSecond(), agent, agent, limit);
    }

    /*
     * One host's traffic by protocol.
     */
    synchronized List<Object[]> hostProtocols(
        final String agent, final String host, final Instant from, final Instant to, final int limit)
    {
        return query("protocols of " + host,
            "SELECT protocol, " + SUMS + " FROM host_traffic WHERE host = ? AND " + RANGE +
            " GROUP BY protocol ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, protocol LIMIT ?",
            1, host, from.getEpochSecond(), to.getEpochSecond(), agent, agent, limit);
    }

    /*
     * What all local hosts together received and sent, per step: {step start, in bytes, in packets, out bytes,
     * out packets}.
     */
    synchronized List<Object[]> linkInOut(
        final String agent, final Instant from, final Instant to, final long stepSeconds)
    {
        return query("link in/out series",
            "SELECT (bucket_start / ?) * ? AS step_start, " + SUMS + " FROM host_traffic WHERE " + RANGE +
            " GROUP BY step_start ORDER BY step_start",
            1, stepSeconds, stepSeconds, from.getEpochSecond(), to.getEpochSecond(), agent, agent);
    }

    /*
     * The width of the finest bucket stored in a range, 0 when it holds none.
     */
    synchronized long finestBucketSeconds(final String agent, final Instant from, final Instant to)
    {
        final List<Object[]> rows = query("bucket widths",
            "SELECT MIN(bucket_seconds) FROM bucket_quality WHERE " + RANGE, 1,
            from.getEpochSecond(), to.getEpochSecond(), agent, agent);
        return rows.isEmpty() || null == rows.get(0)[0] ? 0 : ((Number)rows.get(0)[0]).longValue();
    }

    /*
     * The widest stored bucket per step: {step start, width in seconds}. A step finer than the buckets kept for a
     * period holds whole buckets, so its rate must be taken over the bucket's width, not the step's.
     */
    synchronized List<Object[]> widestBuckets(
        final String agent, final Instant from, final Instant to, final long stepSeconds)
    {
        return query("bucket widths",
            "SELECT (bucket_start / ?) * ? AS step_start, MAX(bucket_seconds) FROM bucket_quality WHERE " + RANGE +
            " GROUP BY step_start ORDER BY step_start",
            1, stepSeconds, stepSeconds, from.getEpochSecond(), to.getEpochSecond(), agent, agent);
    }

    /*
     * The data quality per step: {step start, frames, packets, bytes, non-IP, malformed, late, ring drops, kernel
     * drops, folded, complete, widest bucket}; malformed sums the reasons the schema documents.
     */
    synchronized List<Object[]> quality(
        final String agent, final Instant from, final Instant to, final long stepSeconds)
    {
        return query("data quality",
            "SELECT (bucket_start / ?) * ? AS step_start, SUM(frames), SUM(packets), SUM(bytes), SUM(non_ip), " +
            "SUM(unsupported_link_type + truncated_link_header + bad_ip_version + bad_ip_header_length + " +
            "truncated_ip_header + truncated_extension_header + truncated_transport_header), SUM(late_packets), " +
            "SUM(ring_drops), SUM(kernel_drops), SUM(folded_keys), MIN(complete), MAX(bucket_seconds) " +
            "FROM bucket_quality WHERE " + RANGE + " GROUP BY step_start ORDER BY step_start",
            0, stepSeconds, stepSeconds, from.getEpochSecond(), to.getEpochSecond(), agent, agent);
    }

    /*
     * What all local hosts together (or one host) received and sent per stored bucket, at the finest granularity the
     * views keep for each period: {bucket start, bucket seconds, in bytes, out bytes}. Agents whose buckets differ in
     * width at one start give a row each.
     */
    synchronized List<Object[]> bucketInOut(
        final String agent, final String host, final Instant from, final Instant to)
    {
        return query("in/out per bucket",
            "SELECT bucket_start, bucket_seconds, SUM(in_bytes), SUM(out_bytes) FROM host_traffic WHERE " + RANGE +
            " AND (? IS NULL OR host = ?) GROUP BY bucket_start, bucket_seconds ORDER BY bucket_start",
            0, from.getEpochSecond(), to.getEpochSecond(), agent, agent, host, host);
    }

    /*
     * The widest stored bucket of a range, 0 when it holds none.
     */
    synchronized long widestBucketSeconds(final String agent, final Instant from, final Instant to)
    {
        final List<Object[]> rows = query("bucket widths",
            "SELECT MAX(bucket_seconds) FROM bucket_quality WHERE " + RANGE, 1,
            from.getEpochSecond(), to.getEpochSecond(), agent, agent);
        return rows.isEmpty() || null == rows.get(0)[0] ? 0 : ((Number)rows.get(0)[0]).longValue();
    }

    /*
     * Where each granularity's rows begin, finest first (raw, minute, hour, day): {name, kept from in epoch seconds}.
     * The views read the same table to show each period once, at the finest level that still keeps it.
     */
    synchronized List<Object[]> granularities()
    {
        return query("granularities", "SELECT name, kept_from FROM granularity ORDER BY level", 1);
    }

    /**
     * Close the store.
     */
    public synchronized void close()
    {
        try
        {
            connection.close();
        }
        catch (final SQLException ignore)
        {
            // read-only: nothing to lose
        }
        store.close();
    }

    /*
     * Rows of text keys followed by long measures: the first `keys` columns are read as they are (text or integer),
     * the others as longs.
     */
    private List<Object[]> query(final String what, final String sql, final int keys, final Object... parameters)
    {
        try (PreparedStatement statement = connection.prepareStatement(sql))
        {
            for (int i = 0; i < parameters.length; i++)
            {
                statement.setObject(i + 1, parameters[i]);
            }
            final List<Object[]> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery())
            {
                final int columns = result.getMetaData().getColumnCount();
                while (result.next())
                {
                    final Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++)
                    {
                        row[c] = c < keys ? result.getObject(c + 1) : Long.valueOf(result.getLong(c + 1));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
        catch (final SQLException ex)
        {
            throw failure(what, ex);
        }
    }

    private QueryException failure(final String what, final SQLException ex)
    {
        return QueryException.unreadable(path + ": cannot read " + what + ": " + ex.getMessage(), ex);
    }

    /**
     * The time a store covers.
     *
     * @param start         the first bucket's start.
     * @param end           the newest bucket's end: the store's "now".
     * @param finestSeconds the narrowest stored bucket.
     */
    public record Span(Instant start, Instant end, long finestSeconds)
    {
    }
}
