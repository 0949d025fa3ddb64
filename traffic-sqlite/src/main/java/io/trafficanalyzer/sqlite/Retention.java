package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.EpochClock;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.LongSupplier;

import static io.trafficanalyzer.sqlite.History.DAY;
import static io.trafficanalyzer.sqlite.History.LEVELS;
import static io.trafficanalyzer.sqlite.History.LEVEL_NAMES;
import static io.trafficanalyzer.sqlite.History.PERIOD_SECONDS;
import static io.trafficanalyzer.sqlite.History.RAW;
import static io.trafficanalyzer.sqlite.History.alignDown;

/**
 * What removes data from the levels of a {@link History}: retention, which moves each level's {@code keptFrom} up to
 * its configured age and forgets the ledger's records that no level can take a repeat of any more, and pruning for
 * free space, which gives up the oldest finest-grained rows (their rollups stay) while free space is below the floor.
 * A level is never cut past what the next level rolled up nor past what the next finer level keeps. Each step takes
 * the write lock before it decides anything, as History's do.
 */
final class Retention implements AutoCloseable
{
    /** Periods of the next coarser level pruned at once when free space is low (an hour of raw buckets...). */
    private static final int SPACE_PRUNE_PERIODS = 60;
    private static final int MAX_SPACE_PRUNES_PER_CHECK = 16;
    /** Contribution records are kept at least this long (wall clock), to recognise late retries. */
    private static final long RECORD_SECONDS = 86_400;
    private static final long NONE = Long.MIN_VALUE;
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");

    private final Path path;
    private final History history;
    // the history's own level state, read and moved here in place
    private final long[] completeUntil;
    private final long[] keptFrom;
    private final Transactions transactions;
    private final ContributionLedger ledger;
    private final long[] retentionSeconds;
    private final boolean rollup;
    private final long freeSpaceFloor;
    private final LongSupplier freeSpace;
    private final EpochClock epochClock;
    private final PreparedStatement insertPruneEvent;
    private boolean spaceWarned;
    private volatile long spacePrunes;

    Retention(
        final Path path,
        final Connection connection,
        final History history,
        final Transactions transactions,
        final ContributionLedger ledger,
        final long[] retentionSeconds,
        final long freeSpaceFloor,
        final LongSupplier freeSpace,
        final EpochClock epochClock) throws SQLException
    {
        this.path = path;
        this.history = history;
        this.completeUntil = history.completeUntil;
        this.keptFrom = history.keptFrom;
        this.transactions = transactions;
        this.ledger = ledger;
        this.retentionSeconds = retentionSeconds.clone();
        this.rollup = history.rollup();
        this.freeSpaceFloor = freeSpaceFloor;
        this.freeSpace = freeSpace;
        this.epochClock = epochClock;
        insertPruneEvent = connection.prepareStatement("INSERT INTO prune_event (at, reason, level, from_start, " +
            "to_start) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)");
    }

    long spacePrunes()
    {
        return spacePrunes;
    }

    /**
     * One bounded round: retention, then pruning when free space is below the floor, each step its own transaction.
     *
     * @return the number of steps that changed something.
     */
    int apply() throws SQLException
    {
        return applyRetention() + pruneForSpace();
    }

    private int applyRetention() throws SQLException
    {
        if (!retentionDue())
        {
            return 0;
        }
        transactions.begin();
        boolean changed = false;
        final long now = history.now();
        final int levels = rollup ? LEVELS : 1;
        for (int level = 0; level < levels; level++)
        {
            final long cutoff = retentionCutoff(level, now);
            if (cutoff > keptFrom[level])
            {
                history.deleteBelow(level, cutoff);
                keptFrom[level] = cutoff;
                history.updateState(level);
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
        final long now = history.now();
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
            final long first = history.minStart(level, keptFrom[level], limit);
            final long to = first == NONE ?
                limit : Math.min(limit, alignDown(first, chunk) + chunk * SPACE_PRUNE_PERIODS);
            history.deleteBelow(level, to);
            keptFrom[level] = to;
            history.updateState(level);
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
        long limit = rollup ? completeUntil[level + 1] : alignDown(history.now(), PERIOD_SECONDS[level + 1]);
        if (level > 0)
        {
            limit = Math.min(limit, keptFrom[level - 1]);
        }

        return limit;
    }

    public void close() throws SQLException
    {
        insertPruneEvent.close();
    }
}
