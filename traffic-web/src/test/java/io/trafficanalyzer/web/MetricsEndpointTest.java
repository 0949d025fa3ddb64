package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GatedSink;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsEndpointTest
{
    @TempDir
    static Path dir;

    private static ReplayedStore store;
    private static TrafficDashboard dashboard;
    private static String base;

    @BeforeAll
    static void serve() throws InterruptedException
    {
        store = new ReplayedStore(dir);
        dashboard = TrafficDashboard.builder()
            .store(store.db)
            .analyzer(store.analyzer)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
        base = "http://127.0.0.1:" + dashboard.address().getPort() + "/";
    }

    @AfterAll
    static void stop()
    {
        dashboard.close();
    }

    @Test
    void shouldExposeEveryCounterEqualToTheAnalyzersWhenParsedAsPrometheusText() throws IOException
    {
        final HttpResponse<String> response = Http.get(base + "metrics");

        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
            response.headers().firstValue("Content-Type").orElseThrow());
        final Map<String, Double> samples = parse(response.body());

        for (int i = 0; i < TrafficMetric.count(); i++)
        {
            final TrafficMetric metric = TrafficMetric.get(i);
            final long counter = store.analyzer.counter(metric.source());
            final double expected = metric.source() == TrafficCounter.FLUSH_LAG_NS ? counter / 1e9 : counter;
            assertEquals(expected, samples.get(key(metric)), 1e-9, metric.name());
        }
        assertEquals(store.analyzer.sinkQueueDepth(0), samples.get(depthKey(0, "SqliteSink")));
        assertEquals(TrafficMetric.count() + 2, samples.size(), samples::toString);
    }

    @Test
    void shouldCountTheFramesAndBytesOfTheCaptureWhenReplayed() throws IOException
    {
        final Map<String, Double> samples = parse(Http.get(base + "metrics").body());

        assertEquals(ReplayedStore.PACKETS, samples.get("traffic_frames_total"));
        assertEquals(ReplayedStore.PACKETS, samples.get("traffic_packets_total"));
        assertEquals(store.ipBytes(), samples.get("traffic_bytes_total"));
        assertEquals(0.0, samples.get("traffic_malformed_frames_total{reason=truncated_ip_header}"));
        assertEquals(0.0, samples.get("traffic_dropped_frames_total{stage=ring_buffer}"));
        assertEquals(6.0, samples.get("traffic_buckets_sealed_total"));
        final long wal = Files.exists(Path.of(store.db + "-wal")) ? Files.size(Path.of(store.db + "-wal")) : 0;
        assertEquals(Files.size(store.db) + wal, samples.get("traffic_store_size_bytes"));
    }

    @Test
    void shouldNameByPrometheusConventionsWithBoundedLabels() throws IOException
    {
        final String body = Http.get(base + "metrics").body();
        final TextPrometheusMetricDataParser parser =
            new TextPrometheusMetricDataParser(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));

        for (MetricFamily family = parser.parse(); null != family; family = parser.parse())
        {
            assertTrue(family.getName().startsWith("traffic_"), family.getName());
            if (family.getType() == MetricType.COUNTER)
            {
                assertTrue(family.getName().endsWith("_total"), family.getName());
            }
            for (final Metric metric : family.getMetrics())
            {
                assertTrue(Set.of("reason", "stage", "sink", "type", "state").containsAll(metric.getLabels().keySet()),
                    metric.toString());
            }
        }
        assertTrue(body.contains("# TYPE traffic_flush_lag_seconds gauge"), body);
        assertTrue(body.contains("# TYPE traffic_sink_queue_depth gauge"), body);
        assertTrue(body.contains("# TYPE traffic_store_size_bytes gauge"), body);
    }

    @Test
    void shouldExposeEachSinksQueueDepthAndTheFailuresAsTheAnalyzerHasThemWhenASinkIsHeld() throws Exception
    {
        // 6 buckets for both sinks; the held one fails 3 attempts, commits 1 bucket, then holds the 2nd at its gate
        final int buckets = 6;
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final GatedSink held = new GatedSink(3, 1);
        final Path db = dir.resolve("held.db");
        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + store.capture)
            .sink(held)
            .sink("sqlite:" + db)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(ReplayedStore.BUCKET_SECONDS))
            .sinkRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .errorHandler(errors::add)
            .build();
        try (TrafficDashboard server = TrafficDashboard.builder()
            .store(db)
            .analyzer(analyzer)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start())
        {
            final String metrics = "http://127.0.0.1:" + server.address().getPort() + "/metrics";
            analyzer.start();
            assertTrue(held.awaitBlocked(30), "the held sink reached its gate");
            final long deadlineNs = System.nanoTime() + 30_000_000_000L;
            while ((analyzer.counter(TrafficCounter.BATCHES_FLUSHED) < 2 * buckets ||
                analyzer.counter(TrafficCounter.BATCHES_DELIVERED) < 1 + buckets) && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }

            final Map<String, Double> holding = parse(Http.get(metrics).body());
            assertEquals(buckets - 1.0, holding.get(depthKey(0, "GatedSink")), "one committed, one at the gate");
            assertEquals(0.0, holding.get(depthKey(1, "sqlite")), "the store took all");
            assertEquals(analyzer.sinkQueueDepth(0), holding.get(depthKey(0, "GatedSink")));
            assertEquals(3.0, holding.get("traffic_sink_failures_total"));
            assertEquals(1.0 + buckets, holding.get("traffic_sink_batches_stored_total"));
            assertEquals(2.0 * buckets, holding.get("traffic_sink_batches_flushed_total"));
            assertEquals(0.0, holding.get("traffic_sink_batches_lost_total"));
            final long wal = Files.exists(Path.of(db + "-wal")) ? Files.size(Path.of(db + "-wal")) : 0;
            assertEquals(Files.size(db) + wal, holding.get("traffic_store_size_bytes"));
            for (int i = 0; i < TrafficMetric.count(); i++)
            {
                final TrafficMetric metric = TrafficMetric.get(i);
                if (metric.source() != TrafficCounter.FLUSH_LAG_NS)
                {
                    assertEquals(analyzer.counter(metric.source()), holding.get(key(metric)), metric.name());
                }
            }

            assertEquals(3, errors.size(), "each failure reported: " + errors);
            held.open();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(30)));
            final Map<String, Double> drained = parse(Http.get(metrics).body());
            assertEquals(0.0, drained.get(depthKey(0, "GatedSink")), "the held sink took the rest");
            assertEquals(2.0 * buckets, drained.get("traffic_sink_batches_stored_total"));
            assertEquals(3.0, drained.get("traffic_sink_failures_total"));
        }
        finally
        {
            held.open();
            analyzer.close();
        }
    }

    @Test
    void shouldServeTheLiveCountersAsTheAnalyzerHasThem()
    {
        final HttpResponse<String> response = Http.get(base + "api/live");

        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.body().contains("\"frames\": " + ReplayedStore.PACKETS + ","), response.body());
        assertTrue(response.body().contains("\"bytes\": " + store.ipBytes() + ","), response.body());
        assertTrue(response.body().contains("\"top_hosts\": [{\"host\": \"10.1."), response.body());
        final String hosts = response.body().substring(response.body().indexOf("\"top_hosts\""),
            response.body().indexOf("\"top_ports\""));
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"host\": \"([^\"]+)\"")
            .matcher(hosts);
        final java.util.Set<String> seen = new java.util.HashSet<>();
        while (matcher.find())
        {
            assertTrue(seen.add(matcher.group(1)), "one row per host: " + hosts);
        }
        assertEquals(store.hostTotals().keySet(), seen);
    }

    /*
     * Every sample by name and labels, e.g. traffic_dropped_frames_total{stage=kernel}, as the parser reads it.
     */
    static Map<String, Double> parse(final String text) throws IOException
    {
        final TextPrometheusMetricDataParser parser =
            new TextPrometheusMetricDataParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        final Map<String, Double> samples = new HashMap<>();
        for (MetricFamily family = parser.parse(); null != family; family = parser.parse())
        {
            for (final Metric metric : family.getMetrics())
            {
                final double value = metric instanceof Counter ? ((Counter)metric).getValue() :
                    ((Gauge)metric).getValue();
                final StringBuilder key = new StringBuilder(metric.getName());
                metric.getLabels().forEach((name, label) -> key.append('{').append(name).append('=').append(label)
                    .append('}'));
                if (null != samples.put(key.toString(), value))
                {
                    throw new AssertionError("duplicate sample " + key);
                }
            }
        }
        return samples;
    }

    private static String depthKey(final int sink, final String type)
    {
        return "traffic_sink_queue_depth{sink=" + sink + "}{type=" + type + "}";
    }

    private static String key(final TrafficMetric metric)
    {
        return metric.prometheusName() +
            (null == metric.labelName() ? "" : "{" + metric.labelName() + "=" + metric.labelValue() + "}");
    }
}
