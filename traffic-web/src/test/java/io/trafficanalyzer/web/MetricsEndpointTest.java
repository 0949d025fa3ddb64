package io.trafficanalyzer.web;

import io.trafficanalyzer.core.status.TrafficCounter;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
        assertEquals(TrafficMetric.count() + 1, samples.size(), samples::toString);
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
                assertTrue(Set.of("reason", "stage", "state").containsAll(metric.getLabels().keySet()),
                    metric.toString());
            }
        }
        assertTrue(body.contains("# TYPE traffic_flush_lag_seconds gauge"), body);
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

    private static String key(final TrafficMetric metric)
    {
        return metric.prometheusName() +
            (null == metric.labelName() ? "" : "{" + metric.labelName() + "=" + metric.labelValue() + "}");
    }
}
