package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.text.SafeText;

import java.nio.file.Path;

/**
 * A store could not be opened, upgraded, read or written; the message names the file and the reason, with their
 * control characters escaped ({@link SafeText}).
 */
public final class SqliteStoreException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String reason;

    /**
     * A failure on the store at a path.
     *
     * @param path   the database file.
     * @param reason what went wrong, in words.
     * @param cause  the underlying exception, or null.
     */
    public SqliteStoreException(final Path path, final String reason, final Throwable cause)
    {
        super("SQLite store " + SafeText.escape(path) + ": " + SafeText.escape(reason), cause);
        this.path = path;
        this.reason = reason;
    }

    /**
     * The database file the failure is about.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * What went wrong, without the path.
     *
     * @return the reason.
     */
    public String reason()
    {
        return reason;
    }
}
