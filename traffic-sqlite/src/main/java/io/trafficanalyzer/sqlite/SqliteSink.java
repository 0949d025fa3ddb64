package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.alert.Alert;
import io.trafficanalyzer.core.alert.AlertAction;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    public static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    /** URI scheme of the store: {@code sqlite:/path/to/file.db?option=value&...}. */
    public static final String SCHEME = "sqlite";

    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int IGNORING = 2;
    private static final int NO_GROUP = 0;
    private static final int GROUP_OPEN = 1;
    private static final int GROUP_FAILED = 2;

    private final Path path;
    private final EpochClock epochClock;
    private final int busyTimeoutMs;
    private final boolean durableCommits;
    private final int addressCacheEntries;
    private final long[] retentionSeconds;
    private final boolean rollup;
    private final long freeSpaceFloor;
    private final LongSupplier freeSpaceProbe;
    private final RollupArrivals arrivals;
    private final AlertEvents alertEvents;

    // what an open file holds; reopened when the file at the path was removed or replaced
    private Connection connection;
    private Object fileKey;
    private Object walKey;
    private Object shmKey;
    private Object staleWalKey;
    private Object staleShmKey;
    private Transactions transactions;
    private ContributionLedger ledger;
    private AddressDictionary addresses;
    private History history;
    private BucketRows hostRows;
    private BucketRows portRows;
    private BucketRows peerRows;
    private PreparedStatement qualityUpsert;
    private PreparedStatement outcomeUpsert;
    private final FrameOutcome[] outcomes;
    private final int[] targetLevels = new int[History.LEVELS];
    private final long[] targetStarts = new long[History.LEVELS];
    private final long[] targetWidths = new long[History.LEVELS];
    private final Set<String> unknownViews = new HashSet<>();
    private int targetCount;
    private int state = IDLE;
    private int placement;
    private long batchStart;
    private int batchWidth;
    private int batchPart;
    private long batchAgentId;
    private long batchStreamId;
    private long batchRows;
    private boolean batchReplaced;
    private long rollupFrom;
    private long rollupTo;
    private long placementNow;
    private boolean closed;
    // a group of batches in one transaction: its batches' counts wait for its commit; a failure spoils it whole
    private int group = NO_GROUP;
    private int groupBatches;
    private long groupRows;

    private volatile long batchesWritten;
    private volatile long batchesReplaced;
    private volatile long lateBatchesMerged;
    private volatile long batchesSkipped;
    private volatile long batchesDropped;
    private volatile long rowsWritten;
    private volatile long unknownViewRows;
    private volatile long maintenanceFailures;
    private volatile long reopens;
    private volatile long othersCommitted;
    private long spacePrunesBefore;

    private SqliteSink(final Builder builder)
    {
        path = builder.path;
        epochClock = builder.epochClock;
        busyTimeoutMs = builder.busyTimeoutMs();
        durableCommits = builder.durableCommits;
        addressCacheEntries = builder.addressCacheEntries;
        retentionSeconds = builder.retentionSeconds();
        rollup = builder.rollup;
        freeSpaceFloor = builder.freeSpaceFloor;
        freeSpaceProbe = builder.freeSpaceProbe();
        arrivals = new RollupArrivals(builder.retention[0]);
        final List<FrameOutcome> counted = new ArrayList<>();
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            if (FrameOutcome.get(i) != FrameOutcome.DECODED)
            {
                counted.add(FrameOutcome.get(i));
            }
        }
        outcomes = counted.toArray(new FrameOutcome[0]);
        alertEvents = new AlertEvents(path, busyTimeoutMs);
        open();
    }

    /*
     * Opens (creating or upgrading) the store at the path and prepares every statement; on failure nothing stays open.
     */
    private void open()
    {
        connection = SqliteFiles.openWriter(path, busyTimeoutMs);
        try
        {
            fileKey = SqliteFiles.fileKey(path);
            prepareSchema(durableCommits);
            walKey = SqliteFiles.fileKeyIfExists(SqliteFiles.sibling(path, "-wal"));
            shmKey = SqliteFiles.fileKeyIfExists(SqliteFiles.sibling(path, "-shm"));
            transactions = new Transactions(connection);
            ledger = new ContributionLedger(connection);
            addresses = new AddressDictionary(connection, addressCacheEntries);
            history = new History(path, connection, transactions, ledger, retentionSeconds, rollup, freeSpaceFloor,
                freeSpaceProbe, epochClock);
            transactions.onOthersCommitted(this::revalidate);
            hostRows = new BucketRows(connection, StatsTable.HOST);
            portRows = new BucketRows(connection, StatsTable.PORT);
            peerRows = new BucketRows(connection, StatsTable.PEER);
            qualityUpsert = connection.prepareStatement(StatsTable.QUALITY.upsertSql());
            outcomeUpsert = connection.prepareStatement(StatsTable.OUTCOME.upsertSql());
        }
        catch (final SQLException ex)
        {
            closeQuietly();
            throw new SqliteStoreException(path, "cannot prepare the store: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            closeQuietly();
            throw new SqliteStoreException(path, "cannot identify the database file: " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly();
            throw ex;
        }
    }

    /*
     * Another connection committed since this one last wrote: what it cached of the store may be out of date (the
     * address ids it would number next, the granularity state, the minute sums that must hold every raw row of their
     * minute). Runs in the transaction just begun, holding the write lock.
     */
    private void revalidate() throws SQLException
    {
        othersCommitted++;
        addresses.invalidate();
        history.minutes().drop();
        history.load();
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
        if (null != connection)
        {
            Object current;
            try
            {
                current = SqliteFiles.fileKey(path);
            }
            catch (final IOException ex)
            {
                current = null;
            }
            if (null != current && current.equals(fileKey))
            {
                return;
            }
            LOGGER.log(Level.WARNING, "{0}: the database file was removed or replaced while open, and the buckets " +
                "in it with it; opening the path anew", path);
            staleWalKey = walKey;
            staleShmKey = shmKey;
            closeQuietly();
        }
        SqliteFiles.deleteIfSameFile(SqliteFiles.sibling(path, "-wal"), staleWalKey);
        staleWalKey = null;
        SqliteFiles.deleteIfSameFile(SqliteFiles.sibling(path, "-shm"), staleShmKey);
        staleShmKey = null;
        open();
        reopens++;
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
        return new Builder(path);
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
        return SqliteUris.parse(uri);
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
        return SqliteUris.parse(uri);
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
        checkOpen();
        checkGroup();
        // a batch of a group continues the group's transaction, after the group's earlier batches
        final boolean continuing = group == GROUP_OPEN && state == IDLE && transactions.isOpen();
        if (!continuing)
        {
            abortIfWriting();
            checkGroup();
            reopenIfMoved();
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
        batchStart = start;
        batchWidth = width;
        batchPart = batch.part();
        batchRows = 0;
        clearPending();
        try
        {
            // the write lock first: where the batch goes depends on what other writers committed
            if (!continuing)
            {
                transactions.begin();
            }
            state = WRITING;
            placement = history.placement(start);
            placementNow = history.now();
            if (placement < 0)
            {
                batchesDropped++;
                ignoreBatch();
                LOGGER.log(Level.WARNING, "{0}: bucket {1} is older than every granularity kept: dropped", path,
                    Instant.ofEpochSecond(start));
                return;
            }
            batchAgentId = ledger.agentId(batch.agent());
            batchStreamId = ledger.streamId(batchAgentId, batch.stream());
            if (placement > History.RAW && ledger.isRecorded(batchStreamId, start, width, batchPart))
            {
                // its rows are summed into rollups, where they cannot be told apart to be replaced
                batchesSkipped++;
                ignoreBatch();
                return;
            }

            addresses.begin();
            if (placement == History.RAW)
            {
                final int replaced = ledger.replace(batchStreamId, start, width, batchPart,
                    history.keptFrom[History.RAW]);
                batchReplaced = replaced > 0;
                batchesReplaced += replaced;
                rollupFrom = ledger.replacedFrom();
                rollupTo = ledger.replacedTo();
                history.startRawBatch(start, width, batchAgentId, replaced > 0);
                targetLevels[0] = History.RAW;
                targetStarts[0] = start;
                targetWidths[0] = width;
                targetCount = 1;
            }
            else
            {
                history.minutes().pause();
                targetCount = history.mergeTargets(start, placement, targetLevels, targetStarts, targetWidths);
            }
        }
        catch (final SQLException ex)
        {
            throw failure("cannot start bucket " + Instant.ofEpochSecond(start), ex);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onRow(final StatsRow row) throws SqliteStoreException
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
            final String view = row.view();
            if (StatsRow.HOSTS.equals(view))
            {
                addHostRow(row);
            }
            else if (StatsRow.PORTS.equals(view))
            {
                addPortRow(row);
            }
            else if (StatsRow.PEERS.equals(view))
            {
                addPeerRow(row);
            }
            else
            {
                unknownView(view);
                return;
            }
            batchRows++;
        }
        catch (final SQLException ex)
        {
            throw failure("cannot write a row of bucket " + Instant.ofEpochSecond(batchStart), ex);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchEnd(final StatsBatch batch) throws SqliteStoreException
    {
        if (state == IGNORING)
        {
            state = IDLE;
            return;
        }
        if (state != WRITING || batch.startEpochSecond() != batchStart || batch.widthSeconds() != batchWidth ||
            batch.part() != batchPart)
        {
            abortIfWriting();
            throw new IllegalStateException("onBatchEnd without a matching onBatchStart");
        }

        final boolean raw = placement == History.RAW;
        try
        {
            final long contribution = ledger.record(batchStreamId, batchStart, batchWidth, batchPart, placement,
                batchRows, epochClock.time() / 1000);
            // rows merged into rollups belong to no one contribution
            final long rowsContribution = raw ? contribution : 0;
            executePending(rowsContribution, !raw);
            writeQuality(batch.quality(), rowsContribution);
            if (raw)
            {
                history.afterRawWrite(batchStart + batchWidth, rollupFrom, rollupTo, batchStart, contribution,
                    batchReplaced);
            }
            if (group == NO_GROUP)
            {
                transactions.commit();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("cannot commit bucket " + Instant.ofEpochSecond(batchStart), ex);
        }

        state = IDLE;
        if (group == NO_GROUP)
        {
            batchesWritten++;
            rowsWritten += batchRows;
        }
        else
        {
            groupBatches++;
            groupRows += batchRows;
        }
        if (!raw)
        {
            lateBatchesMerged++;
            if (arrivals.add(placement, batchStart, placementNow))
            {
                LOGGER.log(Level.INFO, "{0}: bucket {1} is older than the raw retention ({2}) before the store''s " +
                    "newest bucket ({3}): stored straight into the {4} rollups; such buckets are counted, not logged",
                    path, Instant.ofEpochSecond(batchStart), RollupArrivals.describe(arrivals.rawRetention()),
                    Instant.ofEpochSecond(placementNow), History.LEVEL_NAMES[placement]);
            }
        }
        if (group == NO_GROUP)
        {
            maintain();
        }
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
        checkOpen();
        abortIfWriting();
        group = GROUP_OPEN;
        groupBatches = 0;
        groupRows = 0;
        return true;
    }

    /**
     * Commits the batches of the group, then runs the maintenance (rollups, retention) they would have run one by
     * one.
     *
     * @throws IllegalStateException when the group failed or a batch of it was not ended.
     */
    public void onGroupEnd() throws SqliteStoreException
    {
        checkOpen();
        checkGroup();
        if (group == NO_GROUP || state != IDLE)
        {
            abortIfWriting();
            group = NO_GROUP;
            throw new IllegalStateException("onGroupEnd without a matching onGroupStart, or with a batch not ended");
        }
        if (transactions.isOpen())
        {
            try
            {
                transactions.commit();
            }
            catch (final SQLException ex)
            {
                throw failure("cannot commit a group of " + groupBatches + " buckets", ex);
            }
        }
        group = NO_GROUP;
        batchesWritten += groupBatches;
        rowsWritten += groupRows;
        // as many bounded rounds as the batches one by one would have had, fewer once nothing is left to do
        for (int i = 0; i < groupBatches; i++)
        {
            if (maintainOnce() == 0)
            {
                break;
            }
        }
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
     * Closes the database; a batch left open by a failed delivery is rolled back.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            abortIfWriting();
            closeQuietly();
            alertEvents.close();
        }
    }

    /**
     * Batches committed (raw or merged late).
     *
     * @return the count.
     */
    public long batchesWritten()
    {
        return batchesWritten;
    }

    /**
     * Stored contributions replaced by a batch of the same stream: a retry, a rerun, a wider batch covering them.
     *
     * @return the count.
     */
    public long batchesReplaced()
    {
        return batchesReplaced;
    }

    /**
     * Batches whose raw period was already pruned, added to the coarser rollups instead (see
     * {@link #rolledUpOnArrival()}).
     *
     * @return the count.
     */
    public long lateBatchesMerged()
    {
        return lateBatchesMerged;
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
        return batchesSkipped;
    }

    /**
     * Batches older than every granularity kept, dropped (and logged).
     *
     * @return the count.
     */
    public long batchesDropped()
    {
        return batchesDropped;
    }

    /**
     * Rows written across all views.
     *
     * @return the count.
     */
    public long rowsWritten()
    {
        return rowsWritten;
    }

    /**
     * Rows of views this store has no table for, ignored (and logged once per view name).
     *
     * @return the count.
     */
    public long unknownViewRows()
    {
        return unknownViewRows;
    }

    /**
     * Times the oldest finest-grained data was pruned because free space fell below the floor.
     *
     * @return the count.
     */
    public long spacePrunes()
    {
        final History history = this.history;
        return null == history ? spacePrunesBefore : spacePrunesBefore + history.spacePrunes();
    }

    /**
     * Rollup or retention steps that failed (logged, and retried after the next batch).
     *
     * @return the count.
     */
    public long maintenanceFailures()
    {
        return maintenanceFailures;
    }

    /**
     * Times the database file was found removed or replaced while open and the path opened anew (the file's earlier
     * contents went with it).
     *
     * @return the count.
     */
    public long reopens()
    {
        return reopens;
    }

    /**
     * Times this sink found, on taking the write lock, that another writer had committed since it last wrote, and
     * reloaded what it caches of the store.
     *
     * @return the count.
     */
    public long othersCommitted()
    {
        return othersCommitted;
    }

    /**
     * Runs maintenance until nothing is left to do: every complete period rolled up, retention applied.
     */
    void maintainFully()
    {
        try
        {
            while (history.maintain() > 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final SQLException ex)
        {
            throw failure("maintenance failed", ex);
        }
    }

    History history()
    {
        return history;
    }

    AddressDictionary addresses()
    {
        return addresses;
    }

    private void maintain()
    {
        maintainOnce();
    }

    private int maintainOnce()
    {
        try
        {
            return history.maintain();
        }
        catch (final SQLException | RuntimeException ex)
        {
            maintenanceFailures++;
            transactions.rollbackQuietly();
            reloadQuietly();
            LOGGER.log(Level.WARNING, "{0}: rollup or retention failed, retried after the next bucket: {1}", path,
                ex.toString());
            return 0;
        }
    }

    /*
     * Sets the connection up and brings the store to the current version: an empty file (left by an older library)
     * is made a store, an older store upgraded. Everything that changes the store happens under the write lock and is
     * decided there, since other processes may open it at the same time.
     */
    private void prepareSchema(final boolean durableCommits) throws SQLException
    {
        // refused before anything is written: another application's database, or a newer store
        final int seen = Schema.version(connection);
        Schema.checkNotNewer(path, seen);
        try (Statement statement = connection.createStatement())
        {
            if (seen == 0)
            {
                // must precede the first table: lets pruning give pages back to the file system
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                statement.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            }
            try (ResultSet result = statement.executeQuery("PRAGMA journal_mode = WAL"))
            {
                final String mode = result.next() ? result.getString(1) : "";
                if (!"wal".equalsIgnoreCase(mode))
                {
                    throw new SqliteStoreException(path, "cannot switch to WAL mode (journal mode is " + mode +
                        "); a file system without shared memory support?", null);
                }
            }
            statement.execute("PRAGMA synchronous = " + (durableCommits ? "FULL" : "NORMAL"));
            statement.execute("PRAGMA journal_size_limit = 67108864");
            statement.execute("PRAGMA cache_size = -32768");
            // a roll-up sorts all rows of its period (an hour of minutes: millions when peers churn): on temporary
            // files its sorter stays within about the page cache, in memory it took 286 MB of RSS for 3.9 M rows
            statement.execute("PRAGMA temp_store = FILE");

            try (PreparedStatement dataVersion = connection.prepareStatement("PRAGMA data_version"))
            {
                Transactions.beginImmediate(statement, dataVersion);
            }
            try
            {
                final int version = Schema.version(connection);
                Schema.checkNotNewer(path, version);
                if (version == 0)
                {
                    for (final String sql : Schema.createStatements())
                    {
                        statement.execute(sql);
                    }
                }
                else if (version < Schema.VERSION)
                {
                    SchemaMigrations.migrate(connection, version, legacyAgent());
                    LOGGER.log(Level.INFO, "{0}: upgraded the schema from version {1} to {2}", path, version,
                        Schema.VERSION);
                }
                Schema.ensureViews(connection);
                statement.execute("COMMIT");
            }
            catch (final SQLException | RuntimeException ex)
            {
                statement.execute("ROLLBACK");
                throw ex;
            }
        }
    }

    /*
     * The agent that the rows of a store upgraded to version 3 are filed under: this host, where the store is kept
     * and most likely was written.
     */
    private static String legacyAgent()
    {
        final String host = TrafficAnalyzer.localHostName();
        return null == host || host.isBlank() ? "unknown" : host;
    }

    /*
     * A batch that stores nothing (dropped, or a repeat already in the rollups): its transaction ends now, keeping the
     * agent and stream it may have recorded, and its rows are ignored.
     */
    private void ignoreBatch() throws SQLException
    {
        if (group == NO_GROUP)
        {
            transactions.commit();
        }
        state = IGNORING;
    }

    private void addHostRow(final StatsRow row) throws SQLException
    {
        final long hostId = addresses.id(row.hostHi(), row.hostLo());
        final MinuteRollup minutes = history.minutes();
        if (minutes.isFeeding())
        {
            minutes.addHost(hostId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets());
        }
        hostRows.add(hostId, row.protocol(), 0, row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets());
    }

    private void addPortRow(final StatsRow row) throws SQLException
    {
        final long hostId = addresses.id(row.hostHi(), row.hostLo());
        final int port = row.isFolded() ? 0 : row.port();
        final MinuteRollup minutes = history.minutes();
        if (minutes.isFeeding())
        {
            minutes.addPort(hostId, row.protocol(), port, row.served(), row.inBytes(), row.inPackets(),
                row.outBytes(), row.outPackets());
        }
        portRows.add(hostId, row.protocol(), StatsTable.portKey(port, row.served()), row.inBytes(), row.inPackets(),
            row.outBytes(), row.outPackets());
    }

    private void addPeerRow(final StatsRow row) throws SQLException
    {
        final long hostId = addresses.id(row.hostHi(), row.hostLo());
        final long peerId = row.isFolded() ? Schema.FOLDED_PEER_ID : addresses.id(row.peerHi(), row.peerLo());
        final MinuteRollup minutes = history.minutes();
        if (minutes.isFeeding())
        {
            minutes.addPeer(hostId, peerId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(),
                row.outPackets());
        }
        peerRows.add(hostId, peerId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(),
            row.outPackets());
    }

    private void bindKey(final PreparedStatement statement, final int target, final long contribution)
        throws SQLException
    {
        statement.setInt(1, targetLevels[target]);
        statement.setLong(2, targetStarts[target]);
        statement.setLong(3, targetWidths[target]);
        statement.setLong(4, batchAgentId);
        statement.setLong(5, contribution);
    }

    private void executePending(final long contribution, final boolean add) throws SQLException
    {
        addresses.flush();
        hostRows.write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
        portRows.write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
        peerRows.write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
    }

    private void writeQuality(final BucketQuality quality, final long contribution) throws SQLException
    {
        for (int i = 0; i < targetCount; i++)
        {
            bindKey(qualityUpsert, i, contribution);
            qualityUpsert.setLong(6, quality.frames());
            qualityUpsert.setLong(7, quality.packets());
            qualityUpsert.setLong(8, quality.bytes());
            qualityUpsert.setLong(9, quality.transitPackets());
            qualityUpsert.setLong(10, quality.transitBytes());
            qualityUpsert.setLong(11, quality.latePackets());
            qualityUpsert.setLong(12, quality.ringDrops());
            qualityUpsert.setLong(13, quality.kernelDrops());
            qualityUpsert.setLong(14, quality.foldedKeys());
            qualityUpsert.setInt(15, quality.isComplete() ? 1 : 0);
            qualityUpsert.executeUpdate();

            for (final FrameOutcome outcome : outcomes)
            {
                final long frames = quality.frames(outcome);
                if (frames != 0)
                {
                    outcomeUpsert.setInt(1, targetLevels[i]);
                    outcomeUpsert.setLong(2, targetStarts[i]);
                    outcomeUpsert.setLong(3, batchAgentId);
                    outcomeUpsert.setLong(4, contribution);
                    outcomeUpsert.setString(5, outcome.label());
                    outcomeUpsert.setLong(6, frames);
                    outcomeUpsert.executeUpdate();
                }
            }
        }
    }

    private void unknownView(final String view)
    {
        unknownViewRows++;
        if (unknownViews.add(view))
        {
            LOGGER.log(Level.WARNING, "{0}: no table for view \"{1}\": its rows are not stored", path, view);
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
            history.pruneForSpace();
        }
        catch (final SQLException | RuntimeException pruneFailure)
        {
            transactions.rollbackQuietly();
            reloadQuietly();
            ex.addSuppressed(pruneFailure);
        }
        return new SqliteStoreException(path, what + ": " + ex.getMessage(), ex);
    }

    /**
     * Rolls back a batch in progress and forgets what it taught the caches, so that the retry starts clean.
     */
    private void abortIfWriting()
    {
        if (state != IDLE)
        {
            spoilGroup();
        }
        if (transactions != null && transactions.isOpen())
        {
            spoilGroup();
            transactions.rollbackQuietly();
            addresses.reset();
            ledger.forgetIds();
            history.minutes().drop();
            clearPending();
            reloadQuietly();
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

    private void clearPending()
    {
        if (null != hostRows)
        {
            hostRows.clear();
            portRows.clear();
            peerRows.clear();
        }
    }

    private void reloadQuietly()
    {
        try
        {
            history.load();
        }
        catch (final SQLException ex)
        {
            LOGGER.log(Level.WARNING, "{0}: cannot reload the granularity state: {1}", path, ex.toString());
        }
    }

    private void closeQuietly()
    {
        final List<AutoCloseable> resources = new ArrayList<>();
        for (final AutoCloseable resource : new AutoCloseable[]{ hostRows, portRows, peerRows,
            qualityUpsert, outcomeUpsert, history, ledger, addresses, transactions })
        {
            if (resource != null)
            {
                resources.add(resource);
            }
        }
        if (connection != null)
        {
            resources.add(connection);
        }
        for (final AutoCloseable resource : resources)
        {
            try
            {
                resource.close();
            }
            catch (final Exception ex)
            {
                LOGGER.log(Level.WARNING, "{0}: error while closing: {1}", path,
                    ex.toString());
            }
        }
        if (null != history)
        {
            spacePrunesBefore += history.spacePrunes();
        }
        hostRows = null;
        portRows = null;
        peerRows = null;
        qualityUpsert = null;
        outcomeUpsert = null;
        history = null;
        ledger = null;
        addresses = null;
        transactions = null;
        connection = null;
        fileKey = null;
        walKey = null;
        shmKey = null;
    }

    /**
     * Configuration of a {@link SqliteSink}, checked once by {@link #build()}.
     */
    public static final class Builder
    {
        private static final long MIB = 1024 * 1024;

        private final Path path;
        private final Duration[] retention = {
            Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(365), FOREVER };
        private final boolean[] retentionGiven = new boolean[retention.length];
        private boolean rollup = true;
        private long freeSpaceFloor = 256 * MIB;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private boolean durableCommits = true;
        private int addressCacheEntries = 1 << 20;
        private EpochClock epochClock = SystemEpochClock.INSTANCE;
        private LongSupplier freeSpaceProbe;

        Builder(final Path path)
        {
            if (path == null)
            {
                throw new IllegalArgumentException("path must not be null");
            }
            this.path = SqliteFiles.normalise(path);
        }

        /**
         * How long raw buckets are kept before only their minute rollups remain.
         *
         * @param retention a duration, or {@link #FOREVER}.
         * @return this.
         */
        public Builder rawRetention(final Duration retention)
        {
            this.retention[0] = retention;
            retentionGiven[0] = true;
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
            this.retention[1] = retention;
            retentionGiven[1] = true;
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
            this.retention[2] = retention;
            retentionGiven[2] = true;
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
            this.retention[3] = retention;
            retentionGiven[3] = true;
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
            this.rollup = rollup;
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
            this.freeSpaceFloor = bytes;
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
            this.busyTimeout = timeout;
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
            this.durableCommits = durable;
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
            this.addressCacheEntries = entries;
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
            this.epochClock = clock;
            return this;
        }

        Builder freeSpaceProbe(final LongSupplier probe)
        {
            this.freeSpaceProbe = probe;
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
            final String[] names = { "rawRetention", "minuteRetention", "hourRetention", "dayRetention" };
            for (int i = 0; i < retention.length; i++)
            {
                if (retention[i] == null || retention[i].isNegative())
                {
                    throw new IllegalArgumentException(names[i] + " must be zero or positive: " + retention[i]);
                }
                if (i > 0 && retention[i].compareTo(retention[i - 1]) < 0)
                {
                    // a default follows the finer level's longer retention: raw=P100D alone keeps minutes as long
                    if (!retentionGiven[i])
                    {
                        retention[i] = retention[i - 1];
                        continue;
                    }
                    throw new IllegalArgumentException(names[i] + "=" + retention[i] + " must not be shorter than " +
                        names[i - 1] + "=" + retention[i - 1] + ": coarser history is kept at least as long");
                }
            }
            if (freeSpaceFloor < 0)
            {
                throw new IllegalArgumentException("freeSpaceFloor must be zero or positive: " + freeSpaceFloor);
            }
            if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE +
                    " ms: " + busyTimeout);
            }
            if (addressCacheEntries < 1)
            {
                throw new IllegalArgumentException("addressCacheEntries must be positive: " + addressCacheEntries);
            }
            if (epochClock == null)
            {
                throw new IllegalArgumentException("epochClock must not be null");
            }

            return new SqliteSink(this);
        }

        /**
         * The database file the sink opens.
         *
         * @return the absolute path.
         */
        public Path path()
        {
            return path;
        }

        int busyTimeoutMs()
        {
            return (int)busyTimeout.toMillis();
        }

        long[] retentionSeconds()
        {
            final long[] seconds = new long[retention.length];
            for (int i = 0; i < retention.length; i++)
            {
                seconds[i] = retention[i].compareTo(Duration.ofSeconds(Long.MAX_VALUE / 2)) >= 0 ?
                    Long.MAX_VALUE : retention[i].getSeconds();
            }
            return seconds;
        }

        boolean rollup()
        {
            return rollup;
        }

        long freeSpaceFloor()
        {
            return freeSpaceFloor;
        }

        boolean durableCommits()
        {
            return durableCommits;
        }

        LongSupplier freeSpaceProbe()
        {
            if (freeSpaceProbe != null)
            {
                return freeSpaceProbe;
            }
            try
            {
                // the directory may not exist yet: it is made on the file system of its nearest existing ancestor
                Path existing = path.getParent();
                while (null != existing.getParent() && !Files.exists(existing))
                {
                    existing = existing.getParent();
                }
                final FileStore store = Files.getFileStore(existing);
                return () -> usableSpace(store);
            }
            catch (final IOException ex)
            {
                LOGGER.log(Level.WARNING, "{0}: cannot watch free space, pruning for space is off: {1}", path,
                    ex.toString());
                return () -> Long.MAX_VALUE;
            }
        }

        private static long usableSpace(final FileStore store)
        {
            try
            {
                return store.getUsableSpace();
            }
            catch (final IOException ex)
            {
                return Long.MAX_VALUE;
            }
        }
    }
}
