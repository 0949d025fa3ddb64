package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.DscpAggregator;
import io.trafficanalyzer.core.sink.SealedBucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
            bad("liveRateWindow", "PT0S", (b) -> b.liveRateWindow(Duration.ZERO)),
            bad("liveRateWindow", "PT1.5S", (b) -> b.liveRateWindow(Duration.ofMillis(1500))),
            bad("liveRateWindow", "PT1H1S", (b) -> b.liveRateWindow(Duration.ofSeconds(3601))),
            bad("liveRateWindow", "null", (b) -> b.liveRateWindow(null)),
            bad("threadingMode", "null", (b) -> b.threadingMode(null)),
            bad("localNetworks", "[10.0.0.0/33]", (b) -> b.localNetworks("10.0.0.0/33")),
            bad("views", "nope", (b) -> b.views("hosts", "nope")),
            bad("views", "hosts", (b) -> b.views("hosts", "hosts")),
            bad("aggregator", "hosts", (b) -> b.aggregator(new io.trafficanalyzer.core.view.HostsViewProvider())),
            bad("source", "null", (b) -> b.source((String)null)),
            bad("source", "no-scheme", (b) -> b.source("no-scheme")),
            bad("source", "nope:/x", (b) -> b.source("nope:/x")),
            bad("sink", "nope:/x", (b) -> b.sink("nope:/x")),
            bad("bucket", "PT-10S", (b) -> b.bucket(Duration.ofSeconds(-10))),
            bad("bucket", "null", (b) -> b.bucket(null)),
            bad("allowedLateness", "PT1H0.001S", (b) -> b.allowedLateness(Duration.ofMillis(3_600_001))),
            bad("shards", "-1", (b) -> b.shards(-1)),
            bad("maxKeysPerBucket", "-5", (b) -> b.maxKeysPerBucket(-5)),
            bad("maxKeysPerBucket", "16777217", (b) -> b.maxKeysPerBucket((1 << 24) + 1)),
            bad("ringBufferCapacity", "-4096", (b) -> b.ringBufferCapacity(-4096)),
            bad("sinkQueueCapacity", "65537", (b) -> b.sinkQueueCapacity(65_537)),
            bad("sinkWaitDepth", "-1", (b) -> b.sinkWaitDepth(-1)),
            bad("sinkWaitDepth", "65", (b) -> b.sinkWaitDepth(65)),
            bad("sinkMaxMergedWidth", "PT24H1S", (b) -> b.sinkMaxMergedWidth(Duration.ofSeconds(86_401))),
            bad("sinkRetryBackoff", "PT1S..PT24H0.001S",
                (b) -> b.sinkRetryBackoff(Duration.ofSeconds(1), Duration.ofMillis(86_400_001))),
            bad("sinkRetryBackoff", "null..PT1S", (b) -> b.sinkRetryBackoff(null, Duration.ofSeconds(1))),
            bad("closeTimeout", "PT24H1S", (b) -> b.closeTimeout(Duration.ofSeconds(86_401))),
            bad("liveWindow", "PT1.5S", (b) -> b.liveWindow(Duration.ofMillis(1500))),
            bad("liveWindow", "PT-1S", (b) -> b.liveWindow(Duration.ofSeconds(-1))),
            bad("idleStrategy", "null", (b) -> b.idleStrategy(null)),
            bad("clock", "null", (b) -> b.clock(null)),
            bad("errorHandler", "null", (b) -> b.errorHandler(null)),
            bad("localNetworks", "[not-an-address/8]", (b) -> b.localNetworks("not-an-address/8")),
            bad("localNetworks", "[10.0.0.0/8, fd00::/129]", (b) -> b.localNetworks("10.0.0.0/8", "fd00::/129")),
            bad("localNetworks", "[10.0.0.0/-1]", (b) -> b.localNetworks("10.0.0.0/-1")),
            bad("localNetworks", "[10.1.2.3/8]", (b) -> b.localNetworks("10.1.2.3/8")),
            bad("localNetworks", "[]", (b) -> b.localNetworks("")),
            bad("localNetworks", "[null]", (b) -> b.localNetworks((String)null)),
            bad("localNetworks", "null", (b) -> b.localNetworks((String[])null)),
            bad("views", "null", (b) -> b.views((String[])null)),
            bad("views", "null", (b) -> b.views("hosts", null)),
            bad("aggregator", "null", (b) -> b.aggregator(null)),
            bad("source", "", (b) -> b.source("")),
            bad("source", ":x", (b) -> b.source(":x")),
            bad("source", "file:/no/such/dir/capture.pcap", (b) -> b.source("file:/no/such/dir/capture.pcap")),
            bad("sink", "null", (b) -> b.sink((String)null)),
            bad("sink", "no-scheme", (b) -> b.sink("no-scheme")),
            bad("agent", "", (b) -> b.agent("")),
            bad("agent", "   ", (b) -> b.agent("   ")),
            bad("agent", "a".repeat(65), (b) -> b.agent("a".repeat(65))),
            bad("agent", "\u00e9".repeat(65), (b) -> b.agent("\u00e9".repeat(65))));
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

    @ParameterizedTest
    @ValueSource(strings = { "not-an-address/8", "fd00::/129", "10.0.0.0/-1", "10.1.2.3/8", "10.0.0.0/8/8" })
    void shouldNameTheBadPrefixAmongTheGoodOnesWhenALocalNetworkIsInvalid(final String prefix)
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> valid().localNetworks("192.168.0.0/16", prefix, "fd00::/8").build());

        assertEquals("localNetworks", ex.setting());
        assertTrue(ex.getMessage().startsWith("localNetworks=[192.168.0.0/16, " + prefix + ", fd00::/8]: "),
            ex.getMessage());
        assertTrue(ex.getMessage().substring(ex.getMessage().indexOf("]: ")).contains(prefix), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "edge\n1", "edge\t1", "edge\u00851", "\u0000" })
    void shouldRefuseAnAgentNameWithControlCharactersAndEscapeItInTheMessage(final String agent)
    {
        final ConfigurationException ex =
            assertThrows(ConfigurationException.class, () -> valid().agent(agent).build());

        assertEquals("agent", ex.setting());
        assertEquals(agent, ex.value());
        assertTrue(ex.getMessage().endsWith(": must not contain control characters"), ex.getMessage());
        assertTrue(ex.getMessage().chars().noneMatch(Character::isISOControl), ex.getMessage());
    }

    @Test
    void shouldCarryTheAgentNameOrTheHostNameInEveryContribution()
    {
        final List<SealedBucket> sealed = new CopyOnWriteArrayList<>();
        final List<TestPacket> packets =
            new TrafficGenerator(3, 10, 10).generate(500, 1_700_000_000_000_000_000L, 100_000_000L, 3_000_000_000L);
        final String longest = "\u00e9dge-".repeat(12) + "abcd";
        assertEquals(64, longest.length());
        for (final String agent : new String[]{ "edge-fra-1", longest, null })
        {
            sealed.clear();
            try (TrafficAnalyzer analyzer = valid().source(MemoryCaptureSource.file(packets)).agent(agent)
                .listener(sealed::add).build())
            {
                analyzer.start();
                assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
            }

            assertTrue(sealed.size() > 5);
            for (final SealedBucket bucket : sealed)
            {
                assertEquals(null == agent ? TrafficAnalyzer.localHostName() : agent, bucket.agent());
            }
        }
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
