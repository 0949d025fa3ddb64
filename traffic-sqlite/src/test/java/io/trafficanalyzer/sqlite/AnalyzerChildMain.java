package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/*
 * The analyzer in a child JVM, for the crash and shutdown tests; it tells its parent what it did on standard output.
 *
 *   replay CAPTURE DB            replays a capture file into SQLite: "started", then "done FRAMES" when complete
 *   replay-files DB WIDTH SHARDS FILE...
 *                                replays capture files, each a stream of its own, in one analyzer as ReplayPlan does
 *                                (buckets of WIDTH seconds): "started", then "done FRAMES" when complete
 *   store DB                     writes a bucket with a SqliteSink, says "ready" and keeps the store open until its
 *                                standard input ends, then "closed"
 *   live DB RATE SEED BASE_NS HOW
 *                                captures an endless live source into SQLite: "started", and on SIGTERM, when the
 *                                analyzer's hook closes the source, "captured N FRAMES DROPS LATE"; HOW is "explicit"
 *                                (closeOnShutdown() called), "default" (nothing asked for) or "return" (nothing asked
 *                                for, and main returns once 2 batches are stored, leaving only daemon threads)
 *   write DB WRITER COUNT BUSY   writes COUNT buckets of SeveralWritersTest's writer WRITER with a SqliteSink of
 *                                busy timeout BUSY ms, once its standard input ends: "ready", then "done N OTHERS"
 *                                (buckets written, times it found the other writer's commits)
 *   create DB                    opens (creating) the store, writes a bucket of a stream of its own: "created"
 *   create-many DIR COUNT        creates COUNT stores DIR/s-I.db one after the other: "created I" after each
 *
 * The analyzer modes also say "delivered N" whenever the count of batches the sink committed grows (N is the count
 * now, so a line may cover several commits), for the parent to time a kill or a signal by what was stored.
 */
final class AnalyzerChildMain
{
    static final int WIDTH = 10;
    static final int LIVE_WIDTH = 1;
    static final long LIVE_INTERVAL_NS = 1_000_000L;

    private AnalyzerChildMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if ("replay".equals(args[0]))
        {
            replay(args[1], args[2]);
        }
        else if ("replay-files".equals(args[0]))
        {
            replayFiles(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                java.util.Arrays.stream(args, 4, args.length).map(java.nio.file.Path::of).toList());
        }
        else if ("store".equals(args[0]))
        {
            store(args[1]);
        }
        else if ("write".equals(args[0]))
        {
            write(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        }
        else if ("create".equals(args[0]))
        {
            create(args[1]);
        }
        else if ("create-many".equals(args[0]))
        {
            createMany(args[1], Integer.parseInt(args[2]));
        }
        else
        {
            live(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]), args[5]);
        }
    }

    private static void store(final String db) throws Exception
    {
        try (SqliteSink sink = SqliteSink.builder(java.nio.file.Path.of(db)).freeSpaceFloor(0).build())
        {
            Traffic.batch(Traffic.T0, WIDTH, 1).writeTo(sink);
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0)
            {
                Thread.onSpinWait();
            }
        }
        System.out.println("closed");
        System.out.flush();
    }

    private static void write(final String db, final int writer, final int count, final int busyMs) throws Exception
    {
        try (SqliteSink sink = SqliteSink.builder(java.nio.file.Path.of(db)).freeSpaceFloor(0)
            .busyTimeout(java.time.Duration.ofMillis(busyMs)).build())
        {
            System.out.println("ready");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            for (final TestBatch batch : SeveralWritersTest.batches(writer, count))
            {
                batch.writeTo(sink);
            }
            System.out.println("done " + sink.batchesWritten() + " " + sink.othersCommitted());
        }
        System.out.flush();
    }

    private static void create(final String db) throws Exception
    {
        try (SqliteSink sink = SqliteSink.builder(java.nio.file.Path.of(db)).freeSpaceFloor(0).build())
        {
            Traffic.batch(Traffic.T0, WIDTH, 1).of(TestBatch.file("creator-" + ProcessHandle.current().pid()))
                .writeTo(sink);
        }
        System.out.println("created");
        System.out.flush();
    }

    private static void createMany(final String directory, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            SqliteSink.builder(java.nio.file.Path.of(directory, "s-" + i + ".db")).freeSpaceFloor(0).build().close();
            System.out.println("created " + i);
            System.out.flush();
        }
    }

    private static void replay(final String capture, final String db)
    {
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(WIDTH))
            .sink("sqlite:" + db + "?freeSpaceFloor=0")
            .build())
        {
            analyzer.start();
            System.out.println("started");
            System.out.flush();
            reportDeliveries(analyzer);
            analyzer.awaitCompletion();
            System.out.println("done " + analyzer.counter(TrafficCounter.FRAMES));
        }
        System.out.flush();
    }

    private static void replayFiles(
        final String db, final int width, final int shards, final java.util.List<java.nio.file.Path> files)
    {
        final TrafficAnalyzer replayed = ReplayPlan.replay(db, width, shards, files, (analyzer) ->
        {
            System.out.println("started");
            System.out.flush();
            reportDeliveries(analyzer);
        });
        System.out.println("done " + replayed.counter(TrafficCounter.FRAMES));
        System.out.flush();
    }

    private static void live(final String db, final int rate, final long seed, final long baseNs, final String how)
        throws Exception
    {
        // only the analyzer's own shutdown hook closes it; closing the source is what prints the figures
        final AtomicReference<TrafficAnalyzer> built = new AtomicReference<>();
        final EndlessSource source = new EndlessSource(liveTraffic(seed, baseNs), rate, (delivered) ->
        {
            final TrafficAnalyzer analyzer = built.get();
            System.out.println("captured " + delivered + " " + analyzer.counter(TrafficCounter.FRAMES) + " " +
                analyzer.counter(TrafficCounter.RING_DROPS) + " " + analyzer.counter(TrafficCounter.LATE_PACKETS));
            System.out.flush();
        });
        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(source)
            .clock(source.clock())
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(LIVE_WIDTH))
            .allowedLateness(Duration.ZERO)
            .ringBufferCapacity(16 * 1024 * 1024)
            .sink("sqlite:" + db + "?freeSpaceFloor=0")
            .build();
        built.set("explicit".equals(how) ? analyzer.closeOnShutdown() : analyzer);
        analyzer.start();
        System.out.println("started");
        System.out.flush();
        reportDeliveries(analyzer);
        if ("return".equals(how))
        {
            while (analyzer.counter(TrafficCounter.BATCHES_DELIVERED) < 2)
            {
                LockSupport.parkNanos(1_000_000);
            }
            return;
        }
        Thread.currentThread().join();
    }

    private static void reportDeliveries(final TrafficAnalyzer analyzer)
    {
        final Thread reporter = new Thread(() ->
        {
            long reported = 0;
            while (true)
            {
                final long delivered = analyzer.counter(TrafficCounter.BATCHES_DELIVERED);
                if (delivered != reported)
                {
                    System.out.println("delivered " + delivered);
                    System.out.flush();
                    reported = delivered;
                }
                LockSupport.parkNanos(100_000);
            }
        }, "delivery-reporter");
        reporter.setDaemon(true);
        reporter.start();
    }

    static GeneratedTraffic liveTraffic(final long seed, final long baseNs)
    {
        return new GeneratedTraffic(baseNs, LIVE_INTERVAL_NS, 50, 2_000, seed, 200);
    }
}
