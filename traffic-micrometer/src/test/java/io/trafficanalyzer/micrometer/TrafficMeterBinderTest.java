package io.trafficanalyzer.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
            new TrafficMeterBinder(analyzer.counters()).bindTo(registry);
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
