package io.trafficanalyzer.web;

import io.trafficanalyzer.core.alert.AlertMonitor;
import io.trafficanalyzer.core.alert.AlertRules;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounters;
import io.trafficanalyzer.sqlite.SqliteSink;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's alerts API over a store that an alert monitor wrote to: every stored raise and clear, newest
 * first, within the range asked for.
 */
class AlertsEndpointTest
{
    private static final long T0 = 1_764_151_200L; // 2025-11-26T10:00:00Z
    private static final List<String> VIEWS = List.of("hosts", "ports", "peers");

    @TempDir
    Path dir;

    @Test
    void shouldServeTheStoredAlertsNewestFirstWhenAlerts() throws Exception
    {
        final Path db = dir.resolve("traffic.db");
        try (SqliteSink sink = SqliteSink.builder(db).freeSpaceFloor(0).build())
        {
            final AlertMonitor monitor = new AlertMonitor(
                AlertRules.parse("alerts.rules", "rule big host 10.1.0.5 out > 8kbit/s\naction q log"), VIEWS,
                List.of(sink), new TrafficCounters(), Assertions::fail);
            // 10.1.0.5 sends 10 001 bytes in the first 10 s bucket, 10 in the second and third
            final long[] out = { 10_001, 10, 10 };
            for (int b = 0; b < out.length; b++)
            {
                final BucketBuilder builder = new BucketBuilder(VIEWS);
                final long[] a = IpAddresses.parse("10.1.0.5");
                builder.addRow(0, a[0], a[1], 0, 0, 17, 0, false, 0, false, 0, 0, out[b], 1);
                final SealedBucket bucket = builder.build("edge-a", new CaptureStream("run:x", "x"), 0, T0 + b * 10L,
                    10, QualityFigures.EMPTY);
                bucket.deliverTo(sink);
                monitor.onBucketSealed(bucket);
            }
            monitor.close(Duration.ofSeconds(10));
        }

        try (TrafficDashboard dashboard = TrafficDashboard.builder().store(db)
            .listen(new InetSocketAddress("127.0.0.1", 0)).build().start())
        {
            final String base = "http://127.0.0.1:" + dashboard.address().getPort() + "/";
            final HttpResponse<String> all = Http.get(base + "api/alerts");
            assertEquals(200, all.statusCode(), all::body);
            assertEquals("{\n" +
                "  \"db\": \"" + db.toAbsolutePath() + "\",\n" +
                "  \"from\": \"2025-11-26T10:00:00Z\",\n" +
                "  \"to\": \"2025-11-26T10:00:30Z\",\n" +
                "  \"rows\": [\n" +
                "    {\"time\": \"2025-11-26T10:00:20Z\", \"agent\": \"edge-a\", \"rule\": \"big\", \"state\": " +
                "\"cleared\", \"subject\": \"10.1.0.5\", \"metric\": \"rate\", \"direction\": \"out\", " +
                "\"value\": 8.0, \"bound\": 8000.0, \"unit\": \"bit/s\", \"window_seconds\": 10, \"raised_at\": " +
                "\"2025-11-26T10:00:10Z\"},\n" +
                "    {\"time\": \"2025-11-26T10:00:10Z\", \"agent\": \"edge-a\", \"rule\": \"big\", \"state\": " +
                "\"raised\", \"subject\": \"10.1.0.5\", \"metric\": \"rate\", \"direction\": \"out\", \"value\": " +
                "8000.8, \"bound\": 8000.0, \"unit\": \"bit/s\", \"window_seconds\": 10, \"raised_at\": " +
                "\"2025-11-26T10:00:10Z\"}\n" +
                "  ]\n" +
                "}\n", all.body());

            // the first bucket alone: the raise at its end
            final HttpResponse<String> first = Http.get(base + "api/alerts?from=2025-11-26T10:00:00Z&" +
                "to=2025-11-26T10:00:10Z");
            assertEquals(200, first.statusCode(), first::body);
            assertEquals(1, first.body().split("\"state\"").length - 1, first.body());
            assertTrue(first.body().contains("\"state\": \"raised\""), first.body());

            final HttpResponse<String> bad = Http.get(base + "api/alerts?limit=0");
            assertEquals(400, bad.statusCode(), bad::body);
        }
    }
}
