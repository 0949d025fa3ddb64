package io.trafficanalyzer.core.alert;

import com.sun.net.httpserver.HttpServer;
import io.trafficanalyzer.core.MemoryCaptureSource;
import io.trafficanalyzer.core.TestAnalyzers;
import io.trafficanalyzer.core.TestPacket;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.trafficanalyzer.core.alert.AlertMonitorTest.T0;
import static io.trafficanalyzer.core.alert.AlertMonitorTest.VIEWS;
import static io.trafficanalyzer.core.alert.AlertMonitorTest.bucket;
import static io.trafficanalyzer.core.alert.AlertMonitorTest.host;
import static io.trafficanalyzer.core.alert.AlertsEndToEndTest.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertActionsTest
{
    private final TrafficCounters counters = new TrafficCounters();
    private final List<Alert> recorded = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch hang = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop()
    {
        hang.countDown();
        if (null != server)
        {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    @Test
    void shouldPostTheDocumentedJsonWhenAnAlertIsRaisedAndCleared() throws Exception
    {
        final String url = serve(false);
        final AlertMonitor monitor = new AlertMonitor(AlertRules.parse("alerts.rules",
            "action hook webhook " + url + "\n" +
            "rule big-out host 10.0.0.5 out > 8kbit/s for 30s clear 4kbit/s then hook"), VIEWS, List.of(),
            counters, errors::add);
        final long[] out = { 10_000, 10_000, 10_001, 0, 0 };
        for (int b = 0; b < out.length; b++)
        {
            final BucketBuilder builder = new BucketBuilder(VIEWS);
            host(builder, "10.0.0.5", 0, out[b]);
            monitor.onBucketSealed(bucket(builder, b, QualityFigures.EMPTY));
        }
        monitor.close(Duration.ofSeconds(10));

        final double raisedValue = 30_001 * 8 / 30.0;
        assertEquals(List.of(
            "{\"version\":1,\"rule\":\"big-out\",\"state\":\"raised\",\"subject\":\"10.0.0.5\",\"metric\":\"rate\"," +
            "\"direction\":\"out\",\"view\":\"hosts\",\"value\":" + raisedValue + ",\"bound\":8000,\"clear\":4000," +
            "\"unit\":\"bit/s\",\"window_seconds\":30,\"at\":\"2023-11-14T22:13:50Z\",\"at_epoch_second\":" +
            (T0 + 30) + ",\"raised_at\":\"2023-11-14T22:13:50Z\",\"raised_at_epoch_second\":" + (T0 + 30) +
            ",\"agent\":\"agent-a\",\"message\":\"raised big-out: 10.0.0.5 out rate 8.0003 kbit/s > 8 kbit/s over " +
            "30s\"}",
            // b2 alone is left in the window at b4: 10 001 bytes over 30 s
            "{\"version\":1,\"rule\":\"big-out\",\"state\":\"cleared\",\"subject\":\"10.0.0.5\",\"metric\":\"rate\"," +
            "\"direction\":\"out\",\"view\":\"hosts\",\"value\":" + 10_001 * 8 / 30.0 + ",\"bound\":8000," +
            "\"clear\":4000,\"unit\":\"bit/s\",\"window_seconds\":30,\"at\":\"2023-11-14T22:14:10Z\"," +
            "\"at_epoch_second\":" + (T0 + 50) + ",\"raised_at\":\"2023-11-14T22:13:50Z\"," +
            "\"raised_at_epoch_second\":" + (T0 + 30) + ",\"agent\":\"agent-a\",\"message\":\"cleared big-out: " +
            "10.0.0.5 out rate 2.6669 kbit/s <= 4 kbit/s over 30s\"}"),
            bodies);
        assertEquals(List.of("application/json; charset=utf-8", "application/json; charset=utf-8"), contentTypes);
        assertEquals(0, counters.get(TrafficCounter.ALERT_ACTION_FAILURES));
        assertEquals(List.of(), errors);
    }

    @Test
    void shouldKeepThePipelineGoingAndCountRetriesWhenTheWebhookHangs() throws Exception
    {
        final String url = serve(true);
        final List<TestPacket> packets = new ArrayList<>();
        final int buckets = 20;
        for (int b = 0; b < buckets; b++)
        {
            // 10.0.0.5 sends 1 001 bytes in b0 only: above 800 bit/s there, raised at b0 and cleared at b1
            packets.add(TestPacket.ipv4((T0 + b * 10L) * S + S, "10.0.0.5", "203.0.113.9", TestPacket.UDP, 40_000,
                53, 0 == b ? 1_001 : 1));
        }
        final AlertRecordingSink sink = new AlertRecordingSink();
        final AlertRules rules = AlertRules.parse("alerts.rules",
            "action hook timeout 1s retries 1 backoff 1s webhook " + url + "\nrule big host 10.0.0.5 out > 800bit/s");
        final TrafficAnalyzer analyzer = TestAnalyzers.withTestFrames()
            .source(MemoryCaptureSource.file(packets))
            .localNetworks("10.0.0.0/8")
            .bucket(Duration.ofSeconds(10))
            .alerts(rules)
            .sink(sink)
            .closeTimeout(Duration.ofSeconds(30))
            .errorHandler(errors::add)
            .build();
        try (analyzer)
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
            // every bucket reached the sink, and the alerts the store, while the webhook has answered nothing
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((sink.buckets.get() < buckets || sink.alerts.size() < 2) && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(5);
            }
            assertEquals(buckets, sink.buckets.get());
            assertEquals(2, sink.alerts.size());
            assertEquals(0, answered.get());
        }

        // each alert: an attempt, a second after 1 s of back-off, both cut at 1 s; then given up
        assertEquals(4, analyzer.counter(TrafficCounter.ALERT_ACTION_FAILURES));
        assertEquals(2, analyzer.counter(TrafficCounter.ALERT_ACTION_DROPS));
        // on a loaded machine an attempt can time out before the server has read it
        assertTrue(received.get() >= 1 && received.get() <= 4, () -> received.get() + " requests received");
        assertEquals(0, answered.get());
        assertEquals(2, errors.size());
        assertTrue(errors.get(0).getMessage().startsWith("alert action hook gave up after 2 attempts: raised big: "),
            errors.get(0).getMessage());
    }

    @Test
    void shouldRunTheCommandWithTheAlertInItsEnvironmentAndOnItsInput() throws Exception
    {
        final Path script = dir.resolve("alert.sh");
        Files.writeString(script, "env | grep '^TRAFFIC_ALERT_' | grep -v '^TRAFFIC_ALERT_JSON=' | sort > \"$1\"\n" +
            "cat > \"$1.json\"\n" +
            "printf '%s' \"$TRAFFIC_ALERT_JSON\" > \"$1.env.json\"\n");
        final Path out = dir.resolve("out");
        final AlertMonitor monitor = new AlertMonitor(AlertRules.parse("alerts.rules",
            "action run command /bin/sh \"" + script + "\" \"" + out + "\"\nrule drops drops > 0 then run"),
            VIEWS, List.of(recorded::add), counters, errors::add);
        final long[] values = new long[QualityFigures.LENGTH];
        values[QualityFigures.KERNEL_DROPS] = 3;
        monitor.onBucketSealed(bucket(new BucketBuilder(VIEWS), 0, new QualityFigures(values)));
        monitor.close(Duration.ofSeconds(30));

        assertEquals(List.of(
            "TRAFFIC_ALERT_AGENT=agent-a",
            "TRAFFIC_ALERT_AT=2023-11-14T22:13:30Z",
            "TRAFFIC_ALERT_AT_EPOCH_SECOND=" + (T0 + 10),
            "TRAFFIC_ALERT_BOUND=0",
            "TRAFFIC_ALERT_CLEAR=0",
            "TRAFFIC_ALERT_DIRECTION=",
            "TRAFFIC_ALERT_MESSAGE=raised drops: capture drops 3 frames > 0 frames over 10s",
            "TRAFFIC_ALERT_METRIC=drops",
            "TRAFFIC_ALERT_RAISED_AT=2023-11-14T22:13:30Z",
            "TRAFFIC_ALERT_RAISED_AT_EPOCH_SECOND=" + (T0 + 10),
            "TRAFFIC_ALERT_RULE=drops",
            "TRAFFIC_ALERT_STATE=raised",
            "TRAFFIC_ALERT_SUBJECT=capture",
            "TRAFFIC_ALERT_UNIT=frames",
            "TRAFFIC_ALERT_VALUE=3",
            "TRAFFIC_ALERT_VERSION=1",
            "TRAFFIC_ALERT_VIEW=",
            "TRAFFIC_ALERT_WINDOW_SECONDS=10"), Files.readAllLines(out));
        assertEquals(1, recorded.size());
        assertEquals(recorded.get(0).toJson() + "\n", Files.readString(dir.resolve("out.json")));
        assertEquals(recorded.get(0).toJson(), Files.readString(dir.resolve("out.env.json")));
        assertEquals(0, counters.get(TrafficCounter.ALERT_ACTION_FAILURES));
    }

    @Test
    void shouldRetryAndThenGiveUpWhenTheCommandFails()
    {
        final AlertMonitor monitor = new AlertMonitor(AlertRules.parse("alerts.rules",
            "action fail retries 2 backoff 1s command /bin/false\nrule drops drops > 0"),
            VIEWS, List.of(recorded::add), counters, errors::add);
        final long[] values = new long[QualityFigures.LENGTH];
        values[QualityFigures.RING_DROPS] = 1;
        monitor.onBucketSealed(bucket(new BucketBuilder(VIEWS), 0, new QualityFigures(values)));
        monitor.close(Duration.ofSeconds(30));

        assertEquals(3, counters.get(TrafficCounter.ALERT_ACTION_FAILURES));
        assertEquals(1, counters.get(TrafficCounter.ALERT_ACTION_DROPS));
        assertEquals(1, recorded.size());
        assertEquals(1, errors.size());
        assertEquals("alert action fail gave up after 3 attempts: raised drops: capture drops 1 frames > 0 frames " +
            "over 10s: /bin/false exited with status 1", errors.get(0).getMessage());
    }

    @Test
    void shouldDropAndCountWhatAFullQueueCannotHoldWithoutBlockingTheCaller() throws Exception
    {
        final String url = serve(true);
        final CountDownLatch recorderHolds = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AlertMonitor monitor = new AlertMonitor(AlertRules.parse("alerts.rules",
            "action hook timeout 60s webhook " + url + "\nrule any hosts out > 0bit/s"), VIEWS,
            List.of((alert) ->
            {
                recorderHolds.countDown();
                release.await();
            }), counters, errors::add);

        // a first alert that each action's thread takes and hangs on: the webhook's and the recorder's
        final BucketBuilder first = new BucketBuilder(VIEWS);
        host(first, "10.1.0.1", 0, 1);
        monitor.onBucketSealed(bucket(first, 0, QualityFigures.EMPTY));
        assertTrue(recorderHolds.await(10, TimeUnit.SECONDS));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < 1 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        assertEquals(1, received.get());

        // then a bucket that raises one alert per new host: each queue holds QUEUE_CAPACITY, the rest are dropped
        final int hosts = AlertMonitor.QUEUE_CAPACITY + 5;
        final BucketBuilder many = new BucketBuilder(VIEWS);
        host(many, "10.1.0.1", 0, 1);
        for (int i = 0; i < hosts; i++)
        {
            host(many, "10.0." + (i >> 8) + "." + (i & 0xff), 0, 1);
        }
        monitor.onBucketSealed(bucket(many, 1, QualityFigures.EMPTY));

        assertEquals(1 + hosts, counters.get(TrafficCounter.ALERTS_RAISED));
        assertEquals(2 * 5, counters.get(TrafficCounter.ALERT_ACTION_DROPS));
        release.countDown();
        monitor.close(Duration.ofMillis(100));
    }

    private String serve(final boolean hanging) throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/alerts", (exchange) ->
        {
            received.incrementAndGet();
            try (InputStream in = exchange.getRequestBody())
            {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (hanging)
            {
                try
                {
                    hang.await(60, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            answered.incrementAndGet();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }
}
