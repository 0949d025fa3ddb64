package io.trafficanalyzer.core;

import io.trafficanalyzer.core.aggregate.DscpAggregator;
import io.trafficanalyzer.core.aggregate.MemoryCaptureSource;
import io.trafficanalyzer.core.aggregate.TestPipelines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficAnalyzerConfigurationTest
{
    private static TrafficAnalyzer.Builder valid()
    {
        return TrafficAnalyzer.builder()
            .pipelineFactory(TestPipelines.withTestFrames())
            .source(MemoryCaptureSource.file(List.of()));
    }

    static Stream<Arguments> invalidSettings()
    {
        return Stream.of(
            bad("bucket", "PT1.5S", (b) -> b.bucket(Duration.ofMillis(1500))),
            bad("bucket", "PT0S", (b) -> b.bucket(Duration.ZERO)),
            bad("bucket", "PT2H", (b) -> b.bucket(Duration.ofHours(2))),
            bad("allowedLateness", "PT-1S", (b) -> b.allowedLateness(Duration.ofSeconds(-1))),
            bad("shards", "0", (b) -> b.shards(0)),
            bad("shards", "65", (b) -> b.shards(65)),
            bad("maxKeysPerBucket", "0", (b) -> b.maxKeysPerBucket(0)),
            bad("ringBufferCapacity", "5000", (b) -> b.ringBufferCapacity(5000)),
            bad("ringBufferCapacity", "1024", (b) -> b.ringBufferCapacity(1024)),
            bad("sinkQueueCapacity", "1", (b) -> b.sinkQueueCapacity(1)),
            bad("sinkMaxMergedWidth", "PT5S", (b) -> b.sinkMaxMergedWidth(Duration.ofSeconds(5))),
            bad("sinkRetryBackoff", "PT0S..PT1S", (b) -> b.sinkRetryBackoff(Duration.ZERO, Duration.ofSeconds(1))),
            bad("sinkRetryBackoff", "PT2S..PT1S",
                (b) -> b.sinkRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))),
            bad("closeTimeout", "PT-1S", (b) -> b.closeTimeout(Duration.ofSeconds(-1))),
            bad("liveWindow", "PT0S", (b) -> b.liveWindow(Duration.ZERO)),
            bad("threadingMode", "null", (b) -> b.threadingMode(null)),
            bad("localNetworks", "[10.0.0.0/33]", (b) -> b.localNetworks("10.0.0.0/33")),
            bad("views", "nope", (b) -> b.views("hosts", "nope")),
            bad("views", "hosts", (b) -> b.views("hosts", "hosts")),
            bad("aggregator", "hosts", (b) -> b.aggregator(new io.trafficanalyzer.core.aggregate.HostsViewProvider())),
            bad("source", "null", (b) -> b.source((String)null)),
            bad("source", "no-scheme", (b) -> b.source("no-scheme")),
            bad("source", "nope:/x", (b) -> b.source("nope:/x")),
            bad("sink", "nope:/x", (b) -> b.sink("nope:/x")));
    }

    private static Arguments bad(
        final String setting, final String value, final UnaryOperator<TrafficAnalyzer.Builder> change)
    {
        return Arguments.of(setting, value, change);
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void shouldNameTheSettingAndItsValueWhenASettingIsInvalid(
        final String setting, final String value, final UnaryOperator<TrafficAnalyzer.Builder> change)
    {
        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> change.apply(valid()).build());

        assertEquals(setting, ex.setting());
        assertEquals(value, ex.value());
        assertTrue(ex.getMessage().startsWith(setting + "=" + value + ": "), ex.getMessage());
    }

    @Test
    void shouldListTheKnownViewsWhenAViewIsUnknown()
    {
        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> valid().views("vlan").build());

        assertTrue(ex.getMessage().contains("known views: [hosts, ports, peers]"), ex.getMessage());
    }

    @Test
    void shouldListTheKnownSchemesWhenASinkSchemeIsUnknown()
    {
        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> valid().sink("nope:/x").build());

        assertTrue(ex.getMessage().contains("unknown scheme 'nope'; known schemes: ["), ex.getMessage());
    }

    @Test
    void shouldCloseTheSinksAlreadyGivenWhenTheBuildFails()
    {
        final CollectingSink sink = new CollectingSink();
        final MemoryCaptureSource source = MemoryCaptureSource.file(List.of());

        assertThrows(ConfigurationException.class,
            () -> TrafficAnalyzer.builder().source(source).sink(sink).sink("nope:/x").build());

        assertTrue(sink.closed);
        assertTrue(source.isClosed());
    }

    @Test
    void shouldAcceptACustomViewAfterTheChosenBuiltInOnes()
    {
        try (TrafficAnalyzer analyzer = valid().views("peers", "hosts").aggregator(DscpAggregator.PROVIDER).build())
        {
            assertEquals(List.of("peers", "hosts", "dscp"), analyzer.views());
        }
    }
}
