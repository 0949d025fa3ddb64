package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.web.query.QueryException;
import io.trafficanalyzer.web.query.StoreReader;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The query commands' access to a store: opened read-only, and a query's failure turned into the tool's one-line
 * error, a usage error when an option is at fault.
 */
final class StoreQueries
{
    private StoreQueries()
    {
    }

    /*
     * Open the store, run the query and close the store.
     */
    static <T> T read(final Path path, final Function<StoreReader, T> query)
    {
        try (StoreReader reader = StoreReader.open(path, "--"))
        {
            return query.apply(reader);
        }
        catch (final QueryException ex)
        {
            throw ex.isBadParameter() ?
                CliException.usage(ex.getMessage(), ex) : CliException.runtime(ex.getMessage(), ex);
        }
    }
}
