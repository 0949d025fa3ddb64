package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsRow;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, read-only queries over a store written by {@link SqliteSink}: top hosts, top ports and peers of a host, time
 * series and totals for a time range, of every agent that wrote to the store together or of one of them.
 * <p>
 * Queries read the contract views, so each period is answered from the finest granularity still kept for it (raw
 * buckets, then minute, hour and day rollups). A stored bucket belongs to a range [from, to) when its start does.
 * Parameters are always bound, never concatenated into SQL. Reading never blocks the sink: the store is in WAL mode
 * and each query sees the last committed state. Methods are synchronized: one instance may be shared by threads.
 * <pre>{@code
 * try (TrafficStore store = TrafficStore.open(Path.of("/var/lib/traffic/traffic.db")))
 * {
 *     Instant to = Instant.now();
 *     for (HostTraffic host : store.topHosts(to.minus(Duration.ofHours(1)), to, 10))
 *     {
 *         System.out.println(host.host() + " " + host.bytes());
 *     }
 * }
 * }</pre>
 */
public final class TrafficStore implements AutoCloseable
{
    private static final String SUMS =
        "SUM(in_bytes), SUM(in_packets), SUM(out_bytes), SUM(out_packets)";
    // an agent of null (bound twice) keeps every agent's rows
    private static final String RANGE = "bucket_start >= ? AND bucket_start < ? AND (? IS NULL OR agent = ?)";
    private static final String TOP_HOSTS = "SELECT host, " + SUMS + " FROM host_traffic WHERE " + RANGE +
        " GROUP BY host ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, host LIMIT ?";
    private static final String TOP_PORTS = "SELECT protocol, port, served, " + SUMS +
        " FROM port_traffic WHERE host = ? AND " + RANGE +
        " GROUP BY protocol, port, served ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, protocol, port, served LIMIT ?";
    private static final String TOP_PEERS = "SELECT peer, " + SUMS + " FROM peer_traffic WHERE host = ? AND " + RANGE +
        " GROUP BY peer ORDER BY SUM(in_bytes) + SUM(out_bytes) DESC, peer LIMIT ?";
    private static final String HOST_SERIES = "SELECT (bucket_start / ?) * ? AS step_start, " + SUMS +
        " FROM host_traffic WHERE host = ? AND " + RANGE + " GROUP BY step_start ORDER BY step_start";
    private static final String LINK_SERIES = "SELECT (bucket_start / ?) * ? AS step_start, SUM(packets), " +
        "SUM(bytes), MIN(complete) FROM bucket_quality WHERE " + RANGE + " GROUP BY step_start ORDER BY step_start";
    private static final String AGENTS = "SELECT name FROM agent ORDER BY name";

    private final Path path;
    private final Connection connection;
    private final PreparedStatement topHosts;
    private final PreparedStatement topPorts;
    private final PreparedStatement topPeers;
    private final PreparedStatement hostSeries;
    private final PreparedStatement linkSeries;
    private final PreparedStatement totals;
    private final PreparedStatement agents;

    private TrafficStore(final Path path, final Connection connection) throws SQLException
    {
        this.path = path;
        this.connection = connection;
        topHosts = connection.prepareStatement(TOP_HOSTS);
        topPorts = connection.prepareStatement(TOP_PORTS);
        topPeers = connection.prepareStatement(TOP_PEERS);
        hostSeries = connection.prepareStatement(HOST_SERIES);
        linkSeries = connection.prepareStatement(LINK_SERIES);
        totals = connection.prepareStatement(totalsSql(connection));
        agents = connection.prepareStatement(AGENTS);
    }

    /**
     * Opens a store read-only, waiting up to 5 s for a lock.
     *
     * @param path the database file.
     * @return the open store.
     * @throws SqliteStoreException when the file is missing, not a store, or of another schema version.
     */
    public static TrafficStore open(final Path path)
    {
        return open(path, Duration.ofSeconds(5));
    }

    /**
     * Opens a store read-only.
     *
     * @param path        the database file.
     * @param busyTimeout how long a query waits for a lock (only while a WAL checkpoint resets the log).
     * @return the open store.
     * @throws SqliteStoreException when the file is missing, not a store, or of another schema version.
     */
    public static TrafficStore open(final Path path, final Duration busyTimeout)
    {
        final Path file = SqliteFiles.normalise(path);
        final Connection connection = SqliteFiles.openReader(file, (int)Math.min(busyTimeout.toMillis(),
            Integer.MAX_VALUE));
        try
        {
            final int version = Schema.version(connection);
            Schema.checkNotNewer(file, version);
            if (0 == version)
            {
                throw new SqliteStoreException(file, "an empty database, not yet a traffic store: nothing has " +
                    "been written to it", null);
            }
            if (version != Schema.VERSION)
            {
                throw new SqliteStoreException(file, "schema version " + version + " is older than " +
                    Schema.VERSION + ": the first run that writes to it (replay, capture) upgrades it", null);
            }
            try (Statement statement = connection.createStatement())
            {
                statement.execute("PRAGMA query_only = 1");
            }
            return new TrafficStore(file, connection);
        }
        catch (final SQLException | RuntimeException ex)
        {
            try
            {
                connection.close();
            }
            catch (final SQLException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            if (ex instanceof SqliteStoreException)
            {
                throw (SqliteStoreException)ex;
            }
            throw new SqliteStoreException(file, "cannot read the store: " + ex.getMessage(), ex);
        }
    }

    /**
     * The database file.
     *
     * @return the absolute path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * The agents (analyzer instances) that wrote to the store.
     *
     * @return their names, sorted.
     */
    public synchronized List<String> agents()
    {
        try
        {
            final List<String> names = new ArrayList<>();
            try (ResultSet result = agents.executeQuery())
            {
                while (result.next())
                {
                    names.add(result.getString(1));
                }
            }
            return names;
        }
        catch (final SQLException ex)
        {
            throw failure("agents", ex);
        }
    }

    /**
     * The hosts that moved the most bytes (in + out) in a time range, every agent's traffic summed.
     *
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most hosts to return.
     * @return the hosts, most bytes first (then by address text).
     */
    public List<HostTraffic> topHosts(final Instant from, final Instant to, final int limit)
    {
        return topHosts(null, from, to, limit);
    }

    /**
     * The hosts that moved the most bytes (in + out) in a time range, as one agent or all agents together saw them: a
     * host that two agents saw counts with the sum of both.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most hosts to return.
     * @return the hosts, most bytes first (then by address text).
     */
    public synchronized List<HostTraffic> topHosts(
        final String agent, final Instant from, final Instant to, final int limit)
    {
        checkRange(from, to);
        checkLimit(limit);
        try
        {
            final int i = bindRange(topHosts, 1, from, to, agent);
            topHosts.setInt(i, limit);
            final List<HostTraffic> hosts = new ArrayList<>();
            try (ResultSet result = topHosts.executeQuery())
            {
                while (result.next())
                {
                    hosts.add(new HostTraffic(result.getString(1), result.getLong(2), result.getLong(3),
                        result.getLong(4), result.getLong(5)));
                }
            }
            return hosts;
        }
        catch (final SQLException ex)
        {
            throw failure("top hosts", ex);
        }
    }

    /**
     * The service ports of a host that moved the most bytes in a time range, every agent's traffic summed.
     *
     * @param host  the host's address as text, as the views show it.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most ports to return.
     * @return the ports, most bytes first.
     */
    public List<PortTraffic> topPorts(final String host, final Instant from, final Instant to, final int limit)
    {
        return topPorts(null, host, from, to, limit);
    }

    /**
     * The service ports of a host that moved the most bytes in a time range, as one agent or all agents saw them.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param host  the host's address as text, as the views show it.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most ports to return.
     * @return the ports, most bytes first.
     */
    public synchronized List<PortTraffic> topPorts(
        final String agent, final String host, final Instant from, final Instant to, final int limit)
    {
        checkHost(host);
        checkRange(from, to);
        checkLimit(limit);
        try
        {
            topPorts.setString(1, host);
            final int i = bindRange(topPorts, 2, from, to, agent);
            topPorts.setInt(i, limit);
            final List<PortTraffic> ports = new ArrayList<>();
            try (ResultSet result = topPorts.executeQuery())
            {
                while (result.next())
                {
                    final int role = result.getInt(3);
                    ports.add(new PortTraffic(result.getString(1), result.getInt(2), StatsRow.CLIENT != role,
                        StatsRow.REFUSING == role, result.getLong(4), result.getLong(5), result.getLong(6),
                        result.getLong(7)));
                }
            }
            return ports;
        }
        catch (final SQLException ex)
        {
            throw failure("top ports of " + host, ex);
        }
    }

    /**
     * The remote peers a host exchanged the most bytes with in a time range, every agent's traffic summed.
     *
     * @param host  the host's address as text, as the views show it.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most peers to return.
     * @return the peers, most bytes first.
     */
    public List<PeerTraffic> topPeers(final String host, final Instant from, final Instant to, final int limit)
    {
        return topPeers(null, host, from, to, limit);
    }

    /**
     * The remote peers a host exchanged the most bytes with in a time range, as one agent or all agents saw them.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param host  the host's address as text, as the views show it.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most peers to return.
     * @return the peers, most bytes first.
     */
    public synchronized List<PeerTraffic> topPeers(
        final String agent, final String host, final Instant from, final Instant to, final int limit)
    {
        checkHost(host);
        checkRange(from, to);
        checkLimit(limit);
        try
        {
            topPeers.setString(1, host);
            final int i = bindRange(topPeers, 2, from, to, agent);
            topPeers.setInt(i, limit);
            final List<PeerTraffic> peers = new ArrayList<>();
            try (ResultSet result = topPeers.executeQuery())
            {
                while (result.next())
                {
                    peers.add(new PeerTraffic(result.getString(1), result.getLong(2), result.getLong(3),
                        result.getLong(4), result.getLong(5)));
                }
            }
            return peers;
        }
        catch (final SQLException ex)
        {
            throw failure("top peers of " + host, ex);
        }
    }

    /**
     * A host's traffic per step in a time range, every agent's traffic summed; steps with no stored bucket are
     * absent. A step finer than the granularity kept for a period gets the whole coarser bucket at the step holding
     * its start.
     *
     * @param host the host's address as text, as the views show it.
     * @param from start of the range, inclusive.
     * @param to   end of the range, exclusive.
     * @param step width of a point, whole seconds, at least one.
     * @return the points in time order.
     */
    public List<TrafficPoint> hostSeries(final String host, final Instant from, final Instant to, final Duration step)
    {
        return hostSeries(null, host, from, to, step);
    }

    /**
     * A host's traffic per step in a time range, as one agent or all agents saw it; see
     * {@link #hostSeries(String, Instant, Instant, Duration)}.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param host  the host's address as text, as the views show it.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param step  width of a point, whole seconds, at least one.
     * @return the points in time order.
     */
    public synchronized List<TrafficPoint> hostSeries(
        final String agent, final String host, final Instant from, final Instant to, final Duration step)
    {
        checkHost(host);
        checkRange(from, to);
        final long seconds = checkStep(step);
        try
        {
            hostSeries.setLong(1, seconds);
            hostSeries.setLong(2, seconds);
            hostSeries.setString(3, host);
            bindRange(hostSeries, 4, from, to, agent);
            final List<TrafficPoint> points = new ArrayList<>();
            try (ResultSet result = hostSeries.executeQuery())
            {
                while (result.next())
                {
                    points.add(new TrafficPoint(Instant.ofEpochSecond(result.getLong(1)), result.getLong(2),
                        result.getLong(3), result.getLong(4), result.getLong(5)));
                }
            }
            return points;
        }
        catch (final SQLException ex)
        {
            throw failure("time series of " + host, ex);
        }
    }

    /**
     * The whole link's packets and bytes per step in a time range, every agent's summed; steps with no stored bucket
     * are absent.
     *
     * @param from start of the range, inclusive.
     * @param to   end of the range, exclusive.
     * @param step width of a point, whole seconds, at least one.
     * @return the points in time order.
     */
    public List<LinkPoint> linkSeries(final Instant from, final Instant to, final Duration step)
    {
        return linkSeries(null, from, to, step);
    }

    /**
     * The packets and bytes per step in a time range that one agent or all agents saw; steps with no stored bucket
     * are absent.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param step  width of a point, whole seconds, at least one.
     * @return the points in time order.
     */
    public synchronized List<LinkPoint> linkSeries(
        final String agent, final Instant from, final Instant to, final Duration step)
    {
        checkRange(from, to);
        final long seconds = checkStep(step);
        try
        {
            linkSeries.setLong(1, seconds);
            linkSeries.setLong(2, seconds);
            bindRange(linkSeries, 3, from, to, agent);
            final List<LinkPoint> points = new ArrayList<>();
            try (ResultSet result = linkSeries.executeQuery())
            {
                while (result.next())
                {
                    points.add(new LinkPoint(Instant.ofEpochSecond(result.getLong(1)), result.getLong(2),
                        result.getLong(3), result.getInt(4) != 0));
                }
            }
            return points;
        }
        catch (final SQLException ex)
        {
            throw failure("link time series", ex);
        }
    }

    /**
     * The data-quality totals of a time range, every agent's summed: what was seen, skipped and lost.
     *
     * @param from start of the range, inclusive.
     * @param to   end of the range, exclusive.
     * @return the totals.
     */
    public TrafficTotals totals(final Instant from, final Instant to)
    {
        return totals(null, from, to);
    }

    /**
     * The data-quality totals of a time range that one agent or all agents saw: what was seen, skipped and lost.
     *
     * @param agent the agent whose rows count, or null for every agent.
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @return the totals.
     */
    public synchronized TrafficTotals totals(final String agent, final Instant from, final Instant to)
    {
        checkRange(from, to);
        try
        {
            bindRange(totals, 1, from, to, agent);
            try (ResultSet result = totals.executeQuery())
            {
                result.next();
                final int complete = result.getInt(13);
                final boolean noBucket = result.wasNull();
                return new TrafficTotals(result.getLong(1), result.getLong(2), result.getLong(3), result.getLong(4),
                    result.getLong(5), result.getLong(6), result.getLong(7), result.getLong(8), result.getLong(9),
                    result.getLong(10), result.getLong(11), result.getLong(12), noBucket || complete != 0);
            }
        }
        catch (final SQLException ex)
        {
            throw failure("totals", ex);
        }
    }

    /**
     * The alerts raised and cleared in a time range, newest first.
     *
     * @param from  start of the range, inclusive.
     * @param to    end of the range, exclusive.
     * @param limit the most alerts to return.
     * @return the alerts, by time of the state change, newest first.
     */
    public synchronized List<StoredAlert> alerts(final Instant from, final Instant to, final int limit)
    {
        checkRange(from, to);
        checkLimit(limit);
        try
        {
            return AlertEvents.query(connection, from, to, limit);
        }
        catch (final SQLException ex)
        {
            throw failure("alerts", ex);
        }
    }

    /**
     * Closes the connection.
     */
    public synchronized void close()
    {
        try
        {
            connection.close();
        }
        catch (final SQLException ex)
        {
            throw failure("close", ex);
        }
    }

    /*
     * The malformed-reason columns are those of the store's view (between non_ip and late_packets), so that a store
     * written with more or fewer reasons than this library knows still sums correctly.
     */
    private static String totalsSql(final Connection connection) throws SQLException
    {
        final List<String> columns = new ArrayList<>();
        try (Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("PRAGMA table_info(bucket_quality)"))
        {
            while (result.next())
            {
                columns.add(result.getString("name"));
            }
        }
        final int first = columns.indexOf("non_ip") + 1;
        final int end = columns.indexOf("late_packets");
        if (first <= 0 || end < first)
        {
            throw new SQLException("bucket_quality lacks the non_ip ... late_packets columns: " + columns);
        }
        final StringBuilder malformed = new StringBuilder("0");
        for (final String column : columns.subList(first, end))
        {
            malformed.append(" + SUM(\"").append(column.replace("\"", "\"\"")).append("\")");
        }

        // a bucket has a row per agent that contributed to it: counted once
        return "SELECT count(DISTINCT bucket_start), SUM(frames), SUM(packets), SUM(bytes), SUM(transit_packets), " +
            "SUM(transit_bytes), SUM(non_ip), " + malformed + ", SUM(late_packets), SUM(ring_drops), " +
            "SUM(kernel_drops), SUM(folded_keys), MIN(complete) FROM bucket_quality WHERE " + RANGE;
    }

    /*
     * Binds RANGE's parameters from the given index on; returns the index after them.
     */
    private static int bindRange(
        final PreparedStatement statement, final int first, final Instant from, final Instant to, final String agent)
        throws SQLException
    {
        statement.setLong(first, from.getEpochSecond());
        statement.setLong(first + 1, to.getEpochSecond());
        statement.setString(first + 2, agent);
        statement.setString(first + 3, agent);
        return first + 4;
    }

    private static void checkRange(final Instant from, final Instant to)
    {
        if (from == null || to == null || !from.isBefore(to))
        {
            throw new IllegalArgumentException("the range needs from before to: from=" + from + ", to=" + to);
        }
    }

    private static void checkLimit(final int limit)
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    private static void checkHost(final String host)
    {
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("host must be an address: " + host);
        }
    }

    private static long checkStep(final Duration step)
    {
        if (step == null || step.getSeconds() < 1 || step.getNano() != 0)
        {
            throw new IllegalArgumentException("step must be a whole number of seconds, at least one: " + step);
        }
        return step.getSeconds();
    }

    private SqliteStoreException failure(final String what, final SQLException ex)
    {
        return new SqliteStoreException(path, "cannot read " + what + ": " + ex.getMessage(), ex);
    }
}
