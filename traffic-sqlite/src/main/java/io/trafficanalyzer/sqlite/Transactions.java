package io.trafficanalyzer.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit write transactions on the writer's connection, each holding the store's write lock from its start: several
 * writers (processes, or sinks in one JVM) take turns. A writer waits for the lock as long as the one holding it
 * keeps committing, and fails (SQLITE_BUSY) only when the lock was held for a whole busy timeout without a commit.
 * When another connection committed since this one last began, the listener is told first, so that what the writer
 * caches of the store is revalidated before it is trusted.
 * <p>
 * The JDBC connection stays in auto-commit mode because sqlite-jdbc's manual-commit mode begins the next transaction
 * right after each commit, which would hold the write lock between batches; here a transaction exists only while a
 * batch or a maintenance step is being written.
 */
final class Transactions implements AutoCloseable
{
    private static final long INCREMENTAL_AUTO_VACUUM = 2;
    private static final int SQLITE_BUSY = 5;

    private final Statement statement;
    private final PreparedStatement dataVersion;
    private Revalidation othersCommitted = () ->
    {
    };
    private long lastDataVersion;
    private boolean open;

    Transactions(final Connection connection) throws SQLException
    {
        statement = connection.createStatement();
        dataVersion = connection.prepareStatement("PRAGMA data_version");
        lastDataVersion = dataVersion();
    }

    /*
     * Told, inside the transaction just begun, when another connection committed since this one last began one.
     */
    void onOthersCommitted(final Revalidation listener)
    {
        othersCommitted = listener;
    }

    void begin() throws SQLException
    {
        beginImmediate(statement, dataVersion);
        open = true;
        // changes only with commits of other connections, and what this one sees is current now that it writes
        final long version = dataVersion();
        if (version != lastDataVersion)
        {
            othersCommitted.run();
            lastDataVersion = version;
        }
    }

    void commit() throws SQLException
    {
        statement.execute("COMMIT");
        open = false;
    }

    boolean isOpen()
    {
        return open;
    }

    /**
     * Rolls back the open transaction, if any; a failure here means SQLite already rolled it back.
     */
    void rollbackQuietly()
    {
        if (open)
        {
            open = false;
            try
            {
                statement.execute("ROLLBACK");
            }
            catch (final SQLException ignore)
            {
                // SQLite rolls back by itself on some errors (disk full, I/O): nothing is left to undo
            }
        }
    }

    void execute(final String sql) throws SQLException
    {
        statement.execute(sql);
    }

    long queryLong(final String sql) throws SQLException
    {
        try (ResultSet result = statement.executeQuery(sql))
        {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    /**
     * Gives the pages freed by deletions back to the file system (with incremental auto-vacuum, set when the store
     * was created) and checkpoints the WAL so that the main file can shrink.
     */
    void releaseFreePages() throws SQLException
    {
        final long pages = queryLong("PRAGMA freelist_count");
        if (pages > 0 && queryLong("PRAGMA auto_vacuum") == INCREMENTAL_AUTO_VACUUM)
        {
            begin();
            try (PreparedStatement vacuum = statement.getConnection().prepareStatement("PRAGMA incremental_vacuum"))
            {
                // SQLite frees one page per step of this pragma, and a JDBC execute is one step
                for (long i = 0; i < pages; i++)
                {
                    vacuum.execute();
                }
            }
            commit();
        }
        queryLong("PRAGMA wal_checkpoint(PASSIVE)");
    }

    public void close() throws SQLException
    {
        rollbackQuietly();
        try
        {
            dataVersion.close();
        }
        finally
        {
            statement.close();
        }
    }

    /*
     * IMMEDIATE takes the write lock now, under the busy timeout, instead of failing at the first write. SQLite's busy
     * handler polls with sleeps, so a writer with a backlog may take the lock again and again before a waiting one
     * wakes: the wait goes on while other connections commit, and ends in SQLITE_BUSY when a whole busy timeout
     * passed without a commit (a writer stuck in a transaction).
     */
    static void beginImmediate(final Statement statement, final PreparedStatement dataVersion) throws SQLException
    {
        long progress = Long.MIN_VALUE;
        while (true)
        {
            try
            {
                statement.execute("BEGIN IMMEDIATE");
                return;
            }
            catch (final SQLException ex)
            {
                if ((ex.getErrorCode() & 0xFF) != SQLITE_BUSY)
                {
                    throw ex;
                }
                final long version = dataVersion(dataVersion);
                if (version == progress)
                {
                    throw ex;
                }
                progress = version;
            }
        }
    }

    /**
     * What a writer does when another connection committed: reload what it caches of the store.
     */
    @FunctionalInterface
    interface Revalidation
    {
        /**
         * Reloads, inside the transaction just begun.
         *
         * @throws SQLException when the store cannot be read; the transaction is then rolled back by the caller.
         */
        void run() throws SQLException;
    }

    private long dataVersion() throws SQLException
    {
        return dataVersion(dataVersion);
    }

    private static long dataVersion(final PreparedStatement dataVersion) throws SQLException
    {
        try (ResultSet result = dataVersion.executeQuery())
        {
            return result.next() ? result.getLong(1) : 0;
        }
    }
}
