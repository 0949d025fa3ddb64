package io.trafficanalyzer.sqlite;

import org.agrona.concurrent.EpochClock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The granularity levels of the store (raw buckets, minutes, hours, days), where a batch goes among them, and the
 * rollups that move data from each level to the next coarser one ({@link Retention} removes it).
 * <p>
 * Each level L &gt; 0 holds complete rollups of level L-1 for every period before {@code completeUntil[L]} (level 0's
 * {@code completeUntil} is the end of the newest bucket written: the store's notion of "now", so that a replayed
 * capture ages by its own timestamps). Each level keeps its rows from {@code keptFrom[L]} on. A level is pruned only
 * below what the next level has rolled up and committed, and the views show a level-L row only for periods before
 * {@code keptFrom[L-1]}, so every period is shown at exactly one level, the finest still kept.
 * <p>
 * Each rollup step takes the write lock before it decides anything, so that it sees what other writers of the
 * store committed (the state here is reloaded when they did).
 */
final class History implements AutoCloseable
{
    static final int RAW = 0;
    static final int DAY = 3;
    static final int LEVELS = 4;
    static final long[] PERIOD_SECONDS = { 0, 60, 3_600, 86_400 };
    static final String[] LEVEL_NAMES = { "raw", "minute", "hour", "day" };

    /** Periods rolled up per level and maintenance step, so that a backlog never stalls the sink thread long. */
    private static final int[] ROLLUP_PERIODS_PER_STEP = { 0, 10, 1, 1 };
    /** How far ahead of the wall clock bucket times may run before retention stops trusting them. */
    private static final long FUTURE_SLACK_SECONDS = 86_400;
    private static final long NONE = Long.MIN_VALUE;
    private static final int ALL_TABLES = 0;
    private static final int TRAFFIC_TABLES = 1;
    private static final int OTHER_TABLES = 2;

    final long[] completeUntil = new long[LEVELS];
    final long[] keptFrom = new long[LEVELS];

    private final Transactions transactions;
    private final boolean rollup;
    private final EpochClock epochClock;
    private final PreparedStatement selectState;
    private final PreparedStatement updateState;
    private final PreparedStatement minStart;
    private final PreparedStatement[] rollupInsert;
    private final PreparedStatement[] rollupAdd;
    private final PreparedStatement[] deleteRange;
    private final MinuteRollup minutes;
    private final MinuteRollup.MinuteProbe unstored = (from, to) -> minStart(RAW, from, to) == NONE;
    private volatile long rolledPeriods;

    History(
        final Connection connection,
        final Transactions transactions,
        final boolean rollup,
        final EpochClock epochClock) throws SQLException
    {
        this.transactions = transactions;
        this.rollup = rollup;
        this.epochClock = epochClock;
        selectState = connection.prepareStatement("SELECT level, complete_until, kept_from FROM granularity");
        updateState = connection.prepareStatement(
            "UPDATE granularity SET complete_until = ?, kept_from = ? WHERE level = ?");
        minStart = connection.prepareStatement(
            "SELECT MIN(bucket_start) FROM quality_stats WHERE level = ? AND bucket_start >= ? AND bucket_start < ?");
        final StatsTable[] tables = StatsTable.values();
        rollupInsert = new PreparedStatement[tables.length];
        rollupAdd = new PreparedStatement[tables.length];
        deleteRange = new PreparedStatement[tables.length];
        for (final StatsTable table : tables)
        {
            rollupInsert[table.ordinal()] = connection.prepareStatement(table.rollupSql());
            rollupAdd[table.ordinal()] = connection.prepareStatement(table.rollupAddSql());
            deleteRange[table.ordinal()] = connection.prepareStatement(table.deleteRangeSql());
        }
        minutes = new MinuteRollup(connection);
        load();
    }

    /*
     * Reloads the level state from the database: at open, and after a rollback undid changes made in memory.
     */
    void load() throws SQLException
    {
        try (ResultSet result = selectState.executeQuery())
        {
            while (result.next())
            {
                final int level = result.getInt(1);
                completeUntil[level] = result.getLong(2);
                keptFrom[level] = result.getLong(3);
            }
        }
    }

    MinuteRollup minutes()
    {
        return minutes;
    }

    /*
     * A raw batch starts, in its transaction, after the contributions it replaces were deleted: its rows are summed
     * into the minute rollup in memory when the sums can stand for its minute.
     */
    void startRawBatch(final long start, final int width, final long agentId, final boolean replaced)
        throws SQLException
    {
        if (rollup)
        {
            minutes.startBatch(start, width, agentId, replaced, completeUntil[1], unstored);
        }
        else
        {
            minutes.pause();
        }
    }

    boolean rollup()
    {
        return rollup;
    }

    long rolledPeriods()
    {
        return rolledPeriods;
    }

    /*
     * Where a batch starting at a time goes: 0 (raw) while raw rows are kept for that time, else the finest coarser
     * level that still keeps it (the batch is late, its raw period already pruned), or -1 when no level keeps it.
     */
    int placement(final long start)
    {
        if (start >= keptFrom[RAW])
        {
            return RAW;
        }
        if (rollup)
        {
            for (int level = 1; level < LEVELS; level++)
            {
                if (start >= keptFrom[level])
                {
                    return level;
                }
            }
        }

        return -1;
    }

    /*
     * The levels, period starts and widths a late batch is added to: the level that shows its period and every
     * coarser level that already rolled that period up (a later rollup would not see it again).
     */
    int mergeTargets(final long start, final int visibleLevel, final int[] levels, final long[] starts,
        final long[] widths)
    {
        int count = 0;
        for (int level = visibleLevel; level < LEVELS; level++)
        {
            if (level == visibleLevel || start < completeUntil[level])
            {
                levels[count] = level;
                starts[count] = alignDown(start, PERIOD_SECONDS[level]);
                widths[count] = PERIOD_SECONDS[level];
                count++;
            }
        }

        return count;
    }

    /*
     * After a raw batch (contribution, starting at start, ending at end) was written, in its transaction: advance
     * "now", and bring the rollups that already covered [from, to), the periods of the batch and of the contributions
     * it replaced, in line with the raw rows again: a batch that replaced nothing (a late one, another agent's) is
     * added to them; otherwise its periods are recomputed.
     */
    void afterRawWrite(
        final long end, final long from, final long to, final long start, final long contribution,
        final boolean replaced) throws SQLException
    {
        if (end > completeUntil[RAW])
        {
            completeUntil[RAW] = end;
            updateState(RAW);
        }
        if (rollup)
        {
            for (int level = 1; level < LEVELS; level++)
            {
                if (from < completeUntil[level])
                {
                    final long period = PERIOD_SECONDS[level];
                    final long until = Math.min(completeUntil[level], alignDown(to - 1, period) + period);
                    // a fleet's collector writes most buckets late (other agents moved "now" on): adding one
                    // contribution costs its rows, recomputing a period costs every agent's rows of that period
                    if (!replaced && (level > 1 || MinuteRollup.NONE == minutes.heldMinute(from, until)))
                    {
                        addToRollup(level, start, contribution);
                    }
                    else
                    {
                        rollupRange(level, alignDown(from, period), until);
                    }
                }
            }
        }
    }

    /**
     * One bounded round of rollups of newly complete periods, each step its own transaction.
     *
     * @return the number of steps that changed something.
     */
    int rollUp() throws SQLException
    {
        int work = 0;
        if (rollup)
        {
            for (int level = 1; level < LEVELS; level++)
            {
                work += rollForward(level);
            }
        }

        return work;
    }

    private int rollForward(final int level) throws SQLException
    {
        final long period = PERIOD_SECONDS[level];
        if (completeUntil[level] >= alignDown(completeUntil[level - 1], period))
        {
            return 0;
        }
        transactions.begin();
        // another writer may have rolled it up meanwhile
        final long target = alignDown(completeUntil[level - 1], period);
        if (completeUntil[level] >= target)
        {
            transactions.commit();
            return 0;
        }

        final long first = minStart(level - 1, completeUntil[level], target);
        long to = target;
        if (first != NONE)
        {
            final long from = alignDown(first, period);
            to = Math.min(target, from + period * ROLLUP_PERIODS_PER_STEP[level]);
            rollupRange(level, from, to);
            rolledPeriods += (to - from) / period;
        }
        completeUntil[level] = to;
        updateState(level);
        transactions.commit();

        return 1;
    }

    /**
     * The store's "now" for retention: the end of the newest bucket, so that replayed captures age by their own
     * time, but never more than a day ahead of the wall clock, so that one bucket stamped in a far future (a bad
     * clock, a corrupt capture) cannot age all history at once.
     *
     * @return epoch seconds.
     */
    long now()
    {
        return Math.min(completeUntil[RAW], epochClock.time() / 1000 + FUTURE_SLACK_SECONDS);
    }

    /*
     * Recomputes a level's periods in [from, to) from the next finer level, in the caller's transaction.
     */
    private void rollupRange(final int level, final long from, final long to) throws SQLException
    {
        for (final StatsTable table : StatsTable.values())
        {
            final PreparedStatement delete = deleteRange[table.ordinal()];
            delete.setInt(1, level);
            delete.setLong(2, from);
            delete.setLong(3, to);
            delete.executeUpdate();
        }
        final long held = level == 1 ? minutes.heldMinute(from, to) : MinuteRollup.NONE;
        if (held == MinuteRollup.NONE)
        {
            insertRollups(level, from, to, ALL_TABLES);
        }
        else
        {
            minutes.write();
            insertRollups(level, from, held, TRAFFIC_TABLES);
            insertRollups(level, held + PERIOD_SECONDS[level], to, TRAFFIC_TABLES);
            insertRollups(level, from, to, OTHER_TABLES);
        }
    }

    /*
     * Adds the rows of one raw contribution to the level's period that holds it, in the caller's transaction.
     */
    private void addToRollup(final int level, final long start, final long contribution) throws SQLException
    {
        for (final StatsTable table : StatsTable.values())
        {
            final PreparedStatement add = rollupAdd[table.ordinal()];
            add.setInt(1, level);
            add.setLong(2, PERIOD_SECONDS[level]);
            add.setLong(3, start);
            add.setLong(4, contribution);
            add.executeUpdate();
        }
    }

    /*
     * Recomputes by query the rows of a level's periods in [from, to): of every table, of the traffic tables (host,
     * port, peer) or of the others (quality).
     */
    private void insertRollups(final int level, final long from, final long to, final int tables)
        throws SQLException
    {
        if (from >= to)
        {
            return;
        }
        for (final StatsTable table : StatsTable.values())
        {
            if ((tables == TRAFFIC_TABLES && !table.isTraffic()) || (tables == OTHER_TABLES && table.isTraffic()))
            {
                continue;
            }
            final PreparedStatement insert = rollupInsert[table.ordinal()];
            insert.setInt(1, level);
            insert.setLong(2, PERIOD_SECONDS[level]);
            insert.setInt(3, level - 1);
            insert.setLong(4, from);
            insert.setLong(5, to);
            insert.executeUpdate();
        }
    }

    void deleteBelow(final int level, final long to) throws SQLException
    {
        for (final StatsTable table : StatsTable.values())
        {
            final PreparedStatement delete = deleteRange[table.ordinal()];
            delete.setInt(1, level);
            delete.setLong(2, Long.MIN_VALUE);
            delete.setLong(3, to);
            delete.executeUpdate();
        }
    }

    long minStart(final int level, final long from, final long to) throws SQLException
    {
        minStart.setInt(1, level);
        minStart.setLong(2, from);
        minStart.setLong(3, to);
        try (ResultSet result = minStart.executeQuery())
        {
            if (result.next())
            {
                final long value = result.getLong(1);
                return result.wasNull() ? NONE : value;
            }
            return NONE;
        }
    }

    void updateState(final int level) throws SQLException
    {
        updateState.setLong(1, completeUntil[level]);
        updateState.setLong(2, keptFrom[level]);
        updateState.setInt(3, level);
        updateState.executeUpdate();
    }

    static long alignDown(final long time, final long period)
    {
        return period <= 0 ? time : Math.floorDiv(time, period) * period;
    }

    public void close() throws SQLException
    {
        selectState.close();
        updateState.close();
        minStart.close();
        minutes.close();
        for (int i = 0; i < rollupInsert.length; i++)
        {
            rollupInsert[i].close();
            rollupAdd[i].close();
            deleteRange[i].close();
        }
    }
}
