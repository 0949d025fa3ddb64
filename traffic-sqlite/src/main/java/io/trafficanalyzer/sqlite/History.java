package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.EpochClock;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The granularity levels of the store (raw buckets, minutes, hours, days) and what moves data between them: rollups,
 * retention and pruning for free space.
 * <p>
 * Each level L &gt; 0 holds complete rollups of level L-1 for every period before {@code completeUntil[L]} (level 0's
 * {@code completeUntil} is the end of the newest bucket written: the store's notion of "now", so that a replayed
 * capture ages by its own timestamps). Each level keeps its rows from {@code keptFrom[L]} on. A level is pruned only
 * below what the next level has rolled up and committed, and the views show a level-L row only for periods before
 * {@code keptFrom[L-1]}, so every period is shown at exactly one level, the finest still kept.
 * <p>
 * Each maintenance step takes the write lock before it decides anything, so that it sees what other writers of the
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
    /** Periods of the next coarser level pruned at once when free space is low (an hour of raw buckets...). */
    private static final int SPACE_PRUNE_PERIODS = 60;
    private static final int MAX_SPACE_PRUNES_PER_CHECK = 16;
    /** Contribution records are kept at least this long (wall clock), to recognise late retries. */
    private static final long RECORD_SECONDS = 86_400;
    /** How far ahead of the wall clock bucket times may run before retention stops trusting them. */
    private static final long FUTURE_SLACK_SECONDS = 86_400;
    private static final long NONE = Long.MIN_VALUE;
    private static final int ALL_TABLES = 0;
    private static final int TRAFFIC_TABLES = 1;
    private static final int OTHER_TABLES = 2;
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");

    final long[] completeUntil = new long[LEVELS];
    final long[] keptFrom = new long[LEVELS];

    private final Path path;
    private final Transactions transactions;
    private final long[] retentionSeconds;
    private final boolean rollup;
    private final long freeSpaceFloor;
    private final LongSupplier freeSpace;
    private final EpochClock epochClock;
    private final PreparedStatement selectState;
    private final PreparedStatement updateState;
    private final PreparedStatement minStart;
    private final PreparedStatement insertPruneEvent;
    private final ContributionLedger ledger;
    private final PreparedStatement[] rollupInsert;
    private final PreparedStatement[] rollupAdd;
    private final PreparedStatement[] deleteRange;
    private final MinuteRollup minutes;
    private final MinuteRollup.MinuteProbe unstored = (from, to) -> minStart(RAW, from, to) == NONE;
    private boolean spaceWarned;
    private volatile long spacePrunes;
    private volatile long rolledPeriods;

    History(
        final Path path,
        final Connection connection,
        final Transactions transactions,
        final ContributionLedger ledger,
        final long[] retentionSeconds,
        final boolean rollup,
        final long freeSpaceFloor,
        final LongSupplier freeSpace,
        final EpochClock epochClock) throws SQLException
    {
        this.path = path;
        this.transactions = transactions;
        this.ledger = ledger;
        this.retentionSeconds = retentionSeconds.clone();
        this.rollup = rollup;
        this.freeSpaceFloor = freeSpaceFloor;
        this.freeSpace = freeSpace;
        this.epochClock = epochClock;
        selectState = connection.prepareStatement("SELECT level, complete_until, kept_from FROM granularity");
        updateState = connection.prepareStatement(
            "UPDATE granularity SET complete_until = ?, kept_from = ? WHERE level = ?");
        minStart = connection.prepareStatement(
            "SELECT MIN(bucket_start) FROM quality_stats WHERE level = ? AND bucket_start >= ? AND bucket_start < ?");
        insertPruneEvent = connection.prepareStatement("INSERT INTO prune_event (at, reason, level, from_start, " +
            "to_start) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)");
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

    long spacePrunes()
    {
        return spacePrunes;
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
     * One bounded round of maintenance, each step its own transaction: rollups of newly complete periods, retention,
     * then pruning when free space is below the floor.
     *
     * @return the number of steps that changed something.
     */
    int maintain() throws SQLException
    {
        int work = 0;
        if (rollup)
        {
            for (int level = 1; level < LEVELS; level++)
            {
                work += rollForward(level);
            }
        }
        work += applyRetention();
        work += pruneForSpace();

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

    private int applyRetention() throws SQLException
    {
        if (!retentionDue())
        {
            return 0;
        }
        transactions.begin();
        boolean changed = false;
        final long now = now();
        final int levels = rollup ? LEVELS : 1;
        for (int level = 0; level < levels; level++)
        {
            final long cutoff = retentionCutoff(level, now);
            if (cutoff > keptFrom[level])
            {
                deleteBelow(level, cutoff);
                keptFrom[level] = cutoff;
                updateState(level);
                changed = true;
            }
        }
        if (changed)
        {
            // a repeat of a contribution is recognised as long as the level that would take it keeps its period
            final long committedBefore = epochClock.time() / 1000 - RECORD_SECONDS;
            if (rollup)
            {
                ledger.forget(keptFrom[1], keptFrom[2], keptFrom[DAY], committedBefore);
            }
            else
            {
                ledger.forget(keptFrom[RAW], Long.MIN_VALUE, Long.MIN_VALUE, committedBefore);
            }
        }
        transactions.commit();

        return changed ? 1 : 0;
    }

    private boolean retentionDue()
    {
        final long now = now();
        final int levels = rollup ? LEVELS : 1;
        for (int level = 0; level < levels; level++)
        {
            if (retentionCutoff(level, now) > keptFrom[level])
            {
                return true;
            }
        }

        return false;
    }

    /*
     * Where a level's retention wants it to start: whole periods of the next coarser level, never past what that level
     * rolled up nor past what the next finer level keeps; Long.MIN_VALUE when it keeps everything.
     */
    private long retentionCutoff(final int level, final long now)
    {
        final long retention = retentionSeconds[level];
        if (retention >= now)
        {
            return Long.MIN_VALUE;
        }
        long cutoff = alignDown(now - retention, PERIOD_SECONDS[Math.min(level + 1, DAY)]);
        if (rollup && level < DAY)
        {
            cutoff = Math.min(cutoff, completeUntil[level + 1]);
        }
        if (level > 0)
        {
            cutoff = Math.min(cutoff, keptFrom[level - 1]);
        }

        return cutoff;
    }

    int pruneForSpace() throws SQLException
    {
        if (freeSpaceFloor <= 0)
        {
            return 0;
        }
        long free = freeSpace.getAsLong();
        if (free >= freeSpaceFloor)
        {
            spaceWarned = false;
            return 0;
        }

        int pruned = 0;
        while (free < freeSpaceFloor && pruned < MAX_SPACE_PRUNES_PER_CHECK)
        {
            if (!pruneOldest(free))
            {
                if (!spaceWarned)
                {
                    spaceWarned = true;
                    LOGGER.log(Level.WARNING, "{0}: free space {1} bytes is below the floor of {2} bytes and only " +
                        "the coarsest history is left; nothing more is pruned", path, free, freeSpaceFloor);
                }
                break;
            }
            pruned++;
            transactions.releaseFreePages();
            free = freeSpace.getAsLong();
        }

        return pruned;
    }

    /*
     * Prunes the oldest chunk of the finest level that has rows below what its next level rolled up. The day level
     * is never pruned for space: that would lose history, not detail.
     */
    private boolean pruneOldest(final long free) throws SQLException
    {
        final int levels = rollup ? DAY : 1;
        for (int level = 0; level < levels; level++)
        {
            if (keptFrom[level] >= pruneLimit(level))
            {
                continue;
            }
            transactions.begin();
            // as another writer may have left it
            final long limit = pruneLimit(level);
            if (keptFrom[level] >= limit)
            {
                transactions.commit();
                continue;
            }

            final long chunk = PERIOD_SECONDS[level + 1];
            final long first = minStart(level, keptFrom[level], limit);
            final long to = first == NONE ?
                limit : Math.min(limit, alignDown(first, chunk) + chunk * SPACE_PRUNE_PERIODS);
            deleteBelow(level, to);
            keptFrom[level] = to;
            updateState(level);
            if (first == NONE)
            {
                // nothing stored there: only the boundary moves, and the next level is tried
                transactions.commit();
                continue;
            }
            insertPruneEvent.setString(1, "free_space");
            insertPruneEvent.setInt(2, level);
            insertPruneEvent.setLong(3, first);
            insertPruneEvent.setLong(4, to);
            insertPruneEvent.executeUpdate();
            transactions.commit();

            spacePrunes++;
            LOGGER.log(Level.WARNING, "{0}: free space {1} bytes is below the floor of {2} bytes: pruned {3} rows " +
                "from {4} to {5}{6}", path, free, freeSpaceFloor, LEVEL_NAMES[level], Instant.ofEpochSecond(first),
                Instant.ofEpochSecond(to),
                rollup ? " (kept as " + LEVEL_NAMES[level + 1] + " rollups)" : " (lost: rollups are off)");
            return true;
        }

        return false;
    }

    /*
     * How far a level may be pruned for space: what the next level rolled up (or, without rollups, the last whole
     * minute), never past what the next finer level keeps.
     */
    private long pruneLimit(final int level)
    {
        long limit = rollup ? completeUntil[level + 1] : alignDown(now(), PERIOD_SECONDS[level + 1]);
        if (level > 0)
        {
            limit = Math.min(limit, keptFrom[level - 1]);
        }

        return limit;
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

    private void deleteBelow(final int level, final long to) throws SQLException
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

    private long minStart(final int level, final long from, final long to) throws SQLException
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

    private void updateState(final int level) throws SQLException
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
        insertPruneEvent.close();
        minutes.close();
        for (int i = 0; i < rollupInsert.length; i++)
        {
            rollupInsert[i].close();
            rollupAdd[i].close();
            deleteRange[i].close();
        }
    }
}
