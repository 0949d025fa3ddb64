package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.DscpAggregator;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.trafficanalyzer.core.ExpectedTraffic.snapshots;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTest
{
    static final long S = 1_000_000_000L;
    static final long T0 = 1_700_000_000L * S;

    private final List<SealedBucket> sealed = new ArrayList<>();
    private final TrafficCounters counters = new TrafficCounters();
    private final ManualClock clock = new ManualClock(T0);

    private Context settings(final CaptureSource source, final int shards)
    {
        return new Context()
            .source(source)
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .allowedLateness(Duration.ofNanos(2 * S))
            .shards(shards)
            .maxKeysPerBucket(20_000)
            .ringBufferCapacity(64 * 1024)
            .listener(sealed::add)
            .counters(counters)
            .errorHandler((ex) ->
            {
                throw new AssertionError(ex);
            })
            .clock(clock);
    }

    static void runUntilFlushed(final Pipeline pipeline) throws Exception
    {
        for (int i = 0; i < 1_000_000 && !pipeline.isFlushed(); i++)
        {
            for (final Agent agent : pipeline.agents())
            {
                agent.doWork();
            }
        }
        assertTrue(pipeline.isFlushed(), "pipeline did not flush");
    }

    static void runAll(final Pipeline pipeline, final int cycles) throws Exception
    {
        for (int i = 0; i < cycles; i++)
        {
            for (final Agent agent : pipeline.agents())
            {
                agent.doWork();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 3 })
    void shouldProduceExactBucketsOfEveryViewWhenReplayingGeneratedTraffic(final int shards) throws Exception
    {
        final List<TestPacket> packets = new TrafficGenerator(42, 300, 500).generate(20_000, T0, 3 * S / 1000, 3 * S);
        final Pipeline pipeline = TestPipelines.newPipeline(settings(MemoryCaptureSource.file(packets), shards));

        runUntilFlushed(pipeline);

        final Map<Long, ExpectedTraffic.Snapshot> expected =
            new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets();
        assertEquals(expected, snapshots(sealed));
        ExpectedTraffic.assertLatePacketsInLaterParts(sealed);
        final long late = sealed.stream().mapToLong((b) -> b.quality().latePackets()).sum();
        assertTrue(late > 0, "the generated traffic must exercise late packets");
        assertTrue(sealed.size() > expected.size(), "late packets must make contributions of their own");
        assertEquals(20_000, counters.get(TrafficCounter.FRAMES));
        assertEquals(late, counters.get(TrafficCounter.LATE_PACKETS));
        assertEquals(sealed.size(), counters.get(TrafficCounter.BUCKETS_SEALED));
        assertEquals(
            expected.values().stream().mapToLong((b) -> b.quality().get(QualityFigures.PACKETS)).sum(),
            counters.get(TrafficCounter.PACKETS));
    }

    @Test
    void shouldGiveIdenticalBucketsWhenReplayedTwiceWithAnyShardCount() throws Exception
    {
        final List<TestPacket> packets = new TrafficGenerator(7, 200, 300).generate(10_000, T0, 5 * S / 1000, 3 * S);
        final List<List<SealedBucket>> runs = new ArrayList<>();
        for (final int shards : new int[]{ 1, 2, 5, 1 })
        {
            sealed.clear();
            runUntilFlushed(TestPipelines.newPipeline(settings(MemoryCaptureSource.file(packets), shards)));
            runs.add(new ArrayList<>(sealed));
        }

        assertTrue(runs.get(0).size() > 3);
        for (final List<SealedBucket> run : runs)
        {
            assertEquals(runs.get(0), run);
        }
    }

    @Test
    void shouldAlignBucketsToMultiplesOfTheirWidthSinceTheEpoch() throws Exception
    {
        // 1_700_000_001 = 7 * 242_857_143: buckets of 7 s start there, 7 s later, and 14 s later
        final long first = 1_700_000_001L;
        final List<TestPacket> packets = List.of(
            TestPacket.ipv4((first + 2) * S, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 100),
            TestPacket.ipv4((first + 7) * S - 1, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 101),
            TestPacket.ipv4((first + 7) * S, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 102),
            TestPacket.ipv4((first + 14) * S - 1, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 103),
            TestPacket.ipv4((first + 14) * S, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 104));
        final Context settings = settings(MemoryCaptureSource.file(packets), 1).bucket(Duration.ofSeconds(7))
            .allowedLateness(Duration.ZERO);

        runUntilFlushed(TestPipelines.newPipeline(settings));

        assertEquals(3, sealed.size());
        assertEquals(first, sealed.get(0).startEpochSecond());
        assertEquals(first + 7, sealed.get(1).startEpochSecond());
        assertEquals(first + 14, sealed.get(2).startEpochSecond());
        assertEquals(7, sealed.get(0).widthSeconds());
        assertEquals(List.of(201L, 205L, 104L), List.of(
            sealed.get(0).quality().bytes(), sealed.get(1).quality().bytes(), sealed.get(2).quality().bytes()));
        assertEquals(new ExpectedTraffic(7, 0, false).addAll(packets).buckets(), snapshots(sealed));
    }

    @Test
    void shouldCountPacketOfSealedBucketInALateContributionOfItsOwnBucketWhenTimestampsJumpBack() throws Exception
    {
        final long b = 1_700_000_000L;
        final List<TestPacket> packets = List.of(
            out((b) * S, 100),
            out((b + 11) * S + S / 2, 200),
            out((b + 9) * S, 300),
            out((b + 12) * S, 400),
            out((b + 5) * S, 500),
            out((b + 7) * S, 600),
            out((b + 24) * S, 700),
            out((b + 15) * S, 800),
            out((b + 3) * S, 900));

        final List<List<Object>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++)
        {
            sealed.clear();
            runUntilFlushed(TestPipelines.newPipeline(settings(MemoryCaptureSource.file(packets), 2)));
            runs.add(contributions(sealed));
        }

        // 9 s arrives while the clock is at 11.5 s: bucket 0 is still open (10 + 2 > 11.5), not late.
        // 12 s seals bucket 0 (one seal so far), so 5 s and 7 s are late: bucket 0, part 1 + 1.
        // 24 s seals the late bucket and bucket 10 (three seals), so 15 s is late in bucket 10, part 1 + 3;
        // 3 s, late in bucket 0, needs the late bucket: bucket 10's is sealed (four), bucket 0's opens as part 5.
        assertEquals(List.of(
            List.of(b, 0, 400L, 2L, 0L),
            List.of(b, 2, 1100L, 2L, 2L),
            List.of(b + 10, 0, 600L, 2L, 0L),
            List.of(b + 10, 4, 800L, 1L, 1L),
            List.of(b, 5, 900L, 1L, 1L),
            List.of(b + 20, 0, 700L, 1L, 0L)), runs.get(0));
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets(), snapshots(sealed));
        ExpectedTraffic.assertLatePacketsInLaterParts(sealed);
        // two runs, four late packets each
        assertEquals(2 * 4, counters.get(TrafficCounter.LATE_PACKETS));
    }

    private static TestPacket out(final long timestampNs, final int bytes)
    {
        return TestPacket.ipv4(timestampNs, "10.0.0.1", "8.8.8.8", TestPacket.TCP, 40000, 443, bytes);
    }

    // start, part, bytes, packets and late packets of each contribution, in the order they were sealed
    private static List<Object> contributions(final List<SealedBucket> sealed)
    {
        final List<Object> result = new ArrayList<>();
        for (final SealedBucket bucket : sealed)
        {
            result.add(List.of(bucket.startEpochSecond(), bucket.part(), bucket.quality().bytes(),
                bucket.quality().packets(), bucket.quality().latePackets()));
        }
        return result;
    }

    @Test
    void shouldSealByWallClockWhenLiveSourceIsQuiet() throws Exception
    {
        final long b = 1_700_000_000L;
        final MemoryCaptureSource source = new MemoryCaptureSource(true);
        final Pipeline pipeline = TestPipelines.newPipeline(settings(source, 1));
        clock.set(b * S);
        source.add(TestPacket.ipv4(b * S + S / 2, "10.0.0.1", "8.8.8.8", TestPacket.TCP, 40000, 443, 100));
        runAll(pipeline, 10);
        clock.set((b + 12) * S - 1);
        runAll(pipeline, 10);
        assertEquals(0, sealed.size());

        clock.set((b + 12) * S);
        runAll(pipeline, 10);
        assertEquals(1, sealed.size());
        assertEquals(b, sealed.get(0).startEpochSecond());
        assertEquals(0, sealed.get(0).part());
        assertEquals(100, sealed.get(0).quality().bytes());

        // bucket 0 is sealed by the wall clock: a packet of it is late, counted there as part 1 + 1 seal
        source.add(TestPacket.ipv4((b + 9) * S, "10.0.0.1", "8.8.8.8", TestPacket.TCP, 40000, 443, 200));
        runAll(pipeline, 10);
        assertEquals(1, sealed.size());
        clock.set((b + 22) * S);
        runAll(pipeline, 10);
        assertEquals(2, sealed.size());
        assertEquals(b, sealed.get(1).startEpochSecond());
        assertEquals(2, sealed.get(1).part());
        assertEquals(200, sealed.get(1).quality().bytes());
        assertEquals(1, sealed.get(1).quality().latePackets());
        assertEquals(sealed.get(0).stream(), sealed.get(1).stream());
        assertTrue(sealed.get(0).stream().id().startsWith(CaptureStream.RUN_PREFIX));
        assertFalse(pipeline.isFlushed());

        pipeline.requestStop();
        runUntilFlushed(pipeline);
        assertEquals(2, sealed.size());
    }

    @Test
    void shouldFoldKeysPastTheLimitIntoTheHostsOtherRowAndKeepTotals() throws Exception
    {
        final List<TestPacket> packets = new ArrayList<>();
        long bytes = 0;
        for (int peer = 0; peer < 50; peer++)
        {
            final int size = 100 + peer;
            packets.add(TestPacket.ipv4(T0 + peer, "10.0.0.1", "203.0.113." + (peer + 1), TestPacket.TCP, 40000 + peer,
                443, size));
            bytes += size;
        }
        final Context settings = settings(MemoryCaptureSource.file(packets), 1).maxKeysPerBucket(10);

        runUntilFlushed(TestPipelines.newPipeline(settings));

        assertEquals(1, sealed.size());
        final SealedBucket bucket = sealed.get(0);
        long peersBytes = 0;
        long peerRows = 0;
        long otherPackets = 0;
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            if (bucket.view(i).equals("peers"))
            {
                peersBytes += bucket.outBytes(i);
                peerRows++;
                if (bucket.isFolded(i))
                {
                    otherPackets = bucket.outPackets(i);
                    assertEquals(0, bucket.peerHi(i));
                    assertEquals(0, bucket.peerLo(i));
                    assertEquals(TestPacket.v4("10.0.0.1"), bucket.hostLo(i));
                }
            }
        }
        assertEquals(bytes, peersBytes);
        assertEquals(11, peerRows);
        assertEquals(40, otherPackets);
        assertEquals(40, bucket.quality().foldedKeys());
        assertEquals(40, counters.get(TrafficCounter.FOLDED));
    }

    @Test
    void shouldFoldIntoGlobalOtherRowWhenOtherRowsReachTheHardLimit() throws Exception
    {
        final List<TestPacket> packets = new ArrayList<>();
        for (int peer = 0; peer < 8; peer++)
        {
            packets.add(TestPacket.ipv4(T0, "10.0.0.1", "203.0.113." + (peer + 1), TestPacket.ICMP, -1, -1, 100));
        }
        for (int host = 2; host <= 6; host++)
        {
            packets.add(TestPacket.ipv4(T0, "10.0.0." + host, "203.0.113.200", TestPacket.ICMP, -1, -1, 1000 * host));
        }
        // without the flow cache, records reach the shard in arrival order, which decides who keeps a row
        final Context settings = settings(MemoryCaptureSource.file(packets), 1).maxKeysPerBucket(8)
            .views(StatsRow.PEERS).flowCacheEntries(0);

        runUntilFlushed(TestPipelines.newPipeline(settings));

        // limit 8, hard limit 8 + 2: hosts .2 and .3 get an "other" row each, .4 to .6 fold into the global one
        final SealedBucket bucket = sealed.get(0);
        assertEquals(11, bucket.rowCount());
        assertTrue(bucket.isFolded(0));
        assertEquals(0, bucket.hostLo(0));
        assertEquals(4000 + 5000 + 6000, bucket.outBytes(0));
        assertEquals(3, bucket.outPackets(0));
        assertEquals(5, bucket.quality().foldedKeys());
        long total = 0;
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            total += bucket.inBytes(i) + bucket.outBytes(i);
        }
        assertEquals(800 + 20000, total);
    }

    @Test
    void shouldCountLocalToLocalForBothHostsAndTransitOnlyInTheFigures() throws Exception
    {
        final List<TestPacket> packets = List.of(
            TestPacket.ipv4(T0, "10.0.0.1", "10.0.0.2", TestPacket.TCP, 40000, 22, 100),
            TestPacket.ipv4(T0 + 1, "203.0.113.1", "203.0.113.2", TestPacket.UDP, 5000, 5001, 77));

        runUntilFlushed(TestPipelines.newPipeline(settings(MemoryCaptureSource.file(packets), 3)));

        final SealedBucket bucket = sealed.get(0);
        assertEquals(6, bucket.rowCount());
        assertEquals(2, bucket.quality().packets());
        assertEquals(177, bucket.quality().bytes());
        assertEquals(1, bucket.quality().transitPackets());
        assertEquals(77, bucket.quality().transitBytes());
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            final boolean first = bucket.hostLo(i) == TestPacket.v4("10.0.0.1");
            assertEquals(first ? 0 : 100, bucket.inBytes(i));
            assertEquals(first ? 100 : 0, bucket.outBytes(i));
            if (bucket.view(i).equals("ports"))
            {
                assertEquals(22, bucket.port(i));
                assertEquals(!first, bucket.served(i));
            }
            if (bucket.view(i).equals("peers"))
            {
                assertEquals(TestPacket.v4(first ? "10.0.0.2" : "10.0.0.1"), bucket.peerLo(i));
            }
        }
        assertEquals(new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets(), snapshots(sealed));
    }

    @Test
    void shouldWaitRatherThanDropWhenFileSourceFillsSmallRings() throws Exception
    {
        final List<TestPacket> packets = new TrafficGenerator(3, 50, 50).generate(5_000, T0, S / 1000, 0);
        final MemoryCaptureSource source = MemoryCaptureSource.file(packets);
        final Pipeline pipeline = TestPipelines.newPipeline(settings(source, 2).ringBufferCapacity(4096));

        for (int i = 0; i < 100; i++)
        {
            pipeline.captureAgent().doWork();
        }
        assertFalse(source.isEndOfStream(), "capture must stop reading while its rings are full");

        runUntilFlushed(pipeline);

        assertEquals(new ExpectedTraffic(10, 2 * S, false).addAll(packets).buckets(), snapshots(sealed));
        assertEquals(0, counters.get(TrafficCounter.RING_DROPS));
    }

    @Test
    void shouldDropAndCountWhenLiveSourceFillsARing() throws Exception
    {
        final MemoryCaptureSource source = new MemoryCaptureSource(true);
        for (int i = 0; i < 200; i++)
        {
            source.add(TestPacket.ipv4(T0 + i, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 100));
        }
        final SealedBucket bucket = fillRingFromLiveSource(source, 0);
        assertEquals(200, bucket.quality().frames());
        assertFalse(bucket.quality().isComplete());
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            assertEquals(bucket.quality().packets(), bucket.outPackets(i));
            assertEquals(bucket.quality().bytes(), bucket.outBytes(i));
        }
    }

    @Test
    void shouldDropAndCountWhenLiveSourceFillsARingThroughTheFlowCache() throws Exception
    {
        // four entries: from the fifth peer on, every packet needs an entry to leave for the ring, which fills
        final MemoryCaptureSource source = new MemoryCaptureSource(true);
        for (int i = 0; i < 200; i++)
        {
            source.add(TestPacket.ipv4(
                T0 + i, "10.0.0.1", "198.51." + (i / 100) + "." + (i % 100), TestPacket.UDP, 40000, 53, 100));
        }
        final SealedBucket bucket = fillRingFromLiveSource(source, 4);
        assertEquals(100 * bucket.quality().packets(), bucket.quality().bytes());
        long peerPackets = 0;
        long peerRows = 0;
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            if ("peers".equals(bucket.view(i)))
            {
                assertEquals(1, bucket.outPackets(i));
                assertEquals(100, bucket.outBytes(i));
                peerPackets += bucket.outPackets(i);
                peerRows++;
            }
            else
            {
                assertEquals(bucket.quality().packets(), bucket.outPackets(i));
                assertEquals(bucket.quality().bytes(), bucket.outBytes(i));
            }
        }
        assertEquals(bucket.quality().packets(), peerPackets);
        assertEquals(bucket.quality().packets(), peerRows);
    }

    // the 200 packets of a live source through a 4 KiB ring in one capture step: some are dropped, each counted
    private SealedBucket fillRingFromLiveSource(final MemoryCaptureSource source, final int flowCacheEntries)
        throws Exception
    {
        final Pipeline pipeline = TestPipelines.newPipeline(
            settings(source, 1).ringBufferCapacity(4096).flowCacheEntries(flowCacheEntries));
        pipeline.captureAgent().doWork();
        source.end();
        runUntilFlushed(pipeline);

        final SealedBucket bucket = sealed.get(0);
        final long drops = bucket.quality().ringDrops();
        assertTrue(drops > 0 && drops < 200, "drops " + drops);
        assertEquals(200, bucket.quality().packets() + drops);
        assertEquals(drops, counters.get(TrafficCounter.RING_DROPS));

        return bucket;
    }

    @Test
    void shouldClassifyAKeyAgainWhenTheSourcesLocalNetworksChange() throws Exception
    {
        // 203.0.113.5 is not local at first, so its packets are transit; once the source learns 203.0.113.0/24, the
        // same key's packets count for it, though the first ones still sit in the flow cache as a transit entry
        final MemoryCaptureSource source = new MemoryCaptureSource(true);
        final Pipeline pipeline = TestPipelines.newPipeline(settings(source, 1));
        clock.set(T0 + S);
        runAll(pipeline, 3);
        source.add(TestPacket.ipv4(T0 + S, "203.0.113.5", "198.51.100.1", TestPacket.UDP, 5000, 53, 100));
        source.add(TestPacket.ipv4(T0 + S + 1, "203.0.113.5", "198.51.100.1", TestPacket.UDP, 5000, 53, 100));
        runAll(pipeline, 3);

        source.localPrefixes(List.of("203.0.113.0/24"));
        clock.set(T0 + S + CaptureSource.LOCAL_PREFIXES_REFRESH_NS);
        source.add(TestPacket.ipv4(T0 + 2 * S, "203.0.113.5", "198.51.100.1", TestPacket.UDP, 5000, 53, 100));
        source.add(TestPacket.ipv4(T0 + 2 * S + 1, "203.0.113.5", "198.51.100.1", TestPacket.UDP, 5000, 53, 70));
        runAll(pipeline, 3);
        pipeline.requestStop();
        runUntilFlushed(pipeline);

        assertEquals(1, sealed.size());
        final SealedBucket bucket = sealed.get(0);
        assertEquals(4, bucket.quality().packets());
        assertEquals(2, bucket.quality().transitPackets());
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            assertEquals(TestPacket.v4("203.0.113.5"), bucket.hostLo(i));
            assertEquals(2, bucket.outPackets(i));
            assertEquals(170, bucket.outBytes(i));
            assertEquals(0, bucket.inPackets(i));
        }
        assertEquals(3, bucket.rowCount());
    }

    @Test
    void shouldCountKernelDropsInTheCurrentBucket() throws Exception
    {
        final MemoryCaptureSource source = new MemoryCaptureSource(true);
        final Pipeline pipeline = TestPipelines.newPipeline(settings(source, 1));
        clock.set(T0 + 3 * S);
        source.add(TestPacket.ipv4(T0 + 3 * S, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40000, 53, 100));
        runAll(pipeline, 3);
        source.kernelDrops(7);
        runAll(pipeline, 3);
        pipeline.requestStop();
        runUntilFlushed(pipeline);

        assertEquals(1, sealed.size());
        assertEquals(7, sealed.get(0).quality().kernelDrops());
        assertFalse(sealed.get(0).quality().isComplete());
        assertEquals(7, counters.get(TrafficCounter.KERNEL_DROPS));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 4 })
    void shouldSumRowsOfACustomViewWithEqualKeysAcrossShards(final int shards) throws Exception
    {
        final List<TestPacket> packets = new TrafficGenerator(11, 100, 100).generate(5_000, T0, S / 100, S);
        final Context settings = settings(MemoryCaptureSource.file(packets), shards)
            .aggregator(DscpAggregator.PROVIDER);

        runUntilFlushed(TestPipelines.newPipeline(settings));

        assertEquals(new ExpectedTraffic(10, 2 * S, true).addAll(packets).buckets(), snapshots(sealed));
    }

    @Test
    void shouldCountNonIpAndMalformedFramesByReason() throws Exception
    {
        final List<TestPacket> packets = List.of(
            TestPacket.frame(T0, FrameOutcome.NON_IP),
            TestPacket.frame(T0 + 1, FrameOutcome.NON_IP),
            TestPacket.frame(T0 + 2, FrameOutcome.TRUNCATED_IP_HEADER),
            TestPacket.frame(T0 + 3, FrameOutcome.BAD_IP_VERSION));

        runUntilFlushed(TestPipelines.newPipeline(settings(MemoryCaptureSource.file(packets), 1)));

        final SealedBucket bucket = sealed.get(0);
        assertEquals(0, bucket.rowCount());
        assertEquals(4, bucket.quality().frames());
        assertEquals(0, bucket.quality().packets());
        assertEquals(2, bucket.quality().frames(FrameOutcome.NON_IP));
        assertEquals(1, bucket.quality().frames(FrameOutcome.TRUNCATED_IP_HEADER));
        assertEquals(1, bucket.quality().frames(FrameOutcome.BAD_IP_VERSION));
        assertEquals(2, counters.get(TrafficCounter.NON_IP));
        assertEquals(2, counters.get(TrafficCounter.MALFORMED));
        assertEquals(1, counters.get(TrafficCounter.MALFORMED_BAD_IP_VERSION));
    }

    @Test
    void shouldEndWithNoBucketWhenSourceIsEmpty() throws Exception
    {
        final Pipeline pipeline = TestPipelines.newPipeline(settings(MemoryCaptureSource.file(List.of()), 2));

        runUntilFlushed(pipeline);

        assertEquals(0, sealed.size());
    }
}
