package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.Logging;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A store while a sink has it open: the connection, the identity of the database file and of its {@code -wal} and
 * {@code -shm} files, and what is prepared on the connection (transactions, ledger, address dictionary, history and
 * retention, the rows of a batch, the quality statements). Opened whole, creating or upgrading the store, or not at
 * all; closed whole. A sink opens another when the file at its path was removed or replaced.
 */
final class OpenStore implements AutoCloseable
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");

    private final Path path;
    private final SinkCounters counters;
    // in the order they are opened; closed in reverse
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Connection connection;
    private final Object fileKey;
    private final Object walKey;
    private final Object shmKey;
    private final Transactions transactions;
    private final ContributionLedger ledger;
    private final AddressDictionary addresses;
    private final History history;
    private final Retention retention;
    private final BucketRows hostRows;
    private final BucketRows portRows;
    private final BucketRows peerRows;
    private final PreparedStatement qualityUpsert;
    private final PreparedStatement outcomeUpsert;

    /*
     * Opens (creating or upgrading) the store at the context's path and prepares every statement; on failure nothing
     * stays open.
     */
    OpenStore(final SinkContext context, final SinkCounters counters)
    {
        path = context.path();
        this.counters = counters;
        connection = SqliteFiles.openWriter(path, context.busyTimeoutMs());
        resources.add(connection);
        try
        {
            fileKey = SqliteFiles.fileKey(path);
            prepareSchema(context.durableCommits());
            walKey = SqliteFiles.fileKeyIfExists(SqliteFiles.sibling(path, "-wal"));
            shmKey = SqliteFiles.fileKeyIfExists(SqliteFiles.sibling(path, "-shm"));
            transactions = opened(new Transactions(connection));
            ledger = opened(new ContributionLedger(connection));
            addresses = opened(new AddressDictionary(connection, context.addressCacheEntries()));
            history = opened(new History(connection, transactions, context.rollup(), context.epochClock()));
            retention = opened(new Retention(path, connection, history, transactions, ledger,
                context.retentionSeconds(), context.freeSpaceFloor(), context.freeSpaceProbe(), context.epochClock()));
            transactions.onOthersCommitted(this::revalidate);
            hostRows = opened(new BucketRows(connection, StatsTable.HOST));
            portRows = opened(new BucketRows(connection, StatsTable.PORT));
            peerRows = opened(new BucketRows(connection, StatsTable.PEER));
            qualityUpsert = opened(connection.prepareStatement(StatsTable.QUALITY.upsertSql()));
            outcomeUpsert = opened(connection.prepareStatement(StatsTable.OUTCOME.upsertSql()));
        }
        catch (final SQLException ex)
        {
            close();
            throw new SqliteStoreException(path, "cannot prepare the store: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            close();
            throw new SqliteStoreException(path, "cannot identify the database file: " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    Transactions transactions()
    {
        return transactions;
    }

    ContributionLedger ledger()
    {
        return ledger;
    }

    AddressDictionary addresses()
    {
        return addresses;
    }

    History history()
    {
        return history;
    }

    Retention retention()
    {
        return retention;
    }

    BucketRows hostRows()
    {
        return hostRows;
    }

    BucketRows portRows()
    {
        return portRows;
    }

    BucketRows peerRows()
    {
        return peerRows;
    }

    PreparedStatement qualityUpsert()
    {
        return qualityUpsert;
    }

    PreparedStatement outcomeUpsert()
    {
        return outcomeUpsert;
    }

    Object walKey()
    {
        return walKey;
    }

    Object shmKey()
    {
        return shmKey;
    }

    /*
     * Whether the path no longer names the file that is open: the file or its directory was removed, or another file
     * was moved into its place. Costs one stat.
     */
    boolean isReplaced()
    {
        try
        {
            final Object current = SqliteFiles.fileKey(path);
            return null == current || !current.equals(fileKey);
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /*
     * One bounded round of maintenance, each step its own transaction: rollups of newly complete periods, retention,
     * then pruning when free space is below the floor.
     */
    int maintain() throws SQLException
    {
        final int rolled = history.rollUp();
        return rolled + retention.apply();
    }

    /*
     * Rolls back the open transaction and forgets what it taught the caches, so that a retry starts clean.
     */
    void rollBack()
    {
        transactions.rollbackQuietly();
        addresses.reset();
        ledger.forgetIds();
        history.minutes().drop();
        clearRows();
        reloadQuietly();
    }

    void clearRows()
    {
        hostRows.clear();
        portRows.clear();
        peerRows.clear();
    }

    /*
     * Reloads the granularity state after a rollback undid what was changed of it in memory.
     */
    void reloadQuietly()
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

    /*
     * Closes every statement, then the connection; a failure is logged and the rest still closed.
     */
    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            try
            {
                resources.get(i).close();
            }
            catch (final Exception ex)
            {
                LOGGER.log(Level.WARNING, "{0}: error while closing: {1}", path, ex.toString());
            }
        }
        resources.clear();
        if (null != retention)
        {
            counters.onClosed(retention.spacePrunes());
        }
    }

    /*
     * Another connection committed since this one last wrote: what it cached of the store may be out of date (the
     * address ids it would number next, the granularity state, the minute sums that must hold every raw row of their
     * minute). Runs in the transaction just begun, holding the write lock.
     */
    private void revalidate() throws SQLException
    {
        counters.onOthersCommitted();
        addresses.invalidate();
        history.minutes().drop();
        history.load();
    }

    private <T extends AutoCloseable> T opened(final T resource)
    {
        resources.add(resource);
        return resource;
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
}
