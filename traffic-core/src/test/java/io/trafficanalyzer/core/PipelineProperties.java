package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.DscpAggregator;
import io.trafficanalyzer.core.sink.SealedBucket;
import org.agrona.concurrent.Agent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.trafficanalyzer.core.ExpectedTraffic.snapshots;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PipelineProperties
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    @Property(tries = 25)
    void shouldMatchTheOracleForAnyTrafficWidthLatenessAndShardCount(
        @ForAll @LongRange(min = 1, max = 1_000_000) final long seed,
        @ForAll @IntRange(min = 1, max = 6) final int shards,
        @ForAll @IntRange(min = 1, max = 30) final int widthSeconds,
        @ForAll @IntRange(min = 0, max = 45) final int latenessSeconds,
        @ForAll @IntRange(min = 0, max = 20) final int jitterSeconds) throws Exception
    {
        final List<TestPacket> packets =
            new TrafficGenerator(seed, 50, 80).generate(2_000, T0, S / 50, jitterSeconds * S);
        final List<SealedBucket> sealed = new ArrayList<>();
        final Pipeline pipeline = TestPipelines.newPipeline(new Context()
            .source(MemoryCaptureSource.file(packets))
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(widthSeconds))
            .allowedLateness(Duration.ofNanos(latenessSeconds * S))
            .shards(shards)
            .aggregator(DscpAggregator.PROVIDER)
            .maxKeysPerBucket(10_000)
            .ringBufferCapacity(16 * 1024)
            .listener(sealed::add)
            .errorHandler((ex) ->
            {
                throw new AssertionError(ex);
            }));

        PipelineTest.runUntilFlushed(pipeline);
        for (final Agent agent : pipeline.agents())
        {
            agent.onClose();
        }

        assertEquals(
            new ExpectedTraffic(widthSeconds, latenessSeconds * S, true).addAll(packets).buckets(), snapshots(sealed));
    }
}
