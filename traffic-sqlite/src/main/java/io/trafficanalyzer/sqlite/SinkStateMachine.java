package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.status.Logging;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The states of a {@link SqliteSink} under the batch contract: which call is allowed when, one transaction per batch
 * or per group of batches, what a failure rolls back (a whole group, which must then be delivered again), when
 * maintenance runs, and reopening the path before a batch when its file was removed or replaced. Each batch is
 * written by the {@link ContributionWriter} into the {@link OpenStore}, which exists only while the file is open.
 */
final class SinkStateMachine
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int IGNORING = 2;
    private static final int NO_GROUP = 0;
    private static final int GROUP_OPEN = 1;
    private static final int GROUP_FAILED = 2;

    private final SinkContext context;
    private final Path path;
    private final SinkCounters counters;
    private final ContributionWriter writer;
    // null only after the path was found replaced and opening it anew failed, until a batch opens it again
    private OpenStore store;
    // the -wal and -shm files of a store closed because its file was replaced, deleted before the path is reopened
    private Object staleWalKey;
    private Object staleShmKey;
    private int state = IDLE;
    private boolean closed;
    // a group of batches in one transaction: its batches' counts wait for its commit; a failure spoils it whole
    private int group = NO_GROUP;
    private int groupBatches;
    private long groupRows;

    SinkStateMachine(final SinkContext context, final SinkCounters counters, final RollupArrivals arrivals)
    {
        this.context = context;
        this.path = context.path();
        this.counters = counters;
        writer = new ContributionWriter(path, context.epochClock(), counters, arrivals);
        store = new OpenStore(context, counters);
    }

    void onBatchStart(final StatsBatch batch)
    {
        checkOpen();
        checkGroup();
        // a batch of a group continues the group's transaction, after the group's earlier batches
        final boolean continuing = group == GROUP_OPEN && state == IDLE && null != store &&
            store.transactions().isOpen();
        if (!continuing)
        {
            abortIfWriting();
            checkGroup();
            try
            {
                reopenIfMoved();
            }
            catch (final RuntimeException ex)
            {
                // no file is open, as after any failed call: the caller delivers the group again
                spoilGroup();
                throw ex;
            }
        }
        final long start = batch.startEpochSecond();
        final int width = batch.widthSeconds();
        if (start < 0 || width <= 0 || batch.part() < 0 || null == batch.agent() || batch.agent().isEmpty() ||
            null == batch.stream())
        {
            spoilGroup();
            throw new SqliteStoreException(path, "invalid bucket: start " + start + ", width " + width + ", part " +
                batch.part() + ", agent " + batch.agent() + ", stream " + batch.stream(), null);
        }
        writer.reset(store, batch);
        try
        {
            // the write lock first: where the batch goes depends on what other writers committed
            if (!continuing)
            {
                store.transactions().begin();
            }
            state = WRITING;
            if (!writer.begin(batch))
            {
                ignoreBatch();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("cannot start bucket " + Instant.ofEpochSecond(start), ex);
        }
    }

    void onRow(final StatsRow row)
    {
        if (state != WRITING)
        {
            if (state == IDLE)
            {
                throw new IllegalStateException("onRow outside a batch");
            }
            return;
        }

        try
        {
            writer.addRow(row);
        }
        catch (final SQLException ex)
        {
            throw failure("cannot write a row of bucket " + Instant.ofEpochSecond(writer.start()), ex);
        }
    }

    void onBatchEnd(final StatsBatch batch)
    {
        if (state == IGNORING)
        {
            state = IDLE;
            return;
        }
        if (state != WRITING || !writer.isOf(batch))
        {
            abortIfWriting();
            throw new IllegalStateException("onBatchEnd without a matching onBatchStart");
        }

        try
        {
            writer.end(batch.quality());
            if (group == NO_GROUP)
            {
                store.transactions().commit();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("cannot commit bucket " + Instant.ofEpochSecond(writer.start()), ex);
        }

        state = IDLE;
        if (group == NO_GROUP)
        {
            counters.onWritten(1, writer.rows());
        }
        else
        {
            groupBatches++;
            groupRows += writer.rows();
        }
        writer.stored();
        if (group == NO_GROUP)
        {
            maintainOnce();
        }
    }

    boolean onGroupStart()
    {
        checkOpen();
        abortIfWriting();
        group = GROUP_OPEN;
        groupBatches = 0;
        groupRows = 0;
        return true;
    }

    void onGroupEnd()
    {
        checkOpen();
        checkGroup();
        if (group == NO_GROUP || state != IDLE)
        {
            abortIfWriting();
            group = NO_GROUP;
            throw new IllegalStateException("onGroupEnd without a matching onGroupStart, or with a batch not ended");
        }
        if (null != store && store.transactions().isOpen())
        {
            try
            {
                store.transactions().commit();
            }
            catch (final SQLException ex)
            {
                throw failure("cannot commit a group of " + groupBatches + " buckets", ex);
            }
        }
        group = NO_GROUP;
        counters.onWritten(groupBatches, groupRows);
        // as many bounded rounds as the batches one by one would have had, fewer once nothing is left to do
        for (int i = 0; i < groupBatches; i++)
        {
            if (maintainOnce() == 0)
            {
                break;
            }
        }
    }

    void close()
    {
        if (!closed)
        {
            closed = true;
            abortIfWriting();
            closeStore();
        }
    }

    /*
     * Prunes for space of the open file; those of files closed before are counted by the counters.
     */
    long openSpacePrunes()
    {
        final OpenStore store = this.store;
        return null == store ? 0 : store.retention().spacePrunes();
    }

    /*
     * Runs maintenance until nothing is left to do: every complete period rolled up, retention applied.
     */
    void maintainFully()
    {
        try
        {
            while (store.maintain() > 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("maintenance failed", ex);
        }
    }

    OpenStore store()
    {
        return store;
    }

    /*
     * SQLite keeps writing to a file that was deleted or renamed while open, and what it writes is lost when the
     * connection closes. So before each batch: when the path no longer names the file that is open (the file or its
     * directory was removed, or another file was moved into its place), close it and open the path anew, creating
     * the directory and an empty store if need be. Costs one stat per bucket.
     *
     * Closing a connection whose file was unlinked leaves its -wal and -shm files behind, and SQLite would replay
     * that stale log into whatever file is at the path next, clobbering it. They are deleted first, but only while
     * they are still the very files this connection used (same file keys), never another store's.
     */
    private void reopenIfMoved()
    {
        if (null != store)
        {
            if (!store.isReplaced())
            {
                return;
            }
            LOGGER.log(Level.WARNING, "{0}: the database file was removed or replaced while open, and the buckets " +
                "in it with it; opening the path anew", path);
            staleWalKey = store.walKey();
            staleShmKey = store.shmKey();
            closeStore();
        }
        SqliteFiles.deleteIfSameFile(SqliteFiles.sibling(path, "-wal"), staleWalKey);
        staleWalKey = null;
        SqliteFiles.deleteIfSameFile(SqliteFiles.sibling(path, "-shm"), staleShmKey);
        staleShmKey = null;
        store = new OpenStore(context, counters);
        counters.onReopen();
    }

    private void closeStore()
    {
        if (null != store)
        {
            store.close();
            store = null;
        }
    }

    /*
     * A batch that stores nothing (dropped, or a repeat already in the rollups): its transaction ends now, keeping the
     * agent and stream it may have recorded, and its rows are ignored.
     */
    private void ignoreBatch() throws SQLException
    {
        if (group == NO_GROUP)
        {
            store.transactions().commit();
        }
        state = IGNORING;
    }

    private int maintainOnce()
    {
        try
        {
            return store.maintain();
        }
        catch (final SQLException | RuntimeException ex)
        {
            counters.onMaintenanceFailure();
            store.transactions().rollbackQuietly();
            store.reloadQuietly();
            LOGGER.log(Level.WARNING, "{0}: rollup or retention failed, retried after the next bucket: {1}", path,
                ex.toString());
            return 0;
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("sink closed: " + path);
        }
    }

    private SqliteStoreException failure(final String what, final SQLException ex)
    {
        spoilGroup();
        abortIfWriting();
        // a full disk fails every write: make room now rather than after a commit that cannot happen
        try
        {
            store.retention().pruneForSpace();
        }
        catch (final SQLException | RuntimeException pruneFailure)
        {
            store.transactions().rollbackQuietly();
            store.reloadQuietly();
            ex.addSuppressed(pruneFailure);
        }
        return new SqliteStoreException(path, what + ": " + ex.getMessage(), ex);
    }

    /*
     * Rolls back a batch in progress and forgets what it taught the caches, so that the retry starts clean.
     */
    private void abortIfWriting()
    {
        if (state != IDLE)
        {
            spoilGroup();
        }
        if (null != store && store.transactions().isOpen())
        {
            spoilGroup();
            store.rollBack();
        }
        state = IDLE;
    }

    /*
     * What a group already wrote is rolled back with it: the caller must deliver it again, whole.
     */
    private void spoilGroup()
    {
        if (group == GROUP_OPEN)
        {
            group = GROUP_FAILED;
        }
    }

    private void checkGroup()
    {
        if (group == GROUP_FAILED)
        {
            throw new IllegalStateException("a call of this group failed and the group was rolled back: deliver it " +
                "again from onGroupStart");
        }
    }
}
