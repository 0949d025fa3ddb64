package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.alert.Alert;
import io.trafficanalyzer.core.alert.AlertAction;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import org.agrona.concurrent.EpochClock;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A {@link StatsSink} that writes each bucket into one SQLite database file, in one transaction of inserts sorted by
 * key and grouped many rows to a statement, and keeps history small with rollups (minute, hour, day) and retention.
 * <p>
 * Each batch is one contribution to a bucket, stored once: contributions of different agents, streams or parts add
 * up, and a contribution of a stream already stored (a retry after an unknown commit outcome, the same file
 * replayed, a wider batch merged while the sink was failing) replaces what that stream stored there. Several sinks,
 * in this process or others, may write one store: each batch waits its turn for the write lock. Readers (the
 * {@code sqlite3} shell, BI tools, {@link TrafficStore}) read while sinks write: the file is in WAL mode.
 * <pre>{@code
 * SqliteSink sink = SqliteSink.builder(Path.of("/var/lib/traffic/traffic.db"))
 *     .rawRetention(Duration.ofDays(2))
 *     .build();
 * // hand it to the pipeline, which calls it from its delivery thread and closes it at shutdown
 * }</pre>
 * or, where sinks are configured by URI, {@code sqlite:/var/lib/traffic/traffic.db?raw=P2D}.
 * <p>
 * Calls must come from one thread at a time (the sink's delivery thread); the counters may be read from any thread.
 */
public final class SqliteSink implements StatsSink, AlertAction
{
    /** Retention that never prunes. */
    public static final Duration FOREVER = SinkContext.FOREVER;

    /** URI scheme of the store: {@code sqlite:/path/to/file.db?option=value&...}. */
    public static final String SCHEME = SinkContext.SCHEME;

    private final Path path;
    private final SinkCounters counters = new SinkCounters();
    private final RollupArrivals arrivals;
    private final SinkStateMachine machine;
    private final AlertEvents alertEvents;

    private SqliteSink(final SinkContext context)
    {
        path = context.path();
        arrivals = new RollupArrivals(context.rawRetention());
        alertEvents = new AlertEvents(path, context.busyTimeoutMs());
        machine = new SinkStateMachine(context, counters, arrivals);
    }

    /**
     * A builder for a store at a path, with the default retention (raw 2 days, minutes 14 days, hours 1 year, days
     * forever), rollups on, a 256 MiB free-space floor and a 5 s busy timeout.
     *
     * @param path the database file; it and its directory are created when missing.
     * @return the builder.
     */
    public static Builder builder(final Path path)
    {
        return new Builder(new SinkContext(path));
    }

    /**
     * A builder from a {@code sqlite:} URI: {@code sqlite:/var/lib/traffic/traffic.db?raw=P2D&minute=P14D&hour=P365D&
     * day=forever&rollup=true&freeSpaceFloor=256M&busyTimeoutMs=5000&synchronous=full}; every option is optional.
     *
     * @param uri the URI.
     * @return the builder, configured from the URI's options.
     * @throws IllegalArgumentException when the scheme, path or an option is not valid.
     */
    public static Builder builder(final URI uri)
    {
        return new Builder(SqliteUris.parse(uri));
    }

    /**
     * A builder from the text of a {@code sqlite:} URI, as given in configuration; a path with characters a URI does
     * not allow (spaces...) is taken literally, without options.
     *
     * @param uri the URI text, e.g. {@code "sqlite:/var/lib/traffic/traffic.db?raw=P1D"}.
     * @return the builder, configured from the URI's options.
     * @throws IllegalArgumentException when the scheme, path or an option is not valid.
     */
    public static Builder fromUri(final String uri)
    {
        return new Builder(SqliteUris.parse(uri));
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
     * {@inheritDoc}
     */
    public void onBatchStart(final StatsBatch batch) throws SqliteStoreException
    {
        machine.onBatchStart(batch);
    }

    /**
     * {@inheritDoc}
     */
    public void onRow(final StatsRow row) throws SqliteStoreException
    {
        machine.onRow(row);
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchEnd(final StatsBatch batch) throws SqliteStoreException
    {
        machine.onBatchEnd(batch);
    }

    /**
     * The batches up to {@link #onGroupEnd()} are written in one transaction, so that they commit (and sync) once:
     * each is still one contribution, replacing or adding to what is stored exactly as when it comes alone, and the
     * group is stored whole or not at all. When a call of the group throws, the group is rolled back, and every call
     * but {@link #onGroupStart()} refuses until it is delivered again.
     *
     * @return true: the group's batches are stored at {@link #onGroupEnd()}.
     */
    public boolean onGroupStart() throws SqliteStoreException
    {
        return machine.onGroupStart();
    }

    /**
     * Commits the batches of the group, then runs the maintenance (rollups, retention) they would have run one by
     * one.
     *
     * @throws IllegalStateException when the group failed or a batch of it was not ended.
     */
    public void onGroupEnd() throws SqliteStoreException
    {
        machine.onGroupEnd();
    }

    /**
     * Closes the database; a batch left open by a failed delivery is rolled back.
     */
    public void close()
    {
        machine.close();
        alertEvents.close();
    }

    /**
     * Store an alert in the {@code alert_event} table, once however often it is retried; called on the alert thread.
     *
     * @param alert the alert.
     * @throws SqliteStoreException when it cannot be stored (it is then retried).
     */
    public void onAlert(final Alert alert) throws SqliteStoreException
    {
        alertEvents.store(alert);
    }

    /**
     * Batches committed (raw or merged late).
     *
     * @return the count.
     */
    public long batchesWritten()
    {
        return counters.batchesWritten();
    }

    /**
     * Stored contributions replaced by a batch of the same stream: a retry, a rerun, a wider batch covering them.
     *
     * @return the count.
     */
    public long batchesReplaced()
    {
        return counters.batchesReplaced();
    }

    /**
     * Batches whose raw period was already pruned, added to the coarser rollups instead (see
     * {@link #rolledUpOnArrival()}).
     *
     * @return the count.
     */
    public long lateBatchesMerged()
    {
        return counters.lateBatchesMerged();
    }

    /**
     * What went straight into rollups because it was older than the raw retention, per granularity, since this sink
     * was built: the lines a command prints at the end of a run.
     *
     * @return one entry per granularity that received any, finest first; empty when none did.
     */
    public List<RolledUpOnArrival> rolledUpOnArrival()
    {
        return arrivals.snapshot();
    }

    /**
     * Repeats of contributions already merged into rollups, skipped so that they do not count twice.
     *
     * @return the count.
     */
    public long batchesSkipped()
    {
        return counters.batchesSkipped();
    }

    /**
     * Batches older than every granularity kept, dropped (and logged).
     *
     * @return the count.
     */
    public long batchesDropped()
    {
        return counters.batchesDropped();
    }

    /**
     * Rows written across all views.
     *
     * @return the count.
     */
    public long rowsWritten()
    {
        return counters.rowsWritten();
    }

    /**
     * Rows of views this store has no table for, ignored (and logged once per view name).
     *
     * @return the count.
     */
    public long unknownViewRows()
    {
        return counters.unknownViewRows();
    }

    /**
     * Times the oldest finest-grained data was pruned because free space fell below the floor.
     *
     * @return the count.
     */
    public long spacePrunes()
    {
        return counters.spacePrunesOfClosedFiles() + machine.openSpacePrunes();
    }

    /**
     * Rollup or retention steps that failed (logged, and retried after the next batch).
     *
     * @return the count.
     */
    public long maintenanceFailures()
    {
        return counters.maintenanceFailures();
    }

    /**
     * Times the database file was found removed or replaced while open and the path opened anew (the file's earlier
     * contents went with it).
     *
     * @return the count.
     */
    public long reopens()
    {
        return counters.reopens();
    }

    /**
     * Times this sink found, on taking the write lock, that another writer had committed since it last wrote, and
     * reloaded what it caches of the store.
     *
     * @return the count.
     */
    public long othersCommitted()
    {
        return counters.othersCommitted();
    }

    /**
     * Runs maintenance until nothing is left to do: every complete period rolled up, retention applied.
     */
    void maintainFully()
    {
        machine.maintainFully();
    }

    History history()
    {
        return machine.store().history();
    }

    AddressDictionary addresses()
    {
        return machine.store().addresses();
    }

    /**
     * Configuration of a {@link SqliteSink}, checked once by {@link #build()}.
     */
    public static final class Builder
    {
        private final SinkContext context;

        Builder(final SinkContext context)
        {
            this.context = context;
        }

        /**
         * How long raw buckets are kept before only their minute rollups remain.
         *
         * @param retention a duration, or {@link #FOREVER}.
         * @return this.
         */
        public Builder rawRetention(final Duration retention)
        {
            context.retention(0, retention);
            return this;
        }

        /**
         * How long minute rollups are kept before only hour rollups remain.
         *
         * @param retention a duration, or {@link #FOREVER}.
         * @return this.
         */
        public Builder minuteRetention(final Duration retention)
        {
            context.retention(1, retention);
            return this;
        }

        /**
         * How long hour rollups are kept before only day rollups remain.
         *
         * @param retention a duration, or {@link #FOREVER}.
         * @return this.
         */
        public Builder hourRetention(final Duration retention)
        {
            context.retention(2, retention);
            return this;
        }

        /**
         * How long day rollups are kept; older days are deleted. Forever by default.
         *
         * @param retention a duration, or {@link #FOREVER}.
         * @return this.
         */
        public Builder dayRetention(final Duration retention)
        {
            context.retention(3, retention);
            return this;
        }

        /**
         * Whether buckets are rolled up into minutes, hours and days; without rollups raw rows are simply deleted
         * after their retention.
         *
         * @param rollup true to roll up (the default).
         * @return this.
         */
        public Builder rollup(final boolean rollup)
        {
            context.rollup(rollup);
            return this;
        }

        /**
         * Free space under which the oldest finest-grained rows are pruned (their rollups stay); 0 disables.
         *
         * @param bytes the floor in bytes, 256 MiB by default.
         * @return this.
         */
        public Builder freeSpaceFloor(final long bytes)
        {
            context.freeSpaceFloor(bytes);
            return this;
        }

        /**
         * How long a write waits for a lock held by another connection before failing.
         *
         * @param timeout the timeout, 5 s by default.
         * @return this.
         */
        public Builder busyTimeout(final Duration timeout)
        {
            context.busyTimeout(timeout);
            return this;
        }

        /**
         * Whether each commit is synced to disk (synchronous=FULL) so that a power loss keeps every committed
         * bucket; with false (NORMAL) a process crash still loses nothing committed, a power loss may lose the last.
         *
         * @param durable true by default.
         * @return this.
         */
        public Builder durableCommits(final boolean durable)
        {
            context.durableCommits(durable);
            return this;
        }

        /**
         * Addresses whose dictionary ids are kept in memory: while the store holds no more addresses than this, ids
         * are found and new addresses numbered without a query; beyond it the bound caches the lookups.
         *
         * @param entries the bound, 1 Mi entries (about 48 MiB at most) by default.
         * @return this.
         */
        public Builder addressCacheEntries(final int entries)
        {
            context.addressCacheEntries(entries);
            return this;
        }

        /**
         * Wall clock recorded as the commit time of each batch.
         *
         * @param clock the clock, the system's by default.
         * @return this.
         */
        public Builder epochClock(final EpochClock clock)
        {
            context.epochClock(clock);
            return this;
        }

        Builder freeSpaceProbe(final LongSupplier probe)
        {
            context.freeSpaceProbe(probe);
            return this;
        }

        /**
         * Checks the configuration and opens (creating or upgrading) the store.
         *
         * @return the open sink.
         * @throws IllegalArgumentException when a setting is not valid, naming it.
         * @throws SqliteStoreException     when the store cannot be opened, created or upgraded.
         */
        public SqliteSink build()
        {
            return new SqliteSink(context.conclude());
        }

        /**
         * The database file the sink opens.
         *
         * @return the absolute path.
         */
        public Path path()
        {
            return context.path();
        }

        int busyTimeoutMs()
        {
            return context.busyTimeoutMs();
        }

        long[] retentionSeconds()
        {
            return context.retentionSeconds();
        }

        boolean rollup()
        {
            return context.rollup();
        }

        long freeSpaceFloor()
        {
            return context.freeSpaceFloor();
        }

        boolean durableCommits()
        {
            return context.durableCommits();
        }
    }
}
