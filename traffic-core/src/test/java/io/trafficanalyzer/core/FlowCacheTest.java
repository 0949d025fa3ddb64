package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.PacketRecordDecoder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.DecodedPacket;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class FlowCacheTest
{
    private static final int V4 = 4;
    private static final LocalNetworks LOCAL = LocalNetworks.of("10.0.0.0/8");
    private final List<FlowCache> caches = new ArrayList<>();
    private RecordWriter[] writers;

    @AfterEach
    void close()
    {
        caches.forEach(FlowCache::close);
    }

    @Test
    void shouldCountPacketsOfOneKeyIntoOneRecord()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(16, false, ring);

        assertTrue(add(cache, 100, 1, 7, 53, 100));
        assertTrue(add(cache, 100, 1, 7, 53, 200));
        assertTrue(add(cache, 100, 1, 7, 53, 300));

        assertEquals(1, cache.used());
        assertEquals(0, records(ring).size());
        assertEquals(1, cache.flush(Long.MAX_VALUE));
        assertEquals(0, cache.used());
        final List<long[]> records = records(ring);
        assertEquals(1, records.size());
        assertArrayEquals(new long[]{ 100, 1, 7, 53, 3, 600 }, records.get(0));
    }

    @Test
    void shouldPassEveryPacketOnAsItsOwnRecordWithoutEntries()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(0, false, ring);

        assertTrue(add(cache, 100, 1, 7, 53, 100));
        assertTrue(add(cache, 100, 1, 7, 53, 200));

        assertEquals(0, cache.used());
        assertEquals(2, cache.bypassedPackets());
        final List<long[]> records = records(ring);
        assertEquals(2, records.size());
        assertArrayEquals(new long[]{ 100, 1, 7, 53, 1, 100 }, records.get(0));
        assertArrayEquals(new long[]{ 100, 1, 7, 53, 1, 200 }, records.get(1));
        assertEquals(0, cache.flush(Long.MAX_VALUE));
    }

    @Test
    void shouldKeepKeysApartWhenAnyFieldDiffers()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(64, false, ring);
        final long l1 = local(1);
        final long r2 = remote(2);
        final int at = FlowCache.SERVICE_AT_DESTINATION;
        final long[][] keys = {
            { 100, 0, l1, 0, r2, 53, -1, 17, at, 4, 0 },
            { 110, 0, l1, 0, r2, 53, -1, 17, at, 4, 0 },
            { 100, 9, l1, 0, r2, 53, -1, 17, at, 4, 0 },
            { 100, 0, local(3), 0, r2, 53, -1, 17, at, 4, 0 },
            { 100, 0, l1, 9, r2, 53, -1, 17, at, 4, 0 },
            { 100, 0, l1, 0, remote(3), 53, -1, 17, at, 4, 0 },
            { 100, 0, l1, 0, r2, 54, -1, 17, at, 4, 0 },
            { 100, 0, l1, 0, r2, 53, 10, 17, at, 4, 0 },
            { 100, 0, l1, 0, r2, 53, -1, 6, at, 4, 0 },
            { 100, 0, l1, 0, r2, 53, -1, 17, at | FRAGMENT_FLAG, 4, 0 },
            { 100, 0, l1, 0, r2, 53, -1, 17, FlowCache.SERVICE_AT_SOURCE, 4, 0 },
            { 100, 0, l1, 0, r2, 53, -1, 17, at, 6, 0 },
            { 100, 0, l1, 0, r2, 53, -1, 17, at, 4, 46 },
        };
        for (int round = 1; round <= 2; round++)
        {
            for (final long[] k : keys)
            {
                final int classes = add(cache, k[0], k[1], k[2], k[3], k[4], (int)k[5], (int)k[6], (int)k[7],
                    (int)k[8], (int)k[9], (int)k[10], 10 * round);
                assertEquals(0 == k[1] ? FlowCache.SOURCE_LOCAL : 0, classes);
            }
        }

        // the two keys whose source is not IPv4-mapped 10/8 are transit: counted, no record
        assertEquals(keys.length, cache.flush(Long.MAX_VALUE));
        final Map<String, Integer> packetsByKey = new HashMap<>();
        final PacketRecordDecoder decoder = new PacketRecordDecoder();
        ring.read((type, buffer, index, length) ->
        {
            decoder.wrap(buffer, index);
            assertEquals(30, decoder.bytes());
            assertTrue(decoder.isOutbound());
            final String key = decoder.bucketStartSecond() + "/" + decoder.hostHi() + "/" + decoder.hostLo() + "/" +
                decoder.peerHi() + "/" + decoder.peerLo() + "/" + decoder.servicePort() + "/" + decoder.vlanId() + "/" +
                decoder.protocol() + "/" + decoder.isFragment() + "/" + decoder.isServed() + "/" +
                decoder.ipVersion() + "/" + decoder.dscp();
            packetsByKey.put(key, decoder.packets());
        });
        assertEquals(keys.length - 1, packetsByKey.size());
        assertTrue(packetsByKey.values().stream().allMatch((p) -> p == 2));
    }

    @Test
    void shouldWriteTheLeastRecentlyCountedEntryOfAFullSetForANewKey()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(FlowCache.WAYS, false, ring);
        for (int peer = 1; peer <= FlowCache.WAYS; peer++)
        {
            assertTrue(add(cache, 100, 1, peer, 53, peer));
        }
        assertTrue(add(cache, 100, 1, 1, 53, 10));
        assertTrue(add(cache, 100, 1, 3, 53, 30));
        assertEquals(0, records(ring).size());

        // peer 2 was counted longest ago, then peer 4
        assertTrue(add(cache, 100, 1, 98, 53, 1000));
        assertTrue(add(cache, 100, 1, 99, 53, 1000));
        final List<long[]> records = records(ring);
        assertEquals(2, records.size());
        assertArrayEquals(new long[]{ 100, 1, 2, 53, 1, 2 }, records.get(0));
        assertArrayEquals(new long[]{ 100, 1, 4, 53, 1, 4 }, records.get(1));
        assertEquals(FlowCache.WAYS, cache.used());
    }

    @Test
    void shouldRefuseAPacketAndKeepTheEntryWhenALiveRingIsFull()
    {
        final RingBuffer ring = ring(4096);
        final FlowCache cache = cache(FlowCache.WAYS, true, ring);
        int accepted = 0;
        int refused = 0;
        for (int peer = 1; peer <= 200; peer++)
        {
            if (add(cache, 100, 1, peer, 53, 10))
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        assertTrue(refused > 0, "refused " + refused);
        final List<long[]> inRing = records(ring);
        assertEquals(accepted - FlowCache.WAYS, inRing.size());
        assertEquals(FlowCache.WAYS, cache.flush(Long.MAX_VALUE));
        final List<long[]> flushed = records(ring);
        assertEquals(FlowCache.WAYS, flushed.size());
        long packets = 0;
        for (final long[] record : inRing)
        {
            packets += record[4];
        }
        for (final long[] record : flushed)
        {
            packets += record[4];
        }
        assertEquals(accepted, packets);
    }

    @Test
    void shouldFlushOnlyTheBucketsUpToTheOneGiven()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(64, false, ring);
        add(cache, 100, 1, 2, 53, 1);
        add(cache, 110, 1, 2, 53, 2);
        add(cache, 120, 1, 2, 53, 3);

        assertEquals(2, cache.flush(110));
        final List<long[]> records = records(ring);
        assertEquals(2, records.size());
        assertEquals(210, records.get(0)[0] + records.get(1)[0]);
        assertEquals(1, cache.used());
        assertEquals(1, cache.flush(Long.MAX_VALUE));
        assertArrayEquals(new long[]{ 120, 1, 2, 53, 1, 3 }, records(ring).get(0));
    }

    @Test
    void shouldGiveEachLocalSideItsRecordAndTransitNone()
    {
        final RingBuffer ring = ring(64 * 1024);
        final FlowCache cache = cache(64, false, ring);
        final int at = FlowCache.SERVICE_AT_DESTINATION;

        assertEquals(FlowCache.SOURCE_LOCAL | FlowCache.DESTINATION_LOCAL,
            add(cache, 100, 0, local(1), 0, local(2), 22, -1, 6, at, V4, 0, 60));
        assertEquals(FlowCache.SOURCE_LOCAL | FlowCache.DESTINATION_LOCAL,
            add(cache, 100, 0, local(1), 0, local(2), 22, -1, 6, at, V4, 0, 40));
        assertEquals(FlowCache.DESTINATION_LOCAL, add(cache, 100, 0, remote(7), 0, local(2), 22, -1, 6, at, V4, 0, 5));
        assertEquals(0, add(cache, 100, 0, remote(7), 0, remote(8), 22, -1, 6, at, V4, 0, 1000));
        assertEquals(3, cache.used());

        assertEquals(3, cache.flush(Long.MAX_VALUE));
        final List<String> records = new ArrayList<>();
        final PacketRecordDecoder decoder = new PacketRecordDecoder();
        ring.read((type, buffer, index, length) ->
        {
            decoder.wrap(buffer, index);
            records.add((decoder.hostLo() & 0xFFFFFF) + (decoder.isOutbound() ? " to " : " from ") +
                (decoder.peerLo() & 0xFFFFFF) + " served=" + decoder.isServed() + " " + decoder.packets() + "/" +
                decoder.bytes());
        });
        records.sort(String::compareTo);
        assertEquals(List.of(
            "1 to 2 served=false 2/100",
            "2 from 1 served=true 2/100",
            "2 from " + (0x330000 | 7) + " served=true 1/5"), records);
    }

    @Test
    void shouldWriteBothRecordsOfALeavingEntryOrNeitherWhenLive()
    {
        final RingBuffer first = ring(4096);
        final RingBuffer second = ring(64 * 1024);
        final FlowCache cache = cache(FlowCache.WAYS, true, first, second);
        final int at = FlowCache.SERVICE_AT_DESTINATION;
        int accepted = 0;
        for (int i = 1; i <= 300; i++)
        {
            if (FlowCache.REFUSED != add(cache, 100, 0, local(i), 0, local(1000 + i), 22, -1, 6, at, V4, 0, 10))
            {
                accepted++;
            }
        }
        assertTrue(accepted < 300, "accepted " + accepted);
        cache.flush(Long.MAX_VALUE);

        final long[] packets = new long[2];
        final PacketRecordDecoder decoder = new PacketRecordDecoder();
        for (final RecordWriter writer : writers)
        {
            // the flush spilled what the small ring could not take
            do
            {
                writer.drain();
                while (writer.ring().read((type, buffer, index, length) ->
                {
                    decoder.wrap(buffer, index);
                    packets[decoder.isOutbound() ? 0 : 1] += decoder.packets();
                }) > 0 || writer.ring().size() > 0)
                {
                    // read on
                }
            }
            while (writer.hasSpill());
        }
        assertEquals(accepted, packets[0]);
        assertEquals(accepted, packets[1]);
    }

    @Test
    void shouldLetPacketsBypassWhileNearlyAllMissAndCountExactly()
    {
        final RingBuffer ring = ring(64 * 1024 * 1024);
        final FlowCache cache = cache(64, false, ring);
        final int packets = 100_000;
        for (int i = 0; i < packets; i++)
        {
            assertTrue(add(cache, 100, i % 200, i, 53, 1 + i % 7));
        }
        // every packet a new key: the first 16 384 misses decide, every later packet bypasses
        assertEquals(packets - 16 * 1024, cache.bypassedPackets());

        cache.flush(Long.MAX_VALUE);
        final List<long[]> records = records(ring);
        long total = 0;
        long bytes = 0;
        for (final long[] record : records)
        {
            assertEquals(1, record[4]);
            assertTrue(record[1] < 200);
            total += record[4];
            bytes += record[5];
        }
        long expectedBytes = 0;
        for (int i = 0; i < packets; i++)
        {
            expectedBytes += 1 + i % 7;
        }
        assertEquals(packets, total);
        assertEquals(expectedBytes, bytes);
    }

    @Property(tries = 200)
    void shouldWriteExactlyWhatWasCountedWhateverTheSizeAndTheShards(
        @ForAll @IntRange(min = 2, max = 8) final int log2Capacity,
        @ForAll @IntRange(min = 1, max = 4) final int shards,
        @ForAll @IntRange(min = 1, max = 300) final int keys,
        @ForAll final long seed)
    {
        final RingBuffer[] rings = new RingBuffer[shards];
        for (int i = 0; i < shards; i++)
        {
            rings[i] = ring(1024 * 1024);
        }
        final FlowCache cache = cache(1 << log2Capacity, false, rings);
        final Random random = new Random(seed);
        final Map<List<Long>, long[]> expected = new HashMap<>();
        final Map<List<Long>, long[]> actual = new HashMap<>();
        for (int i = 0; i < 3000; i++)
        {
            final int key = random.nextInt(keys);
            final long bucket = 100 + 10L * (key % 3);
            final int bytes = 1 + random.nextInt(1500);
            assertTrue(add(cache, bucket, key % 17, key, 1000 + key % 5, bytes));
            final List<Long> k = List.of(bucket, (long)(key % 17), (long)key);
            final long[] sums = expected.computeIfAbsent(k, (ignored) -> new long[2]);
            sums[0]++;
            sums[1] += bytes;
            if (random.nextInt(500) == 0)
            {
                cache.flush(100 + 10L * random.nextInt(3));
            }
            if (random.nextInt(100) == 0)
            {
                collect(rings, actual);
            }
        }
        cache.flush(Long.MAX_VALUE);
        collect(rings, actual);

        assertEquals(expected.keySet(), actual.keySet());
        for (final Map.Entry<List<Long>, long[]> e : expected.entrySet())
        {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), e.getKey().toString());
        }
        assertEquals(0, cache.used());
    }

    private static void collect(final RingBuffer[] rings, final Map<List<Long>, long[]> sums)
    {
        for (int shard = 0; shard < rings.length; shard++)
        {
            for (final long[] record : records(rings[shard]))
            {
                assertEquals(shard, FlowCache.shardOf(0, local(record[1]), rings.length));
                final long[] s = sums.computeIfAbsent(List.of(record[0], record[1], record[2]), (k) -> new long[2]);
                s[0] += record[4];
                s[1] += record[5];
            }
        }
    }

    private FlowCache cache(final int capacity, final boolean live, final RingBuffer... rings)
    {
        writers = new RecordWriter[rings.length];
        for (int i = 0; i < rings.length; i++)
        {
            writers[i] = new RecordWriter(rings[i], 1024);
        }
        final FlowCache cache = new FlowCache(capacity, writers, live, LOCAL);
        caches.add(cache);
        return cache;
    }

    // a packet from local host 10.0.0.host to remote 198.51.x.y, x.y = peer
    private static boolean add(
        final FlowCache cache, final long bucket, final long host, final long peer, final int port, final int bytes)
    {
        return FlowCache.SOURCE_LOCAL == add(cache, bucket, 0, local(host), 0, remote(peer), port, -1, 17,
            FlowCache.SERVICE_AT_DESTINATION, V4, 0, bytes);
    }

    // a decoded packet of a key as the cache keeps it: the service port on the side(s) its flags say, a higher
    // ephemeral port on the other
    private static int add(
        final FlowCache cache,
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int servicePort,
        final int vlanId,
        final int protocol,
        final int flags,
        final int ipVersion,
        final int dscp,
        final int bytes)
    {
        final DecodedPacket packet = new DecodedPacket().reset();
        packet.srcHi = srcHi;
        packet.srcLo = srcLo;
        packet.dstHi = dstHi;
        packet.dstLo = dstLo;
        if (DecodedPacket.NO_PORT != servicePort)
        {
            packet.srcPort = 0 != (flags & FlowCache.SERVICE_AT_SOURCE) ? servicePort : 65_535;
            packet.dstPort = 0 != (flags & FlowCache.SERVICE_AT_DESTINATION) ? servicePort : 65_535;
        }
        packet.vlanId = vlanId;
        packet.protocol = protocol;
        packet.fragment = 0 != (flags & FRAGMENT_FLAG);
        packet.ipVersion = ipVersion;
        packet.dscp = dscp;
        packet.ipBytes = bytes;

        return cache.add(bucketStartSecond, packet);
    }

    private static long local(final long host)
    {
        return 0xFFFF_0A00_0000L | host;
    }

    private static long remote(final long peer)
    {
        return 0xFFFF_C633_0000L | peer;
    }

    // bucket, host lo, peer lo, port, packets, bytes of each record, in ring order
    private static List<long[]> records(final RingBuffer ring)
    {
        final List<long[]> records = new ArrayList<>();
        final PacketRecordDecoder decoder = new PacketRecordDecoder();
        // a read stops where the ring wraps
        while (ring.read((type, buffer, index, length) ->
        {
            assertEquals(PACKET_MSG_TYPE_ID, type);
            assertEquals(PACKET_LENGTH, length);
            decoder.wrap(buffer, index);
            assertTrue(decoder.isOutbound());
            assertFalse(decoder.isServed());
            records.add(new long[]{ decoder.bucketStartSecond(), decoder.hostLo() & 0xFFFFFF,
                decoder.peerLo() & 0xFFFF, decoder.servicePort(), decoder.packets(), decoder.bytes() });
        }, Integer.MAX_VALUE) > 0 || ring.size() > 0)
        {
            // read on
        }
        return records;
    }

    private static RingBuffer ring(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }
}
