package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.sqlite.GeneratedCapture.Slice;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.trafficanalyzer.sqlite.GeneratedCapture.S;

/**
 * Every packet counted once, end to end: captures cut into parts at random packets, the parts replayed into one store
 * in any order and any way ({@link ReplayPlan}: several files in one run, one per run, at once in analyzers on
 * threads and in child JVMs, some twice, gzipped, or first while their file was still being written), and the four
 * views equal, bucket by bucket and key by key, one run over each whole capture (summed over the captures) and what
 * the test computed from the packets, each part a stream with its own clock. Late packets are counted where their
 * stream saw them late, so that one column alone is compared with the computed figures only.
 */
class CountedOnceProperties
{
    private static final long T0 = 1_700_000_000L * S;
    private static final int[] WIDTHS = { 1, 2, 5, 10 };

    @Property(tries = 10, shrinking = ShrinkingMode.OFF)
    void shouldShowOneRunOverTheWholeCaptureWhenItsPartsAreReplayedInAnyOrderAndAnyWay(
        @ForAll @LongRange(min = 1, max = 1_000_000_000L) final long seed,
        @ForAll @IntRange(min = 1, max = 6) final int parts) throws Exception
    {
        final Random random = new Random(seed);
        final long startNs = T0 + random.nextInt(10_000) * 1_000_000L;
        final GeneratedCapture capture = GeneratedCapture.generate("A", seed, startNs, (5 + random.nextInt(30)) * S,
            300 + random.nextInt(2_700), random.nextBoolean() ? random.nextInt(4) : 0);
        final List<Slice> cut = cut(capture.all(), parts, random);
        final int width = WIDTHS[random.nextInt(WIDTHS.length)];
        // child JVMs cost a second each: in a quarter of the tries
        final ReplayPlan plan = ReplayPlan.random(cut, random, 0 == random.nextInt(4));

        check(List.of(capture), cut, plan, width, "seed " + seed);
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void shouldAddUpTheCapturesOfTwoInterfacesWhenTheirPartsAreReplayedInAnyOrderAndAnyWay(
        @ForAll @LongRange(min = 1, max = 1_000_000_000L) final long seed,
        @ForAll @IntRange(min = 2, max = 6) final int parts) throws Exception
    {
        final Random random = new Random(seed);
        // two interfaces of one period: the second starts while the first runs, and may end before or after it; both
        // see the same local hosts, so that their rows also meet in the same keys
        final long spanNs = (5 + random.nextInt(30)) * S;
        final long secondStartNs = T0 + (long)(random.nextDouble() * spanNs);
        final GeneratedCapture first = GeneratedCapture.generate("A", seed, T0, spanNs, 300 + random.nextInt(1_500),
            random.nextBoolean() ? random.nextInt(3) : 0);
        final GeneratedCapture second = GeneratedCapture.generate("B", seed + 1, secondStartNs,
            (5 + random.nextInt(30)) * S, 300 + random.nextInt(1_500), random.nextBoolean() ? random.nextInt(3) : 0);
        final int firstParts = 1 + random.nextInt(parts - 1);
        final List<Slice> cut = new ArrayList<>(cut(first.all(), firstParts, random));
        cut.addAll(cut(second.all(), parts - firstParts, random));
        final int width = WIDTHS[random.nextInt(WIDTHS.length)];
        final ReplayPlan plan = ReplayPlan.random(cut, random, 0 == random.nextInt(4));

        check(List.of(first, second), cut, plan, width, "seed " + seed);
    }

    @Example
    void shouldShowOneRunOverTheWholeCaptureWhenPartsAreReplayedInEveryWayAtOnce() throws Exception
    {
        final GeneratedCapture capture = GeneratedCapture.generate("A", 42, T0, 20 * S, 2_000, 3);
        final List<Slice> cut = cut(capture.all(), 4, new Random(42));
        final ReplayPlan plan = ReplayPlan.builder(cut)
            .step().inProcess(1).growing(2, cut.get(2).size() / 2).whole(3)
            .step().process(1).whole(1).gzip(0).thread(2).whole(2).process(1).whole(3).thread(3).whole(1).whole(0)
            .step().inProcess(2).gzip(3).whole(0)
            .build();

        check(List.of(capture), cut, plan, 2, "the example");
    }

    @Example
    void shouldAddUpTheCapturesOfTwoInterfacesWhenTheirPartsAreReplayedInEveryWayAtOnce() throws Exception
    {
        // the second interface's capture starts 7 s into the first's and ends 7 s after it: parts 0-2 and 3-5 overlap
        final GeneratedCapture first = GeneratedCapture.generate("A", 7, T0, 20 * S, 800, 2);
        final GeneratedCapture second = GeneratedCapture.generate("B", 8, T0 + 7 * S, 20 * S, 600, 2);
        final Random random = new Random(7);
        final List<Slice> cut = new ArrayList<>(cut(first.all(), 3, random));
        cut.addAll(cut(second.all(), 3, random));
        // one run reading both interfaces' files, the second's first; then child JVMs and analyzers on threads at
        // once, each with parts of both interfaces, three parts a second time (one gzipped), one after its file was
        // read while still being written
        final ReplayPlan plan = ReplayPlan.builder(cut)
            .step().inProcess(2).whole(3).growing(4, cut.get(4).size() / 2).whole(0)
            .step().process(1).whole(1).whole(4).process(2).gzip(5).whole(0).thread(1).whole(2).whole(3)
            .thread(3).gzip(1)
            .step().inProcess(1).whole(5).whole(2)
            .build();

        check(List.of(first, second), cut, plan, 2, "the two interfaces' example");
    }

    /*
     * Runs the plan into a store, each capture whole into a store of its own, and compares: the plan's store with the
     * sum of the whole runs, every column but late_packets; with what the parts must show as streams of their own,
     * every column; and each whole run with what it must show.
     */
    private static void check(
        final List<GeneratedCapture> captures,
        final List<Slice> parts,
        final ReplayPlan plan,
        final int width,
        final String what) throws Exception
    {
        final Path dir = Files.createTempDirectory("counted-once");
        try
        {
            ViewSnapshot wholeRuns = new ViewSnapshot();
            for (int c = 0; c < captures.size(); c++)
            {
                final Slice whole = captures.get(c).all();
                final Path file = dir.resolve("whole-" + c + ".pcap");
                whole.write(file, false);
                final Path db = dir.resolve("whole-" + c + ".db");
                ReplayPlan.replay(db.toString(), width, 1, List.of(file));
                final ViewSnapshot run = ViewSnapshot.read(db);
                ViewSnapshot.assertSame(GeneratedCapture.expected(List.of(whole), width), run, true,
                    what + ": one run over capture " + captures.get(c) + " against the packets");
                wholeRuns = wholeRuns.plus(run);
            }

            final Path db = dir.resolve("parts.db");
            plan.run(dir, db, width);

            final String ran = what + ", bucket " + width + " s, parts " + parts + ", " + plan;
            final ViewSnapshot stored = ViewSnapshot.read(db);
            ViewSnapshot.assertSame(wholeRuns.without(ViewSnapshot.QUALITY, "late_packets"),
                stored.without(ViewSnapshot.QUALITY, "late_packets"), false, ran + ": against the whole runs");
            ViewSnapshot.assertSame(GeneratedCapture.expected(parts, width), stored, true,
                ran + ": against the packets");
        }
        finally
        {
            ReplayPlan.deleteTree(dir);
        }
    }

    // the slice cut in the given number of parts (fewer when it has fewer packets) at random packets
    private static List<Slice> cut(final Slice slice, final int parts, final Random random)
    {
        final List<Integer> cuts = new ArrayList<>();
        for (int i = slice.from() + 1; i < slice.to(); i++)
        {
            cuts.add(i);
        }
        Collections.shuffle(cuts, random);
        final List<Integer> chosen = new ArrayList<>(cuts.subList(0, Math.min(parts - 1, cuts.size())));
        Collections.sort(chosen);
        chosen.add(slice.to());
        final List<Slice> slices = new ArrayList<>();
        int from = slice.from();
        for (final int to : chosen)
        {
            slices.add(new Slice(slice.capture(), from, to));
            from = to;
        }
        return slices;
    }
}
