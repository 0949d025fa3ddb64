package io.trafficanalyzer.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.sqlite.SqliteSink;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The soak run: the whole analyzer on a live source of generated traffic at a steady rate, with remote addresses
 * that never repeat for long (tens of millions of distinct peers an hour), into a SQLite store, for a long time.
 * Every sample interval it prints one row: heap used after the last GC ({@code heapGC_MB}), resident set size,
 * open file descriptors, threads, the longest GC pause and the number of pauses in the interval, the buckets sealed
 * and stored so far, the flush lag ({@code lagMs}: the longest, over the interval, from a bucket's end by the wall
 * clock to its commit in SQLite; it includes the allowed lateness of 2 s), and the traffic figures: frames, frames
 * per second over the interval, distinct peers (millions), keys folded into "other" rows, late packets, ring drops,
 * sink failures and drops, and the store's size. At the end it compares the last samples with the first after
 * warm-up.
 * <pre>
 *   traffic-bench/scripts/soak.sh duration=PT1H rate=20000
 *   java -Xmx512m -cp traffic-bench/target/benchmarks.jar io.trafficanalyzer.bench.SoakRun duration=PT5M sample=PT15S
 * </pre>
 * Settings, as {@code name=value}: {@code duration} (ISO-8601, default PT1H), {@code rate} (frames per second,
 * default 20000), {@code bucket} (seconds, default 10), {@code sample} (default PT30S), {@code warmup} (default
 * PT1M), {@code localHosts} (default 1000), {@code packetsPerPeer} (default 4), {@code db} (default a new file in a
 * temporary directory, deleted at the end unless given).
 * <p>
 * Not a test: it runs for an hour by default and its figures are read by a person (see RELIABILITY in the README).
 */
public final class SoakRun
{
    private static final long MB = 1024 * 1024;

    private final Duration duration;
    private final int rate;
    private final int bucketSeconds;
    private final Duration sample;
    private final Duration warmup;
    private final int localHosts;
    private final int packetsPerPeer;
    private final Path db;
    private final boolean keepDb;
    private final AtomicLong gcPauseMaxMs = new AtomicLong();
    private final AtomicLong gcPauses = new AtomicLong();
    private final AtomicLong sealLagMaxMs = new AtomicLong();
    private final AtomicLong commitLagMaxMs = new AtomicLong();
    private final AtomicLong bucketsSealed = new AtomicLong();
    private final AtomicLong bucketsCommitted = new AtomicLong();
    private final List<long[]> rows = new ArrayList<>();

    private SoakRun(final Map<String, String> settings) throws IOException
    {
        duration = Duration.parse(settings.getOrDefault("duration", "PT1H"));
        rate = Integer.parseInt(settings.getOrDefault("rate", "20000"));
        bucketSeconds = Integer.parseInt(settings.getOrDefault("bucket", "10"));
        sample = Duration.parse(settings.getOrDefault("sample", "PT30S"));
        warmup = Duration.parse(settings.getOrDefault("warmup", "PT1M"));
        localHosts = Integer.parseInt(settings.getOrDefault("localHosts", "1000"));
        packetsPerPeer = Integer.parseInt(settings.getOrDefault("packetsPerPeer", "4"));
        keepDb = settings.containsKey("db");
        db = keepDb ? Path.of(settings.get("db")) : Files.createTempDirectory("soak").resolve("soak.db");
    }

    /**
     * Run the soak and print its table.
     *
     * @param args settings as {@code name=value}.
     * @throws Exception when the run cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> settings = new HashMap<>();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("expected name=value, got " + arg);
            }
            settings.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        new SoakRun(settings).run();
    }

    private void run() throws Exception
    {
        watchGcPauses();
        final SoakSource source = new SoakSource(rate, localHosts, packetsPerPeer);
        final SqliteSink store = SqliteSink.builder(db).build();
        System.out.printf(Locale.ROOT, "soak: %s at %d frames/s, buckets of %d s, %d local hosts, a new peer every " +
            "%d packets, store %s, java %s, %s%n", duration, rate, bucketSeconds, localHosts, packetsPerPeer, db,
            System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getInputArguments());

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(source)
            .localNetworks("10.0.0.0/8")
            .bucket(Duration.ofSeconds(bucketSeconds))
            .sink(new CommitTimingSink(store))
            .listener(this::onSealed)
            .errorHandler((throwable) -> System.err.println("soak: error: " + throwable))
            .build())
        {
            analyzer.start();
            printHeader();
            final long startNs = System.nanoTime();
            final long endNs = startNs + duration.toNanos();
            long nextSampleNs = startNs + sample.toNanos();
            while (System.nanoTime() - endNs < 0)
            {
                Thread.sleep(Math.max(1, Math.min((nextSampleNs - System.nanoTime()) / 1_000_000, 1000)));
                if (System.nanoTime() - nextSampleNs >= 0)
                {
                    sampleRow(analyzer, source, (System.nanoTime() - startNs) / 1_000_000_000L);
                    nextSampleNs += sample.toNanos();
                }
            }
        }
        printSummary();
        if (!keepDb)
        {
            try (Stream<Path> files = Files.list(db.getParent()))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(db.getParent());
        }
    }

    private void onSealed(final SealedBucket bucket)
    {
        bucketsSealed.incrementAndGet();
        final long lagMs = System.currentTimeMillis() - bucket.endEpochSecond() * 1000;
        sealLagMaxMs.accumulateAndGet(lagMs, Math::max);
    }

    private void printHeader()
    {
        System.out.printf(Locale.ROOT, "%7s %9s %7s %6s %5s %7s %6s %6s %7s %7s %11s %9s %6s %7s %6s %6s %6s %7s%n",
            "t_s", "heapGC_MB", "rss_MB", "fds", "thr", "gcMaxMs", "gcs", "sealed", "lagMs", "stored",
            "frames", "fps", "peersM", "folded", "late", "drops", "sinkF", "db_MB");
    }

    private void sampleRow(final TrafficAnalyzer analyzer, final SoakSource source, final long seconds)
        throws IOException
    {
        final long frames = analyzer.counter(TrafficCounter.FRAMES);
        final long previousFrames = rows.isEmpty() ? 0 : rows.get(rows.size() - 1)[9];
        final long previousSeconds = rows.isEmpty() ? 0 : rows.get(rows.size() - 1)[0];
        final long[] row = {
            seconds,
            heapAfterGcBytes(),
            rssBytes(),
            openFileDescriptors(),
            ManagementFactory.getThreadMXBean().getThreadCount(),
            gcPauseMaxMs.getAndSet(0),
            gcPauses.getAndSet(0),
            sealLagMaxMs.getAndSet(0),
            commitLagMaxMs.getAndSet(0),
            frames,
            (frames - previousFrames) / Math.max(1, seconds - previousSeconds),
            source.distinctPeers(),
            analyzer.counter(TrafficCounter.FOLDED),
            analyzer.counter(TrafficCounter.LATE_PACKETS),
            analyzer.counter(TrafficCounter.RING_DROPS),
            analyzer.counter(TrafficCounter.SINK_FAILURES) + analyzer.counter(TrafficCounter.SINK_DROPS),
            dbBytes(),
            bucketsSealed.get(),
            bucketsCommitted.get() };
        rows.add(row);
        System.out.printf(Locale.ROOT,
            "%7d %9.2f %7.1f %6d %5d %7d %6d %6d %7d %7d %11d %9d %6.2f %7d %6d %6d %6d %7.1f%n",
            row[0], row[1] / (double)MB, row[2] / (double)MB, row[3], row[4], row[5], row[6], row[17], row[8],
            row[18], row[9], row[10], row[11] / 1e6, row[12], row[13], row[14], row[15], row[16] / (double)MB);
    }

    private void printSummary()
    {
        final List<long[]> steady = rows.stream().filter((row) -> row[0] >= warmup.getSeconds()).toList();
        if (steady.size() < 2)
        {
            System.out.println("soak: too few samples after the warm-up of " + warmup + " for a summary");
            return;
        }
        final long[] first = steady.get(0);
        final long[] last = steady.get(steady.size() - 1);
        long heapMax = 0;
        long rssMax = 0;
        long gcMax = 0;
        long sealMax = 0;
        long commitMax = 0;
        for (final long[] row : steady)
        {
            heapMax = Math.max(heapMax, row[1]);
            rssMax = Math.max(rssMax, row[2]);
            gcMax = Math.max(gcMax, row[5]);
            sealMax = Math.max(sealMax, row[7]);
            commitMax = Math.max(commitMax, row[8]);
        }
        System.out.printf(Locale.ROOT, "soak summary after warm-up (t=%d s to %d s, %d samples):%n",
            first[0], last[0], steady.size());
        System.out.printf(Locale.ROOT, "  heap after GC  first %.1f MB, last %.1f MB, max %.1f MB%n",
            first[1] / (double)MB, last[1] / (double)MB, heapMax / (double)MB);
        System.out.printf(Locale.ROOT, "  RSS            first %.1f MB, last %.1f MB, max %.1f MB%n",
            first[2] / (double)MB, last[2] / (double)MB, rssMax / (double)MB);
        System.out.printf(Locale.ROOT, "  open files     first %d, last %d; threads first %d, last %d%n",
            first[3], last[3], first[4], last[4]);
        System.out.printf(Locale.ROOT, "  GC pause max   %d ms; bucket end to hand-off max %d ms, " +
            "to commit max %d ms%n", gcMax, sealMax, commitMax);
        System.out.printf(Locale.ROOT, "  frames         %d (%.0f/s), distinct peers %d, late %d, ring drops %d, " +
            "sink failures+drops %d, buckets sealed %d, committed %d, store %.1f MB%n",
            last[9], last[9] / (double)last[0], last[11], last[13], last[14], last[15], last[17], last[18],
            last[16] / (double)MB);
    }

    private void watchGcPauses()
    {
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            ((NotificationEmitter)collector).addNotificationListener((notification, handback) ->
            {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
                {
                    final GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
                    // concurrent cycles run beside the application; only stop-the-world collections are pauses
                    if (!info.getGcName().contains("Concurrent") && !info.getGcName().contains("Cycles"))
                    {
                        gcPauses.incrementAndGet();
                        gcPauseMaxMs.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                    }
                }
            }, null, null);
        }
    }

    private static long heapAfterGcBytes()
    {
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final MemoryUsage afterGc = pool.getCollectionUsage();
            if (MemoryType.HEAP == pool.getType() && null != afterGc)
            {
                used += afterGc.getUsed();
            }
        }
        return used;
    }

    private static long rssBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long openFileDescriptors() throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
    }

    private long dbBytes() throws IOException
    {
        long bytes = 0;
        for (final String suffix : new String[]{ "", "-wal", "-shm" })
        {
            final Path file = db.resolveSibling(db.getFileName() + suffix);
            bytes += Files.exists(file) ? Files.size(file) : 0;
        }
        return bytes;
    }

    // passes every call to the store and measures, per batch, the wall clock from the bucket's end to its commit
    private final class CommitTimingSink implements StatsSink
    {
        private final StatsSink store;

        CommitTimingSink(final StatsSink store)
        {
            this.store = store;
        }

        public void onBatchStart(final StatsBatch batch) throws Exception
        {
            store.onBatchStart(batch);
        }

        public void onRow(final StatsRow row) throws Exception
        {
            store.onRow(row);
        }

        public void onBatchEnd(final StatsBatch batch) throws Exception
        {
            store.onBatchEnd(batch);
            bucketsCommitted.incrementAndGet();
            final long lagMs = System.currentTimeMillis() - (batch.startEpochSecond() + batch.widthSeconds()) * 1000;
            commitLagMaxMs.accumulateAndGet(lagMs, Math::max);
        }

        public void close() throws Exception
        {
            store.close();
        }
    }
}
