package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.Aggregator;
import io.trafficanalyzer.core.view.AggregatorContext;
import io.trafficanalyzer.core.view.AggregatorProvider;
import io.trafficanalyzer.core.view.DscpAggregator;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.agrona.concurrent.Agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamProperties
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    @Property(tries = 30)
    void shouldCountEveryPacketOnceInTheBucketOfItsOwnTimestampWhateverTheStreamsLatenessAndShards(
        @ForAll @LongRange(min = 1, max = 1_000_000) final long seed,
        @ForAll @IntRange(min = 1, max = 5) final int streamCount,
        @ForAll @IntRange(min = 1, max = 6) final int shards,
        @ForAll @IntRange(min = 1, max = 20) final int widthSeconds,
        @ForAll @IntRange(min = 0, max = 30) final int latenessSeconds,
        @ForAll @IntRange(min = 0, max = 60) final int jitterSeconds,
        @ForAll @IntRange(min = 0, max = 4) final int jumpsBack) throws Exception
    {
        final List<List<TestPacket>> streams = streams(seed, streamCount, jitterSeconds, jumpsBack);
        final List<String> ids = new ArrayList<>();
        for (int k = 0; k < streamCount; k++)
        {
            ids.add(MemoryCaptureSource.contentStream(streams.get(k), "").id());
        }
        Assume.that(ids.stream().distinct().count() == streamCount);

        final List<SealedBucket> sealed = new CopyOnWriteArrayList<>();
        final List<DscpAggregator> dscpViews = new CopyOnWriteArrayList<>();
        final AggregatorProvider dscp = new AggregatorProvider()
        {
            public String view()
            {
                return ExpectedTraffic.DSCP_VIEW;
            }

            public Aggregator newAggregator(final AggregatorContext context)
            {
                final DscpAggregator aggregator = new DscpAggregator(context);
                dscpViews.add(aggregator);
                return aggregator;
            }
        };
        final Pipeline pipeline = TestPipelines.newPipeline(new Context()
            .source(MemoryCaptureSource.files(streams))
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(widthSeconds))
            .allowedLateness(Duration.ofNanos(latenessSeconds * S))
            .shards(shards)
            .aggregator(dscp)
            .maxKeysPerBucket(10_000)
            .ringBufferCapacity(16 * 1024)
            .listener(sealed::add)
            .errorHandler((ex) ->
            {
                throw new AssertionError(ex);
            }));

        PipelineTest.runUntilFlushed(pipeline);
        long lost = 0;
        for (int shard = 0; shard < shards; shard++)
        {
            lost += pipeline.aggregatorAgent(shard).lostPackets();
        }
        for (final DscpAggregator view : dscpViews)
        {
            lost += view.lostPackets();
        }
        assertEquals(0, lost, "packets lost for want of a table slot");

        final Map<String, Map<Long, ExpectedTraffic.Snapshot>> expected = new TreeMap<>();
        for (int k = 0; k < streamCount; k++)
        {
            final ExpectedTraffic oracle = new ExpectedTraffic(widthSeconds, latenessSeconds * S, true);
            oracle.addAll(streams.get(k));
            if (!streams.get(k).isEmpty())
            {
                expected.put(ids.get(k), oracle.buckets());
            }
        }
        assertEquals(expected, ExpectedTraffic.snapshotsByStream(sealed));
        ExpectedTraffic.assertLatePacketsInLaterParts(sealed);

        assertSummaries(pipeline.streams(), streams, ids, expected);

        for (final Agent agent : pipeline.agents())
        {
            agent.onClose();
        }
    }

    // streams that start anywhere within a minute of each other, so later ones often go back in time; packets that
    // step back by up to the jitter, and a few that jump back by minutes; now and then a stream with no packet
    private static List<List<TestPacket>> streams(
        final long seed, final int streamCount, final int jitterSeconds, final int jumpsBack)
    {
        final Random random = new Random(seed);
        final List<List<TestPacket>> streams = new ArrayList<>();
        for (int k = 0; k < streamCount; k++)
        {
            final int count = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(1500);
            final long start = T0 + (long)(random.nextDouble() * 60 * S);
            final List<TestPacket> packets = new ArrayList<>(
                new TrafficGenerator(seed * 31 + k, 40, 60).generate(count, start, S / 40, jitterSeconds * S));
            for (int j = 0; j < jumpsBack && !packets.isEmpty(); j++)
            {
                final int at = random.nextInt(packets.size());
                final TestPacket moved = packets.get(at);
                packets.set(at, moved.at(moved.timestampNs() - (60 + random.nextInt(300)) * S));
            }
            streams.add(packets);
        }
        return streams;
    }

    // per stream in order: its identity, the time span and the counts of its packets, the late ones as the oracle
    private static void assertSummaries(
        final List<StreamSummary> summaries,
        final List<List<TestPacket>> streams,
        final List<String> ids,
        final Map<String, Map<Long, ExpectedTraffic.Snapshot>> expected)
    {
        assertEquals(streams.size(), summaries.size());
        for (int k = 0; k < streams.size(); k++)
        {
            final List<TestPacket> packets = streams.get(k);
            long ipPackets = 0;
            long bytes = 0;
            for (final TestPacket packet : packets)
            {
                if (FrameOutcome.DECODED == packet.outcome())
                {
                    ipPackets++;
                    bytes += packet.ipBytes();
                }
            }
            long late = 0;
            for (final ExpectedTraffic.Snapshot snapshot : expected.getOrDefault(ids.get(k), Map.of()).values())
            {
                late += snapshot.quality().get(QualityFigures.LATE_PACKETS);
            }
            final long first = packets.stream().mapToLong(TestPacket::timestampNs).min().orElse(Long.MIN_VALUE);
            final long last = packets.stream().mapToLong(TestPacket::timestampNs).max().orElse(Long.MIN_VALUE);
            assertEquals(new StreamSummary(new CaptureStream(ids.get(k), "memory-" + k), first, last, packets.size(),
                ipPackets, bytes, late, true), summaries.get(k));
        }
    }
}
