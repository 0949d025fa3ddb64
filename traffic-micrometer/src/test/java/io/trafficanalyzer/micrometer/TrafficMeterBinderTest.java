package io.trafficanalyzer.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.micrometer.core.instrument.Tags;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GatedSink;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.web.TrafficMetric;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficMeterBinderTest
{
    private static final int PACKETS = 3000;

    @TempDir
    Path dir;

    @Test
    void shouldShowEveryCounterUnderTheNamesOfMetricsWhenScrapedByPrometheus() throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(1_714_557_600_000_000_000L, 10_000_000L, 4, 10, 3);
        final Path capture = dir.resolve("capture.pcap");
        traffic.writePcap(capture, PACKETS);
        long bytes = 0;
        for (int i = 0; i < PACKETS; i++)
        {
            bytes += traffic.ipLength(i);
        }
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .build())
        {
            new TrafficMeterBinder(analyzer).bindTo(registry);
            analyzer.start();
            analyzer.awaitCompletion();
            analyzer.close();

            final Map<String, Double> samples = parse(registry.scrape());
            for (int i = 0; i < TrafficMetric.count(); i++)
            {
                final TrafficMetric metric = TrafficMetric.get(i);
                final String key = metric.prometheusName() +
                    (null == metric.labelName() ? "" : "{" + metric.labelName() + "=" + metric.labelValue() + "}");
                final long counter = analyzer.counter(metric.source());
                final Double sample = samples.get(key);
                assertNotNull(sample, key + " in " + samples.keySet());
                assertEquals(metric.source() == TrafficCounter.FLUSH_LAG_NS ? counter / 1e9 : counter, sample, 1e-9,
                    key);
            }
            assertEquals(PACKETS, samples.get("traffic_frames_total"));
            assertEquals(bytes, samples.get("traffic_bytes_total"));
        }
    }

    @Test
    void shouldShowEachSinksQueueDepthAndTheStoreSizeWhenASinkIsHeld() throws Exception
    {
        // 3 buckets of 10 s for both sinks; the held one fails 2 attempts, commits none, then holds the 1st
        final int buckets = 3;
        final GeneratedTraffic traffic = new GeneratedTraffic(1_714_557_600_000_000_000L, 10_000_000L, 4, 10, 3);
        final Path capture = dir.resolve("capture.pcap");
        traffic.writePcap(capture, PACKETS);
        final Path db = dir.resolve("traffic.db");
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final GatedSink held = new GatedSink(2, 0);
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .sink("sqlite:" + db)
            .sink(held)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .sinkRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .errorHandler(errors::add)
            .build();
        try
        {
            new TrafficMeterBinder(analyzer, db, Tags.of("interface", "eth0")).bindTo(registry);
            analyzer.start();
            assertTrue(held.awaitBlocked(30), "the held sink reached its gate");
            final long deadlineNs = System.nanoTime() + 30_000_000_000L;
            while ((analyzer.counter(TrafficCounter.BATCHES_FLUSHED) < 2 * buckets ||
                analyzer.counter(TrafficCounter.BATCHES_DELIVERED) < buckets) && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }

            final Map<String, Double> holding = parse(registry.scrape());
            assertEquals(buckets, holding.get("traffic_buckets_sealed_total{interface=eth0}"));
            final String depth = "traffic_sink_queue_depth{interface=eth0}";
            assertEquals(0.0, holding.get(depth + "{sink=0}{type=sqlite}"), holding.keySet()::toString);
            assertEquals(buckets, holding.get(depth + "{sink=1}{type=GatedSink}"), "all 3, the 1st at the gate");
            assertEquals(analyzer.sinkQueueDepth(1), holding.get(depth + "{sink=1}{type=GatedSink}"));
            assertEquals(2.0, holding.get("traffic_sink_failures_total{interface=eth0}"));
            assertEquals(buckets, holding.get("traffic_sink_batches_stored_total{interface=eth0}"));
            final long wal = Files.exists(Path.of(db + "-wal")) ? Files.size(Path.of(db + "-wal")) : 0;
            assertEquals(Files.size(db) + wal, holding.get("traffic_store_size_bytes{interface=eth0}"));

            assertEquals(2, errors.size(), "each failure reported: " + errors);
            held.open();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(30)));
            final Map<String, Double> drained = parse(registry.scrape());
            assertEquals(0.0, drained.get(depth + "{sink=1}{type=GatedSink}"), "the held sink took them all");
            assertEquals(2.0 * buckets, drained.get("traffic_sink_batches_stored_total{interface=eth0}"));
        }
        finally
        {
            held.open();
            analyzer.close();
        }
    }

    private static Map<String, Double> parse(final String text) throws IOException
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
                samples.put(key.toString(), value);
            }
        }
        return samples;
    }
}
