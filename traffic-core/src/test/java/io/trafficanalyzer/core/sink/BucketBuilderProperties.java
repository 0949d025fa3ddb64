package io.trafficanalyzer.core.sink;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BucketBuilderProperties
{
    private static final List<String> VIEWS = List.of("hosts", "ports", "peers");
    private static final long[] FEW_LONGS = { Long.MIN_VALUE, -1, 0, 1, 0x7FFF_FFFF_FFFF_FFFFL, 0xFFFF_0A00_0001L };
    private static final int[] FEW_INTS = { Integer.MIN_VALUE, -1, 0, 6, 17, 443, 65_535 };

    // the order of a sealed bucket, written out field by field: addresses unsigned, the rest signed, folded before
    // served (the flags byte holds folded as its higher bit), false before true
    private static final Comparator<Key> SEALED_ORDER = Comparator.comparingInt(Key::view)
        .thenComparing(Key::hostHi, Long::compareUnsigned)
        .thenComparing(Key::hostLo, Long::compareUnsigned)
        .thenComparingInt(Key::protocol)
        .thenComparingInt(Key::port)
        .thenComparing(Key::folded)
        .thenComparing(Key::served)
        .thenComparing(Key::peerHi, Long::compareUnsigned)
        .thenComparing(Key::peerLo, Long::compareUnsigned)
        .thenComparingLong(Key::key);

    enum Arrangement
    {
        AS_GENERATED, SORTED, REVERSED
    }

    record Key(int view, long hostHi, long hostLo, int protocol, int port, boolean folded, boolean served,
        long peerHi, long peerLo, long key)
    {
    }

    record Row(Key key, long[] measures)
    {
    }

    @Property(tries = 300)
    void shouldSumEqualKeysAndOrderRowsByKeyWhenRowsComeInAnyOrder(
        @ForAll @IntRange(min = 0, max = 2_000) final int count,
        @ForAll final long seed,
        @ForAll final Arrangement arrangement,
        @ForAll final boolean fewDistinctFields,
        @ForAll final boolean merged)
    {
        assertBuildsSortedSums(count, new Random(seed), arrangement, fewDistinctFields, merged);
    }

    @Example
    void shouldSumEqualKeysAndOrderRowsByKeyWhenCountIsLargeAndOdd()
    {
        final Random random = new Random(5);
        for (final Arrangement arrangement : Arrangement.values())
        {
            assertBuildsSortedSums(40_001, random, arrangement, false, false);
            assertBuildsSortedSums(30_001, random, arrangement, true, true);
        }
    }

    @Example
    void shouldSumEqualKeysAndOrderRowsByKeyWhenThereAreNoneOneOrTwo()
    {
        final Random random = new Random(9);
        for (final Arrangement arrangement : Arrangement.values())
        {
            for (int count = 0; count <= 3; count++)
            {
                for (int i = 0; i < 20; i++)
                {
                    assertBuildsSortedSums(count, random, arrangement, i % 2 == 0, i % 4 < 2);
                }
            }
        }
    }

    private static void assertBuildsSortedSums(
        final int count,
        final Random random,
        final Arrangement arrangement,
        final boolean fewDistinctFields,
        final boolean merged)
    {
        final List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final Key key = fewDistinctFields ? fewDistinctKey(random) : randomKey(random);
            rows.add(new Row(key, new long[]{
                random.nextInt(1_000_000), random.nextInt(1_000), random.nextInt(1_000_000), random.nextInt(1_000) }));
        }
        if (arrangement != Arrangement.AS_GENERATED)
        {
            final Comparator<Row> byKey = Comparator.comparing(Row::key, SEALED_ORDER);
            rows.sort(arrangement == Arrangement.SORTED ? byKey : byKey.reversed());
        }

        final Map<Key, long[]> sums = new LinkedHashMap<>();
        for (final Row row : rows)
        {
            final long[] sum = sums.computeIfAbsent(row.key(), (k) -> new long[4]);
            for (int m = 0; m < 4; m++)
            {
                sum[m] += row.measures()[m];
            }
        }
        final List<Key> expected = new ArrayList<>(sums.keySet());
        expected.sort(SEALED_ORDER);

        final BucketBuilder builder = new BucketBuilder(VIEWS);
        final SealedBucket bucket;
        if (merged)
        {
            final int split = count == 0 ? 0 : random.nextInt(count + 1);
            final SealedBucket older = build(builder, rows.subList(0, split), 100);
            final SealedBucket newer = build(builder, rows.subList(split, count), 110);
            bucket = builder.merge(older, newer);
        }
        else
        {
            bucket = build(builder, rows, 100);
        }

        final String context = count + " rows, " + arrangement + ", few distinct: " + fewDistinctFields +
            ", merged: " + merged;
        assertEquals(expected.size(), bucket.rowCount(), context);
        for (int i = 0; i < expected.size(); i++)
        {
            final Key key = new Key(bucket.viewIndex(i), bucket.hostHi(i), bucket.hostLo(i), bucket.protocol(i),
                bucket.port(i), bucket.isFolded(i), bucket.served(i), bucket.peerHi(i), bucket.peerLo(i),
                bucket.key(i));
            assertEquals(expected.get(i), key, context + ", row " + i);
            assertArrayEquals(sums.get(key), new long[]{
                bucket.inBytes(i), bucket.inPackets(i), bucket.outBytes(i), bucket.outPackets(i) }, context);
        }
    }

    private static SealedBucket build(final BucketBuilder builder, final List<Row> rows, final long start)
    {
        for (final Row row : rows)
        {
            final Key k = row.key();
            final long[] m = row.measures();
            builder.addRow(k.view(), k.hostHi(), k.hostLo(), k.peerHi(), k.peerLo(), k.protocol(), k.port(),
                k.served(), k.key(), k.folded(), m[0], m[1], m[2], m[3]);
        }

        return builder.build(BucketBuilderTest.AGENT, BucketBuilderTest.STREAM, 0, start, 10, QualityFigures.EMPTY);
    }

    private static Key fewDistinctKey(final Random random)
    {
        return new Key(random.nextInt(VIEWS.size()), fewLong(random), fewLong(random), fewInt(random), fewInt(random),
            random.nextBoolean(), random.nextBoolean(), fewLong(random), fewLong(random), fewLong(random));
    }

    private static Key randomKey(final Random random)
    {
        return new Key(random.nextInt(VIEWS.size()), random.nextLong(), random.nextLong(), random.nextInt(),
            random.nextInt(), random.nextBoolean(), random.nextBoolean(), random.nextLong(), random.nextLong(),
            random.nextLong());
    }

    private static long fewLong(final Random random)
    {
        return FEW_LONGS[random.nextInt(FEW_LONGS.length)];
    }

    private static int fewInt(final Random random)
    {
        return FEW_INTS[random.nextInt(FEW_INTS.length)];
    }
}
