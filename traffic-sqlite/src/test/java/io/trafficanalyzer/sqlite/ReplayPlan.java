package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.sqlite.GeneratedCapture.Slice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How the parts of a capture are replayed into one store: steps one after the other; in a step, runners at once,
 * each an analyzer reading its files one after the other, each file a stream of its own: on the test's thread (a step
 * of one), on a thread of its own, or in a child JVM ({@link AnalyzerChildMain} {@code replay-files}). A file is a
 * part whole, the part gzipped, or its first packets only (the file as it was while still being written, read
 * before the whole of it).
 */
final class ReplayPlan
{
    private static final long CHILD_TIMEOUT_MS = 120_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    enum Where
    {
        IN_PROCESS, THREAD, PROCESS
    }

    /*
     * One file read: part "part", gzipped or not, its first "first" packets only when first > 0.
     */
    record Delivery(int part, boolean gzip, int first)
    {
        String fileName()
        {
            return "part-" + part + (first > 0 ? "-first-" + first : "") + (gzip ? ".pcap.gz" : ".pcap");
        }

        public String toString()
        {
            return "p" + part + (first > 0 ? "(first " + first + ")" : "") + (gzip ? ".gz" : "");
        }
    }

    record Runner(Where where, int shards, List<Delivery> deliveries)
    {
        public String toString()
        {
            return where.name().toLowerCase().replace('_', '-') + (shards > 1 ? " " + shards + " shards " : " ") +
                deliveries;
        }
    }

    private final List<Slice> parts;
    private final List<List<Runner>> steps;

    private ReplayPlan(final List<Slice> parts, final List<List<Runner>> steps)
    {
        this.parts = parts;
        this.steps = steps;
    }

    /*
     * Every part read whole once, a third of them twice, a fifth first in part, in a random order; grouped into
     * runners of one to three files and steps of one to three runners, child JVMs only when processes is true.
     */
    static ReplayPlan random(final List<Slice> parts, final Random random, final boolean processes)
    {
        final List<Delivery> deliveries = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++)
        {
            deliveries.add(new Delivery(p, 0 == random.nextInt(4), 0));
            if (0 == random.nextInt(3))
            {
                deliveries.add(new Delivery(p, random.nextBoolean(), 0));
            }
            if (parts.get(p).size() > 1 && 0 == random.nextInt(5))
            {
                deliveries.add(new Delivery(p, false, 1 + random.nextInt(parts.get(p).size() - 1)));
            }
        }
        Collections.shuffle(deliveries, random);
        // a file read while being written is read before the whole of it
        for (int i = 0; i < deliveries.size(); i++)
        {
            final Delivery growing = deliveries.get(i);
            if (growing.first() > 0)
            {
                for (int j = 0; j < i; j++)
                {
                    if (deliveries.get(j).part() == growing.part())
                    {
                        deliveries.remove(i);
                        deliveries.add(j, growing);
                        break;
                    }
                }
            }
        }

        final List<List<Runner>> steps = new ArrayList<>();
        int next = 0;
        while (next < deliveries.size())
        {
            final int runners = 1 + random.nextInt(3);
            final List<Runner> step = new ArrayList<>();
            final Set<Integer> growingHere = new HashSet<>();
            boolean full = false;
            while (!full && step.size() < runners && next < deliveries.size())
            {
                final int files = 1 + random.nextInt(3);
                final List<Delivery> mine = new ArrayList<>();
                while (mine.size() < files && next < deliveries.size())
                {
                    final Delivery delivery = deliveries.get(next);
                    // the whole file only once its partial read is over: in a later step
                    if (0 == delivery.first() && growingHere.contains(delivery.part()))
                    {
                        full = true;
                        break;
                    }
                    if (delivery.first() > 0)
                    {
                        growingHere.add(delivery.part());
                    }
                    mine.add(delivery);
                    next++;
                }
                if (!mine.isEmpty())
                {
                    final boolean process = processes && (runners > 1 ? random.nextBoolean() : 0 == random.nextInt(3));
                    final Where where = process ? Where.PROCESS : runners > 1 ? Where.THREAD : Where.IN_PROCESS;
                    step.add(new Runner(where, 1 + random.nextInt(3), mine));
                }
            }
            steps.add(step);
        }
        return new ReplayPlan(parts, steps);
    }

    static Builder builder(final List<Slice> parts)
    {
        return new Builder(parts);
    }

    /*
     * Writes the files the plan reads into dir, then runs its steps into the store.
     */
    void run(final Path dir, final Path db, final int width) throws Exception
    {
        final Set<String> written = new HashSet<>();
        for (final List<Runner> step : steps)
        {
            for (final Runner runner : step)
            {
                for (final Delivery delivery : runner.deliveries())
                {
                    if (written.add(delivery.fileName()))
                    {
                        final Slice part = parts.get(delivery.part());
                        (delivery.first() > 0 ? part.first(delivery.first()) : part)
                            .write(dir.resolve(delivery.fileName()), delivery.gzip());
                    }
                }
            }
        }

        for (final List<Runner> step : steps)
        {
            if (1 == step.size() && Where.IN_PROCESS == step.get(0).where())
            {
                final Runner runner = step.get(0);
                final long frames =
                    replay(db.toString(), width, runner.shards(), files(dir, runner)).counter(TrafficCounter.FRAMES);
                check(frames == frames(runner), runner + " read " + frames + " frames, not " + frames(runner));
            }
            else
            {
                runAtOnce(step, dir, db, width);
            }
        }
    }

    // the children first, and the threads once every child has started its analyzer, so that they write together
    private void runAtOnce(final List<Runner> step, final Path dir, final Path db, final int width) throws Exception
    {
        final List<ChildJvm> children = new ArrayList<>();
        final List<Runner> childRunners = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        try
        {
            for (final Runner runner : step)
            {
                if (Where.PROCESS == runner.where())
                {
                    final List<String> args = new ArrayList<>(List.of("replay-files", db.toString(),
                        Integer.toString(width), Integer.toString(runner.shards())));
                    files(dir, runner).forEach((file) -> args.add(file.toString()));
                    children.add(ChildJvm.start(dir, args.toArray(new String[0])));
                    childRunners.add(runner);
                }
            }
            for (final ChildJvm child : children)
            {
                child.expectLine("started", CHILD_TIMEOUT_MS);
            }
            for (final Runner runner : step)
            {
                if (Where.PROCESS != runner.where())
                {
                    final Thread thread = new Thread(() ->
                    {
                        try
                        {
                            final long frames = replay(db.toString(), width, runner.shards(), files(dir, runner))
                                .counter(TrafficCounter.FRAMES);
                            check(frames == frames(runner), runner + " read " + frames + " frames");
                        }
                        catch (final Throwable ex)
                        {
                            failures.add(ex);
                        }
                    }, "replay " + runner);
                    thread.start();
                    threads.add(thread);
                }
            }
            for (final Thread thread : threads)
            {
                thread.join(CHILD_TIMEOUT_MS);
                check(!thread.isAlive(), thread.getName() + " did not end");
            }
            for (int c = 0; c < children.size(); c++)
            {
                final ChildJvm child = children.get(c);
                final String done = child.expectLine("done ", CHILD_TIMEOUT_MS);
                check(Long.parseLong(done) == frames(childRunners.get(c)), childRunners.get(c) + " read " + done +
                    " frames" + child.stderr());
                check(0 == child.waitFor(CHILD_TIMEOUT_MS), childRunners.get(c) + " failed" + child.stderr());
            }
        }
        finally
        {
            children.forEach(ChildJvm::close);
        }
        if (!failures.isEmpty())
        {
            final AssertionError error = new AssertionError("a runner failed: " + failures.get(0), failures.get(0));
            failures.subList(1, failures.size()).forEach(error::addSuppressed);
            throw error;
        }
    }

    private long frames(final Runner runner)
    {
        long frames = 0;
        for (final Delivery delivery : runner.deliveries())
        {
            frames += delivery.first() > 0 ? delivery.first() : parts.get(delivery.part()).size();
        }
        return frames;
    }

    private static List<Path> files(final Path dir, final Runner runner)
    {
        final List<Path> files = new ArrayList<>();
        for (final Delivery delivery : runner.deliveries())
        {
            files.add(dir.resolve(delivery.fileName()));
        }
        return files;
    }

    static TrafficAnalyzer replay(final String db, final int width, final int shards, final List<Path> files)
    {
        return replay(db, width, shards, files, (analyzer) ->
        {
        });
    }

    /*
     * One analyzer replaying the files, one after the other, into the store through a sqlite: sink, on the calling
     * thread; onStarted is given it once it has started. Returns it closed, its counters kept; fails on any error it
     * reported.
     */
    static TrafficAnalyzer replay(
        final String db,
        final int width,
        final int shards,
        final List<Path> files,
        final Consumer<TrafficAnalyzer> onStarted)
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(CaptureFileSource.open(files))
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(width))
            .allowedLateness(Duration.ofNanos(GeneratedCapture.LATENESS_NS))
            .shards(shards)
            .sink("sqlite:" + db + "?freeSpaceFloor=0")
            .errorHandler(errors::add)
            .build();
        try
        {
            analyzer.start();
            onStarted.accept(analyzer);
            check(analyzer.awaitCompletion(RUN_TIMEOUT), "the replay of " + files + " did not end");
        }
        finally
        {
            analyzer.close();
        }
        if (!errors.isEmpty())
        {
            final AssertionError error = new AssertionError("the replay of " + files + " reported " + errors.size() +
                " errors, the first: " + errors.get(0), errors.get(0));
            throw error;
        }
        check(0 == analyzer.counter(TrafficCounter.SINK_DROPS), "the replay of " + files + " lost buckets");
        return analyzer;
    }

    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void check(final boolean condition, final String problem)
    {
        if (!condition)
        {
            throw new AssertionError(problem);
        }
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder("plan:");
        for (int s = 0; s < steps.size(); s++)
        {
            final List<Runner> step = steps.get(s);
            sb.append(' ').append(s + 1).append(step.size() > 1 ? ". at once: " : ". ");
            for (int r = 0; r < step.size(); r++)
            {
                sb.append(r > 0 ? " | " : "").append(step.get(r));
            }
            sb.append(';');
        }
        return sb.toString();
    }

    /**
     * A plan spelled out: {@code step()}, then per runner where it runs and its shards, then its files.
     */
    static final class Builder
    {
        private final List<Slice> parts;
        private final List<List<Runner>> steps = new ArrayList<>();
        private List<Delivery> deliveries;

        private Builder(final List<Slice> parts)
        {
            this.parts = parts;
        }

        Builder step()
        {
            steps.add(new ArrayList<>());
            return this;
        }

        Builder inProcess(final int shards)
        {
            return runner(Where.IN_PROCESS, shards);
        }

        Builder thread(final int shards)
        {
            return runner(Where.THREAD, shards);
        }

        Builder process(final int shards)
        {
            return runner(Where.PROCESS, shards);
        }

        Builder whole(final int part)
        {
            deliveries.add(new Delivery(part, false, 0));
            return this;
        }

        Builder gzip(final int part)
        {
            deliveries.add(new Delivery(part, true, 0));
            return this;
        }

        Builder growing(final int part, final int first)
        {
            deliveries.add(new Delivery(part, false, first));
            return this;
        }

        ReplayPlan build()
        {
            return new ReplayPlan(parts, steps);
        }

        private Builder runner(final Where where, final int shards)
        {
            deliveries = new ArrayList<>();
            steps.get(steps.size() - 1).add(new Runner(where, shards, deliveries));
            return this;
        }
    }
}
