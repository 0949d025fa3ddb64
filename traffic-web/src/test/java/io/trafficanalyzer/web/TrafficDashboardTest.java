package io.trafficanalyzer.web;

import io.trafficanalyzer.core.ConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficDashboardTest
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
    void shouldServeEveryHostWithTheBytesAndPacketsOfTheCaptureWhenTopHosts()
    {
        final HttpResponse<String> response = Http.get(base + "api/top?limit=100");

        assertEquals(200, response.statusCode(), response::body);
        assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        final Map<String, long[]> rows = Http.rows(response.body(), "host");
        final Map<String, long[]> expected = store.hostTotals();
        assertEquals(expected.keySet(), rows.keySet());
        for (final Map.Entry<String, long[]> host : expected.entrySet())
        {
            final long[] e = host.getValue();
            assertEquals(e[0] + e[2], rows.get(host.getKey())[0], host.getKey() + " bytes");
            assertEquals(e[0], rows.get(host.getKey())[1], host.getKey() + " in bytes");
            assertEquals(e[2], rows.get(host.getKey())[2], host.getKey() + " out bytes");
            assertEquals(e[1], rows.get(host.getKey())[3], host.getKey() + " in packets");
            assertEquals(e[3], rows.get(host.getKey())[4], host.getKey() + " out packets");
        }
    }

    @Test
    void shouldSumTheLinkSeriesToTheCaptureWhenReport()
    {
        final HttpResponse<String> response = Http.get(base + "api/report?step=10s");

        assertEquals(200, response.statusCode(), response::body);
        long bytes = 0;
        int points = 0;
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"bytes\": (\\d+)")
            .matcher(response.body());
        while (matcher.find())
        {
            bytes += Long.parseLong(matcher.group(1));
            points++;
        }
        assertEquals(store.ipBytes(), bytes);
        assertEquals(ReplayedStore.PACKETS * ReplayedStore.INTERVAL_NS / 1_000_000_000L / 10, points);
    }

    @Test
    void shouldGiveTheRatesOfTheOneIntervalOfTheCaptureWhenPercentile()
    {
        // 60 s of traffic from 10:00:00: one 5-minute sample, so every percentile and the peak are its rate
        final HttpResponse<String> link = Http.get(base + "api/percentile?p=95");
        final Map.Entry<String, long[]> first = store.hostTotals().entrySet().iterator().next();
        final HttpResponse<String> host = Http.get(base + "api/percentile?p=50&period=2024-05&host=" + first.getKey());

        long in = 0;
        long out = 0;
        for (final long[] totals : store.hostTotals().values())
        {
            in += totals[0];
            out += totals[2];
        }
        assertEquals(200, link.statusCode(), link::body);
        assertTrue(link.body().contains("\"from\": \"2024-05-01T00:00:00Z\",\n  \"to\": \"2024-06-01T00:00:00Z\",\n" +
            "  \"covered_from\": \"2024-05-01T10:00:00Z\",\n  \"covered_to\": \"2024-05-01T10:05:00Z\",\n" +
            "  \"samples\": 1,\n  \"rank\": 1,\n"), link::body);
        final long greater = Math.round(Math.max(in, out) * 8 / 300.0);
        assertTrue(link.body().contains(row("in", in) + ",\n" + row("out", out) + ",\n" +
            "    {\"direction\": \"max\", \"percentile_bits_per_second\": " + greater +
            ", \"peak_bits_per_second\": " + greater + ", \"peak_time\": \"2024-05-01T10:00:00Z\", \"bytes\": null}\n"),
            link::body);
        assertEquals(200, host.statusCode(), host::body);
        assertTrue(host.body().contains(row("in", first.getValue()[0]) + ",\n" + row("out", first.getValue()[2])),
            host::body);
    }

    private static String row(final String direction, final long bytes)
    {
        final long rate = Math.round(bytes * 8 / 300.0);
        return "    {\"direction\": \"" + direction + "\", \"percentile_bits_per_second\": " + rate +
            ", \"peak_bits_per_second\": " + rate + ", \"peak_time\": \"2024-05-01T10:00:00Z\", \"bytes\": " + bytes +
            "}";
    }

    @Test
    void shouldRoundTheStepUpToWholeBucketsAndSaySoInTheDocumentWhenUnaligned()
    {
        final HttpResponse<String> rounded = Http.get(base + "api/report?step=7s");
        final HttpResponse<String> whole = Http.get(base + "api/report?step=20s");

        assertEquals(200, rounded.statusCode(), rounded::body);
        assertTrue(rounded.body().contains("\"step_seconds\": 10,\n  \"step_note\": \"step=7s rounded up to 10s: " +
            "steps are whole buckets, and the finest stored in this range are 10s\",\n"), rounded.body());
        assertEquals(store.ipBytes(), sum(rounded.body(), "bytes"));
        assertEquals(ReplayedStore.PACKETS * ReplayedStore.INTERVAL_NS / 1_000_000_000L / 10,
            count(rounded.body(), "bytes"));
        assertEquals(200, whole.statusCode(), whole::body);
        assertTrue(whole.body().contains("\"step_seconds\": 20,\n  \"step_note\": null,\n"), whole.body());
    }

    @Test
    void shouldServeOneAgentsRowsOrEveryAgentsSummedWhenAgentsShareAStore() throws InterruptedException
    {
        final Path fleet = dir.resolve("fleet.db");
        store.replayInto(fleet, "edge-1");
        store.replayInto(fleet, "edge-2");
        try (TrafficDashboard both = TrafficDashboard.builder()
            .store(fleet)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start())
        {
            final String at = "http://127.0.0.1:" + both.address().getPort() + "/";
            final HttpResponse<String> one = Http.get(at + "api/top?limit=100&agent=edge-1");
            final HttpResponse<String> summed = Http.get(at + "api/top?limit=100");
            final HttpResponse<String> series = Http.get(at + "api/report?step=10s&agent=edge-2");
            final HttpResponse<String> allSeries = Http.get(at + "api/report?step=10s");
            final HttpResponse<String> unknown = Http.get(at + "api/report?agent=edge-3");

            assertEquals(200, one.statusCode(), one::body);
            assertTrue(one.body().contains("\"agent\": \"edge-1\",\n"), one.body());
            assertEquals(200, summed.statusCode(), summed::body);
            assertTrue(summed.body().contains("\"agent\": null,\n"), summed.body());
            final Map<String, long[]> oneRows = Http.rows(one.body(), "host");
            final Map<String, long[]> summedRows = Http.rows(summed.body(), "host");
            for (final Map.Entry<String, long[]> host : store.hostTotals().entrySet())
            {
                final long[] e = host.getValue();
                assertEquals(e[0] + e[2], oneRows.get(host.getKey())[0], host.getKey() + " bytes of one agent");
                assertEquals(2 * (e[0] + e[2]), summedRows.get(host.getKey())[0], host.getKey() + " bytes of both");
            }
            assertEquals(store.ipBytes(), sum(series.body(), "bytes"), series.body());
            assertEquals(2 * store.ipBytes(), sum(allSeries.body(), "bytes"), allSeries.body());
            assertEquals(400, unknown.statusCode(), unknown::body);
            assertOneLineError(unknown.body());
            assertTrue(unknown.body().matches("\\{\"error\": \"agent=edge-3: no such agent in [^\"]*fleet\\.db; its " +
                "agents: edge-1, edge-2\", \"parameter\": \"agent\"}\n"), unknown.body());
        }
    }

    private static long sum(final String json, final String column)
    {
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"" + column + "\": (\\d+)")
            .matcher(json);
        long total = 0;
        while (matcher.find())
        {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    private static int count(final String json, final String column)
    {
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"" + column + "\": (\\d+)")
            .matcher(json);
        int points = 0;
        while (matcher.find())
        {
            points++;
        }
        return points;
    }

    @Test
    void shouldCountBackFromTheNewestBucketWhenLast()
    {
        final HttpResponse<String> response = Http.get(base + "api/top?last=10s");

        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.body().contains("\"from\": \"2024-05-01T10:00:50Z\""), response.body());
        assertTrue(response.body().contains("\"to\": \"2024-05-01T10:01:00Z\""), response.body());
    }

    @Test
    void shouldServeTheQualityOfEachStepWhenQuality()
    {
        final HttpResponse<String> response = Http.get(base + "api/quality?step=10s");

        assertEquals(200, response.statusCode(), response::body);
        final java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"frames\": (\\d+)")
            .matcher(response.body());
        long frames = 0;
        while (matcher.find())
        {
            frames += Long.parseLong(matcher.group(1));
        }
        assertEquals(ReplayedStore.PACKETS, frames);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "api/top?by=flows|400|by",
        "api/top?limit=0|400|limit",
        "api/top?limit=-5|400|limit",
        "api/top?limit=99999999999999|400|limit",
        "api/top?limit=1e3|400|limit",
        "api/top?host=10.1.0.1%27%20OR%201=1--|400|host",
        "api/top?host=../../etc/passwd|400|host",
        "api/top?last=999999999999d|400|last",
        "api/top?last=0s|400|last",
        "api/top?last=1h&from=2024-05-01|400|last",
        "api/top?from=yesterday|400|from",
        "api/top?from=2024-05-01T11:00:00Z&to=2024-05-01T10:00:00Z|400|from",
        "api/top?from=-999999999-01-01T00:00:00Z|400|from",
        "api/top?drop=table|400|drop",
        "api/top?limit=1&limit=2|400|limit",
        "api/report?step=1500ms|400|step",
        "api/report?step=1s&from=1970-01-01|400|step",
        "api/report?by=hosts|400|by",
        "api/report?agent=nobody|400|agent",
        "api/top?agent=nobody|400|agent",
        "api/status?x=1|400|x",
        "api/percentile?p=0|400|p",
        "api/percentile?p=95%25|400|p",
        "api/percentile?period=fortnight|400|period",
        "api/percentile?period=month&from=2024-05-01|400|from",
        "api/percentile?billing_day=0|400|billing_day",
        "api/percentile?billing_day=15&period=P30D|400|billing_day",
        "api/percentile?step=5m|400|step",
        "api/top?host=%00%0a|400|host",
    })
    void shouldRefuseAHostileParameterWithOneLineNamingIt(final String path, final int status, final String parameter)
    {
        final HttpResponse<String> response = Http.get(base + path);

        assertEquals(status, response.statusCode(), response::body);
        assertOneLineError(response.body());
        if (null != parameter)
        {
            assertTrue(response.body().contains("\"parameter\": \"" + parameter + "\""), response.body());
        }
    }

    @Test
    void shouldRefuseAHugeValueBeforeReadingTheStore()
    {
        final HttpResponse<String> longQuery = Http.get(base + "api/top?host=" + "1".repeat(10_000));
        final HttpResponse<String> longValue = Http.get(base + "api/top?host=" + "1".repeat(100));

        assertEquals(414, longQuery.statusCode(), longQuery::body);
        assertOneLineError(longQuery.body());
        assertEquals(400, longValue.statusCode(), longValue::body);
        assertOneLineError(longValue.body());
        assertTrue(longValue.body().contains("host: longer than 64 characters"), longValue.body());
    }

    @ParameterizedTest
    @CsvSource({
        "static/../../../etc/passwd",
        "static/..%2f..%2f..%2fetc%2fpasswd",
        "%2e%2e/%2e%2e/etc/passwd",
        "static/dashboard.js/..",
        "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
        "io/trafficanalyzer/web/static/index.html",
        "static/webjars.properties",
        "static/DashboardHandler.class",
    })
    void shouldNotServeAnyFileOutsideTheFixedAssetsWhenPathTraversal(final String path)
    {
        final HttpResponse<String> response = Http.get(base + path);

        assertEquals(404, response.statusCode(), response::body);
        assertOneLineError(response.body());
    }

    @Test
    void shouldRefuseWritesWhenNotGet()
    {
        final HttpResponse<String> response = Http.send(
            HttpRequest.newBuilder(URI.create(base + "api/top")).POST(HttpRequest.BodyPublishers.ofString("x")));

        assertEquals(405, response.statusCode(), response::body);
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void shouldServeThePagesAndTheChartLibraryFromTheJar()
    {
        for (final String path : new String[]{ "", "host?ip=10.1.0.1", "live", "static/dashboard.js",
            "static/dashboard.css", "static/uPlot.iife.min.js", "static/uPlot.min.css" })
        {
            final HttpResponse<String> response = Http.get(base + path);
            assertEquals(200, response.statusCode(), path);
            assertFalse(response.body().isEmpty(), path);
        }
        final HttpResponse<String> page = Http.get(base);
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("default-src 'self'"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no external resource");
    }

    @Test
    void shouldSayThereIsNoLiveViewWhenServingAStoreOnly()
    {
        final HttpResponse<String> response = Http.get(base + "api/live");

        assertEquals(404, response.statusCode(), response::body);
        assertOneLineError(response.body());
    }

    @Test
    void shouldRefuseANonLoopbackAddressWithoutCredentialOrNoAuth()
    {
        final ConfigurationException ex = assertThrows(ConfigurationException.class, () -> TrafficDashboard.builder()
            .store(store.db)
            .listen(new InetSocketAddress("0.0.0.0", 0))
            .build()
            .start());

        assertEquals("listen", ex.setting());
    }

    @Test
    void shouldAnswer401WithoutTheTokenAndServeWithItWhenNotLoopback() throws Exception
    {
        final Path token = dir.resolve("token");
        Files.writeString(token, "s3cret-token-value\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        try (TrafficDashboard guarded = TrafficDashboard.builder()
            .store(store.db)
            .listen(new InetSocketAddress("0.0.0.0", 0))
            .credentials(token)
            .build()
            .start())
        {
            final String url = "http://127.0.0.1:" + guarded.address().getPort() + "/";
            for (final String path : new String[]{ "", "api/top", "metrics", "static/dashboard.js", "live" })
            {
                final HttpResponse<String> refused = Http.get(url + path);
                assertEquals(401, refused.statusCode(), path);
                assertFalse(refused.body().contains("10.1."), path);
                final HttpResponse<String> wrong = Http.get(url + path, "Authorization", "Bearer s3cret-token-valuX");
                assertEquals(401, wrong.statusCode(), path);
            }
            final HttpResponse<String> served = Http.get(url + "api/top", "Authorization", "Bearer s3cret-token-value");
            assertEquals(200, served.statusCode(), served::body);
            assertEquals(store.hostTotals().keySet(), Http.rows(served.body(), "host").keySet());
        }
    }

    @Test
    void shouldAskForBasicAuthWhenTheFileHoldsUserAndPassword() throws Exception
    {
        final Path file = dir.resolve("basic");
        Files.writeString(file, "admin:correct horse\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        try (TrafficDashboard guarded = TrafficDashboard.builder()
            .store(store.db)
            .listen(new InetSocketAddress("0.0.0.0", 0))
            .credentials(file)
            .build()
            .start())
        {
            final String url = "http://127.0.0.1:" + guarded.address().getPort() + "/api/status";
            final HttpResponse<String> refused = Http.get(url);
            assertEquals(401, refused.statusCode());
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic"));
            final String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "admin:correct horse".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(200, Http.get(url, "Authorization", basic).statusCode());
        }
    }

    @Test
    void shouldRefuseACredentialFileOthersCanRead() throws Exception
    {
        final Path token = dir.resolve("open-token");
        Files.writeString(token, "s3cret-token-value\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

        final ConfigurationException ex = assertThrows(ConfigurationException.class,
            () -> TrafficDashboard.builder().store(store.db).credentials(token).build());

        assertEquals("credentials=" + token + ": must be readable by its owner only (chmod 600)", ex.getMessage());
    }

    @Test
    void shouldServeAnyoneWhenNoAuthIsSaid()
    {
        try (TrafficDashboard open = TrafficDashboard.builder()
            .store(store.db)
            .listen(new InetSocketAddress("0.0.0.0", 0))
            .noAuth()
            .build()
            .start())
        {
            assertEquals(200, Http.get("http://127.0.0.1:" + open.address().getPort() + "/api/top").statusCode());
        }
    }

    @Test
    void shouldServeUnderAPathOfTheServicesOwnServerWhenMounted() throws Exception
    {
        final com.sun.net.httpserver.HttpServer server =
            com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange ->
        {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        try (TrafficDashboard mounted = TrafficDashboard.builder().store(store.db).build())
        {
            mounted.mount(server, "/traffic");
            server.start();
            final String url = "http://127.0.0.1:" + server.getAddress().getPort();
            assertEquals(204, Http.get(url + "/health").statusCode());
            final HttpResponse<String> top = Http.get(url + "/traffic/api/top?limit=100");
            assertEquals(200, top.statusCode(), top::body);
            assertEquals(store.hostTotals().keySet(), Http.rows(top.body(), "host").keySet());
            assertEquals(200, Http.get(url + "/traffic/").statusCode());
            assertEquals(308, Http.get(url + "/traffic").statusCode());
        }
        finally
        {
            server.stop(0);
        }
    }

    private static void assertOneLineError(final String body)
    {
        assertTrue(body.startsWith("{\"error\": \""), body);
        assertEquals(body.length() - 1, body.indexOf('\n'), "one line: " + body);
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("SELECT"), body);
    }
}
