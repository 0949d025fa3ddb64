package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

/**
 * Every setting of a {@link SqliteSink} with its default, written once, and what {@link #conclude()} makes of them:
 * checked all at once, the coarser retentions raised to follow a longer finer one, the free-space probe found. The
 * builder writes into one context; the sink takes a concluded copy whole, and opens the store from it again whenever
 * it reopens the path.
 */
final class SinkContext implements Cloneable
{
    static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    static final String SCHEME = "sqlite";

    private static final long MIB = 1024 * 1024;
    private static final String[] RETENTION_NAMES = { "rawRetention", "minuteRetention", "hourRetention",
        "dayRetention" };
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");

    // the settings, with their defaults
    private final Path path;
    private Duration[] retention = { Duration.ofDays(2), Duration.ofDays(14), Duration.ofDays(365), FOREVER };
    private boolean[] retentionGiven = new boolean[retention.length];
    private boolean rollup = true;
    private long freeSpaceFloor = 256 * MIB;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private boolean durableCommits = true;
    private int addressCacheEntries = 1 << 20;
    private EpochClock epochClock = SystemEpochClock.INSTANCE;
    private LongSupplier freeSpaceProbe;

    // what conclude() makes of them
    private long[] retentionSeconds;

    SinkContext(final Path path)
    {
        if (path == null)
        {
            throw new IllegalArgumentException("path must not be null");
        }
        this.path = SqliteFiles.normalise(path);
    }

    void retention(final int level, final Duration retention)
    {
        this.retention[level] = retention;
        retentionGiven[level] = true;
    }

    void rollup(final boolean rollup)
    {
        this.rollup = rollup;
    }

    void freeSpaceFloor(final long bytes)
    {
        this.freeSpaceFloor = bytes;
    }

    void busyTimeout(final Duration timeout)
    {
        this.busyTimeout = timeout;
    }

    void durableCommits(final boolean durable)
    {
        this.durableCommits = durable;
    }

    void addressCacheEntries(final int entries)
    {
        this.addressCacheEntries = entries;
    }

    void epochClock(final EpochClock clock)
    {
        this.epochClock = clock;
    }

    void freeSpaceProbe(final LongSupplier probe)
    {
        this.freeSpaceProbe = probe;
    }

    /*
     * Checks every setting, raising in this context the coarser retentions left at their defaults where a finer one
     * was given longer, and returns a concluded copy that later changes to this one do not touch.
     */
    SinkContext conclude()
    {
        for (int i = 0; i < retention.length; i++)
        {
            if (retention[i] == null || retention[i].isNegative())
            {
                throw new IllegalArgumentException(RETENTION_NAMES[i] + " must be zero or positive: " + retention[i]);
            }
            if (i > 0 && retention[i].compareTo(retention[i - 1]) < 0)
            {
                // a default follows the finer level's longer retention: raw=P100D alone keeps minutes as long
                if (!retentionGiven[i])
                {
                    retention[i] = retention[i - 1];
                    continue;
                }
                throw new IllegalArgumentException(RETENTION_NAMES[i] + "=" + retention[i] +
                    " must not be shorter than " + RETENTION_NAMES[i - 1] + "=" + retention[i - 1] +
                    ": coarser history is kept at least as long");
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

        final SinkContext concluded = copy();
        concluded.retentionSeconds = retentionSeconds();
        concluded.freeSpaceProbe = freeSpaceProbeOrFileStore();
        return concluded;
    }

    Path path()
    {
        return path;
    }

    Duration rawRetention()
    {
        return retention[0];
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

    int busyTimeoutMs()
    {
        return (int)busyTimeout.toMillis();
    }

    boolean durableCommits()
    {
        return durableCommits;
    }

    int addressCacheEntries()
    {
        return addressCacheEntries;
    }

    EpochClock epochClock()
    {
        return epochClock;
    }

    /*
     * The free-space probe of a concluded context.
     */
    LongSupplier freeSpaceProbe()
    {
        return freeSpaceProbe;
    }

    private LongSupplier freeSpaceProbeOrFileStore()
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

    private SinkContext copy()
    {
        try
        {
            final SinkContext copy = (SinkContext)clone();
            copy.retention = retention.clone();
            copy.retentionGiven = retentionGiven.clone();
            return copy;
        }
        catch (final CloneNotSupportedException ex)
        {
            throw new AssertionError(ex);
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
