package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.sqlite.SqliteSink;
import io.trafficanalyzer.sqlite.SqliteStoreException;

import java.nio.file.Path;

/**
 * The {@code --db} option of every command: a path, or a {@code sqlite:} URI with the store's options
 * ({@code sqlite:/var/lib/t.db?raw=P30D&minute=P90D}), checked when the command line is read so that a bad value
 * fails before anything is created.
 */
final class StoreOption
{
    private final String text;
    private final SqliteSink.Builder builder;

    private StoreOption(final String text, final SqliteSink.Builder builder)
    {
        this.text = text;
        this.builder = builder;
    }

    /*
     * A path is a path, whatever its characters; "sqlite:" starts a URI.
     */
    static StoreOption parse(final String text)
    {
        if (text.regionMatches(true, 0, SqliteSink.SCHEME + ":", 0, SqliteSink.SCHEME.length() + 1))
        {
            return new StoreOption(text, SqliteSink.fromUri(text));
        }

        return new StoreOption(text, SqliteSink.builder(Path.of(text)));
    }

    /*
     * The database file.
     */
    Path path()
    {
        return builder.path();
    }

    /*
     * Open the store for writing, creating it when missing; a store that cannot be opened is the option's fault.
     */
    SqliteSink openSink()
    {
        return openSink("--db");
    }

    /*
     * The same, naming the given option in an error.
     */
    SqliteSink openSink(final String option)
    {
        try
        {
            return builder.build();
        }
        catch (final SqliteStoreException ex)
        {
            throw CliException.usage(option + "=" + text + ": " + ex.reason(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw CliException.usage(option + "=" + text + ": " + ex.getMessage(), ex);
        }
    }

    public String toString()
    {
        return text;
    }
}
