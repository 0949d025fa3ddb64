package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Who wrote what: the {@code agent}, {@code stream} and {@code contribution} tables. Finds the contributions a new
 * one replaces (a part-0 contribution replaces the part-0 contributions of its stream that overlap it, a later part
 * the one of its exact identity), deletes their raw rows, and records each new contribution, in the caller's
 * transaction.
 * <p>
 * Agent and stream ids are cached: rows of those tables are never deleted, so an id stays true until a transaction
 * that created it rolls back ({@link #forgetIds()}).
 */
final class ContributionLedger implements AutoCloseable
{
    private final PreparedStatement selectAgent;
    private final PreparedStatement insertAgent;
    private final PreparedStatement selectStream;
    private final PreparedStatement insertStream;
    private final PreparedStatement selectFrom;
    private final PreparedStatement selectBefore;
    private final PreparedStatement selectPart;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final PreparedStatement forget;
    private final PreparedStatement[] deleteRows;
    private final Map<String, Long> agentIds = new HashMap<>();
    private final Map<StreamKey, Long> streamIds = new HashMap<>();
    // the contribution a query found: id, bucket_start, bucket_seconds, level
    private final long[] found = new long[4];
    // raw contributions starting within a replaced range: id, bucket_start, bucket_seconds each
    private long[] within = new long[3 * 8];
    private String lastAgent;
    private CaptureStream lastStream;
    private long lastAgentId;
    private long lastStreamId;
    private long replacedFrom;
    private long replacedTo;

    ContributionLedger(final Connection connection) throws SQLException
    {
        selectAgent = connection.prepareStatement("SELECT id FROM agent WHERE name = ?");
        insertAgent = connection.prepareStatement("INSERT INTO agent (name) VALUES (?) RETURNING id");
        selectStream = connection.prepareStatement("SELECT id FROM stream WHERE agent_id = ? AND identity = ?");
        insertStream = connection.prepareStatement(
            "INSERT INTO stream (agent_id, identity, label) VALUES (?, ?, ?) RETURNING id");
        // a stream's part-0 contributions never overlap one another (each new one replaced those it overlapped):
        // those starting within a range, and the one before it, are all that can overlap the range
        selectFrom = connection.prepareStatement("SELECT id, bucket_start, bucket_seconds, level FROM contribution " +
            "WHERE stream_id = ? AND bucket_start >= ? AND bucket_start < ? AND part = 0");
        selectBefore = connection.prepareStatement("SELECT id, bucket_start, bucket_seconds, level FROM contribution " +
            "WHERE stream_id = ? AND bucket_start < ? AND part = 0 ORDER BY bucket_start DESC LIMIT 1");
        selectPart = connection.prepareStatement("SELECT id, bucket_start, bucket_seconds, level FROM contribution " +
            "WHERE stream_id = ? AND bucket_start = ? AND part = ?");
        // the next number within the bucket: usually 1
        insert = connection.prepareStatement("INSERT INTO contribution (bucket_start, id, stream_id, bucket_seconds, " +
            "part, level, rows, committed_at) SELECT ?1, COALESCE(MAX(id), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7 " +
            "FROM contribution WHERE bucket_start = ?1 RETURNING id");
        delete = connection.prepareStatement("DELETE FROM contribution WHERE bucket_start = ? AND id = ?");
        // through the unique index, stream by stream: the ledger is scanned only below the cutoff
        forget = connection.prepareStatement("DELETE FROM contribution WHERE stream_id IN (SELECT id FROM stream) " +
            "AND bucket_start < ?1 AND committed_at < ?2 AND (level <= 1 OR (level = 2 AND bucket_start < ?3) OR " +
            "(level = 3 AND bucket_start < ?4))");
        final StatsTable[] tables = StatsTable.values();
        deleteRows = new PreparedStatement[tables.length];
        for (final StatsTable table : tables)
        {
            deleteRows[table.ordinal()] = connection.prepareStatement(table.deleteContributionSql());
        }
    }

    /*
     * The id of an agent, created when new.
     */
    long agentId(final String agent) throws SQLException
    {
        if (agent.equals(lastAgent))
        {
            return lastAgentId;
        }
        Long id = agentIds.get(agent);
        if (null == id)
        {
            id = idOf(selectAgent, agent);
            if (null == id)
            {
                insertAgent.setString(1, agent);
                id = returnedId(insertAgent);
            }
            agentIds.put(agent, id);
        }
        lastAgent = agent;
        lastAgentId = id;
        lastStream = null;

        return id;
    }

    /*
     * The id of an agent's stream, created (with its label) when new; call agentId first.
     */
    long streamId(final long agentId, final CaptureStream stream) throws SQLException
    {
        if (stream.equals(lastStream) && agentId == lastAgentId)
        {
            return lastStreamId;
        }
        final StreamKey key = new StreamKey(agentId, stream.id());
        Long id = streamIds.get(key);
        if (null == id)
        {
            selectStream.setLong(1, agentId);
            selectStream.setString(2, stream.id());
            try (ResultSet result = selectStream.executeQuery())
            {
                id = result.next() ? result.getLong(1) : null;
            }
            if (null == id)
            {
                insertStream.setLong(1, agentId);
                insertStream.setString(2, stream.id());
                insertStream.setString(3, stream.label());
                id = returnedId(insertStream);
            }
            streamIds.put(key, id);
        }
        lastStream = stream;
        lastStreamId = id;

        return id;
    }

    /*
     * A transaction that may have created agents or streams rolled back.
     */
    void forgetIds()
    {
        agentIds.clear();
        streamIds.clear();
        lastAgent = null;
        lastStream = null;
    }

    /*
     * Whether a contribution of this identity is recorded at any level: for part 0, a part-0 contribution of the
     * stream overlapping [start, start + width); for a later part, the same part of the same bucket.
     */
    boolean isRecorded(final long streamId, final long start, final int width, final int part) throws SQLException
    {
        if (part != 0)
        {
            return find(selectPart, streamId, start, part);
        }
        if (find(selectBefore, streamId, start, 0) && found[1] + found[2] > start)
        {
            return true;
        }
        selectFrom.setLong(1, streamId);
        selectFrom.setLong(2, start);
        selectFrom.setLong(3, start + width);
        try (ResultSet result = selectFrom.executeQuery())
        {
            return result.next();
        }
    }

    /*
     * Deletes the raw rows and the records of the contributions a raw one replaces: for part 0, the part-0
     * contributions of the stream overlapping [start, start + width); for a later part, the one of the same part and
     * bucket. Only raw contributions from keptFrom on are replaced: rows already rolled up and pruned cannot be
     * subtracted. Returns how many; replacedFrom() .. replacedTo() then spans the new one and those replaced.
     */
    int replace(final long streamId, final long start, final int width, final int part, final long keptFrom)
        throws SQLException
    {
        replacedFrom = start;
        replacedTo = start + width;
        int replaced = 0;
        if (part != 0)
        {
            if (find(selectPart, streamId, start, part) && replaceable(keptFrom))
            {
                replaced += deleteFound();
            }
            return replaced;
        }

        if (find(selectBefore, streamId, start, 0) && found[1] + found[2] > start && replaceable(keptFrom))
        {
            replaced += deleteFound();
        }
        selectFrom.setLong(1, streamId);
        selectFrom.setLong(2, start);
        selectFrom.setLong(3, start + width);
        int count = 0;
        try (ResultSet result = selectFrom.executeQuery())
        {
            while (result.next())
            {
                if (result.getInt(4) == History.RAW)
                {
                    if (within.length == count * 3)
                    {
                        within = Arrays.copyOf(within, within.length * 2);
                    }
                    within[count * 3] = result.getLong(1);
                    within[count * 3 + 1] = result.getLong(2);
                    within[count * 3 + 2] = result.getLong(3);
                    count++;
                }
            }
        }
        // the rows are deleted once the query is done with the table
        for (int i = 0; i < count; i++)
        {
            found[0] = within[i * 3];
            found[1] = within[i * 3 + 1];
            found[2] = within[i * 3 + 2];
            replaced += deleteFound();
        }

        return replaced;
    }

    long replacedFrom()
    {
        return replacedFrom;
    }

    long replacedTo()
    {
        return replacedTo;
    }

    /*
     * Records a contribution whose rows are being written; returns its id, its number within its bucket.
     */
    long record(final long streamId, final long start, final int width, final int part, final int level,
        final long rows, final long committedAt) throws SQLException
    {
        insert.setLong(1, start);
        insert.setLong(2, streamId);
        insert.setInt(3, width);
        insert.setInt(4, part);
        insert.setInt(5, level);
        insert.setLong(6, rows);
        insert.setLong(7, committedAt);

        return returnedId(insert);
    }

    /*
     * Forgets the records of contributions whose period is gone from the finest level that could take a repeat of
     * them, and at least a day old: records of raw and minute contributions below the minute level's cutoff, of hour
     * and day contributions below their own level's. A repeat of a forgotten contribution is added again.
     */
    void forget(final long minuteCutoff, final long hourCutoff, final long dayCutoff, final long committedBefore)
        throws SQLException
    {
        forget.setLong(1, minuteCutoff);
        forget.setLong(2, committedBefore);
        forget.setLong(3, hourCutoff);
        forget.setLong(4, dayCutoff);
        forget.executeUpdate();
    }

    public void close() throws SQLException
    {
        SQLException failure = null;
        final PreparedStatement[] statements = { selectAgent, insertAgent, selectStream, insertStream, selectFrom,
            selectBefore, selectPart, insert, delete, forget };
        for (final PreparedStatement statement : statements)
        {
            failure = closeQuietly(statement, failure);
        }
        for (final PreparedStatement statement : deleteRows)
        {
            failure = closeQuietly(statement, failure);
        }
        if (null != failure)
        {
            throw failure;
        }
    }

    // whether the found contribution's raw rows are still stored
    private boolean replaceable(final long keptFrom)
    {
        return found[3] == History.RAW && found[1] >= keptFrom;
    }

    // the first row of the query into found; false when there is none
    private boolean find(final PreparedStatement query, final long streamId, final long start, final int part)
        throws SQLException
    {
        query.setLong(1, streamId);
        query.setLong(2, start);
        if (query == selectPart)
        {
            query.setInt(3, part);
        }
        try (ResultSet result = query.executeQuery())
        {
            if (!result.next())
            {
                return false;
            }
            found[0] = result.getLong(1);
            found[1] = result.getLong(2);
            found[2] = result.getLong(3);
            found[3] = result.getInt(4);
            return true;
        }
    }

    private int deleteFound() throws SQLException
    {
        for (final PreparedStatement statement : deleteRows)
        {
            statement.setLong(1, found[1]);
            statement.setLong(2, found[0]);
            statement.executeUpdate();
        }
        delete.setLong(1, found[1]);
        delete.setLong(2, found[0]);
        delete.executeUpdate();
        replacedFrom = Math.min(replacedFrom, found[1]);
        replacedTo = Math.max(replacedTo, found[1] + found[2]);

        return 1;
    }

    private static Long idOf(final PreparedStatement select, final String value) throws SQLException
    {
        select.setString(1, value);
        try (ResultSet result = select.executeQuery())
        {
            return result.next() ? result.getLong(1) : null;
        }
    }

    private static long returnedId(final PreparedStatement insert) throws SQLException
    {
        try (ResultSet result = insert.executeQuery())
        {
            if (!result.next())
            {
                throw new SQLException("insert returned no id");
            }
            return result.getLong(1);
        }
    }

    private static SQLException closeQuietly(final PreparedStatement statement, final SQLException failure)
    {
        try
        {
            statement.close();
            return failure;
        }
        catch (final SQLException ex)
        {
            return null == failure ? ex : failure;
        }
    }

    private record StreamKey(long agentId, String identity)
    {
    }
}
