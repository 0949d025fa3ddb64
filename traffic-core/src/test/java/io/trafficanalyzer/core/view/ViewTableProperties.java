package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.RowWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ViewTableProperties
{
    @Property(tries = 200)
    void shouldSumLikeAMapWhateverIsPrefetchedBeforeTheAdds(
        @ForAll @LongRange(min = 1, max = 1_000_000) final long seed,
        @ForAll @IntRange(min = 1, max = 400) final int keys,
        @ForAll @IntRange(min = 1, max = 2_000) final int packets,
        @ForAll @IntRange(min = 0, max = 3) final int prefetching)
    {
        final Random random = new Random(seed);
        final Map<Long, Map<Integer, long[]>> expected = new HashMap<>();
        try (ViewTable table = new ViewTable(keys, 2, 0))
        {
            int i = 0;
            while (i < packets)
            {
                final int group = Math.min(packets - i, 1 + random.nextInt(ViewTable.MAX_PREFETCHED));
                final int[] groupKeys = new int[group];
                for (int j = 0; j < group; j++)
                {
                    groupKeys[j] = random.nextInt(keys);
                    // 0: none; 1: the keys about to be added; 2: other keys; 3: a mix of those and of the same keys
                    // in the other bucket
                    final int choice = prefetching == 3 ? random.nextInt(3) : prefetching - 1;
                    final int prefetched = choice == 1 ? random.nextInt(keys) : groupKeys[j];
                    final long bucket = choice == 2 ? 30 - bucket(prefetched) : bucket(prefetched);
                    if (prefetching != 0)
                    {
                        table.prefetch(
                            bucket, prefetched % 3, prefetched, prefetched * 31L, -prefetched, prefetched & 0xFFFF);
                    }
                }
                for (final int key : groupKeys)
                {
                    final boolean outbound = random.nextBoolean();
                    final int bytes = 1 + random.nextInt(1500);
                    table.add(bucket(key), key % 3, key, key * 31L, -key, key & 0xFFFF, outbound, 1, bytes);
                    final long[] sums = expected.computeIfAbsent(bucket(key), (b) -> new HashMap<>())
                        .computeIfAbsent(key, (k) -> new long[4]);
                    sums[outbound ? 2 : 0] += bytes;
                    sums[outbound ? 3 : 1]++;
                }
                i += group;
            }

            for (final long bucket : new long[]{ 10, 20 })
            {
                final Map<Integer, long[]> sums = expected.getOrDefault(bucket, Map.of());
                final int[] rows = new int[1];
                final BucketRow row = new BucketRow();
                final RowWriter check = new RowWriter(0, (buffer, offset, length) ->
                {
                    row.wrap(List.of("test"), buffer, offset);
                    final int key = (int)row.hostLo();
                    assertArrayEquals(new long[]{ key % 3, key * 31L, -key, key & 0xFFFF, 0 },
                        new long[]{ row.hostHi(), row.peerHi(), row.peerLo(), row.key(), row.isFolded() ? 1 : 0 });
                    assertArrayEquals(sums.get(key),
                        new long[]{ row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets() });
                    rows[0]++;
                });
                // the table's raw key: k1 and k2 as the peer, k3 as the custom key
                assertEquals(0, table.seal(bucket, check, (k1, k2, k3, written) -> written.peer(k1, k2).key(k3)));
                assertEquals(sums.size(), rows[0]);
            }
        }
    }

    private static long bucket(final int key)
    {
        return key % 2 == 0 ? 10 : 20;
    }
}
