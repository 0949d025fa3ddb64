package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.web.query.HumanUnits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}): the top-hosts
 * table of a replayed store shows the hosts and bytes of the capture, the chart drew, a host's row opens its page,
 * and the live page's figures move while a paced live source feeds an analyzer ({@link LiveCaptureDashboardIT}
 * watches them during a real capture). Screenshots go to {@code target/screenshots}.
 */
class DashboardBrowserTest
{
    @TempDir
    static Path dir;

    private static ReplayedStore store;
    private static TrafficAnalyzer live;
    private static TrafficDashboard dashboard;
    private static ChromeDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception
    {
        HeadlessChromium.require();
        store = new ReplayedStore(dir);
        live = TrafficAnalyzer.builder()
            .source(new PacedSource(400))
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(1))
            .build()
            .start();
        dashboard = TrafficDashboard.builder()
            .store(store.db)
            .analyzer(live)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
        base = "http://127.0.0.1:" + dashboard.address().getPort() + "/";
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop()
    {
        if (null != browser)
        {
            browser.quit();
        }
        if (null != dashboard)
        {
            dashboard.close();
        }
        if (null != live)
        {
            live.close();
        }
    }

    @Test
    void shouldShowTheHostsAndBytesOfTheCaptureAndDrawTheChartThenOpenAHostsPage() throws IOException
    {
        browser.get(base + "?last=");
        final Map<String, long[]> expected = store.hostTotals();
        final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until((driver) -> driver.findElements(By.cssSelector("#top-hosts tbody tr[data-host]")).size() ==
            expected.size());

        final List<WebElement> rows = browser.findElements(By.cssSelector("#top-hosts tbody tr[data-host]"));
        for (final WebElement row : rows)
        {
            final String host = row.getAttribute("data-host");
            final long[] totals = expected.get(host);
            assertTrue(null != totals, host);
            final List<WebElement> cells = row.findElements(By.tagName("td"));
            assertEquals(host, cells.get(0).getText());
            assertEquals(Long.toString(totals[0] + totals[2]), cells.get(1).getAttribute("data-value"), host);
            assertEquals(HumanUnits.bytes(totals[0] + totals[2]), cells.get(1).getText(), host);
            assertEquals(HumanUnits.bytes(totals[0]), cells.get(3).getText(), host);
            assertEquals(HumanUnits.bytes(totals[2]), cells.get(4).getText(), host);
        }

        wait.until((driver) -> paintedPixels("link-bits") > 0);
        final long points = (Long)((JavascriptExecutor)browser).executeScript(
            "return window.trafficCharts['link-bits'].data[0].length;");
        assertEquals(6, points, "one point per 10 s bucket of the capture");
        assertTrue(paintedPixels("link-bits") > 1000, "the chart's canvas has lines");
        final String utc = browser.findElement(By.id("range-text")).getAttribute("title");
        assertTrue(utc.startsWith("2024-05-01T10:00:00Z .. 2024-05-01T10:01:00Z"), utc);
        // the capture's minute is one 5-minute sample: the percentile line is its rate, the greater of in and out
        long in = 0;
        long out = 0;
        for (final long[] totals : expected.values())
        {
            in += totals[0];
            out += totals[2];
        }
        final long p95 = Math.round(Math.max(in, out) * 8 / 300.0);
        wait.until((driver) -> !driver.findElement(By.id("link-percentile")).getText().isEmpty());
        assertEquals(Long.toString(p95), browser.findElement(By.id("link-percentile")).getAttribute("data-value"));
        final String caption = browser.findElement(By.id("link-percentile")).getText();
        assertTrue(caption.startsWith("95th percentile of the 5-minute rates over this range: in " +
            HumanUnits.bitRate(Math.round(in * 8 / 300.0)) + ", out " +
            HumanUnits.bitRate(Math.round(out * 8 / 300.0)) + ", max(in, out) " + HumanUnits.bitRate(p95) +
            " (1 sample, peak "), caption);
        assertEquals(p95, ((Number)((JavascriptExecutor)browser).executeScript(
            "return window.trafficCharts['link-bits'].data[4][0];")).longValue());
        screenshot("dashboard.png");

        final String first = rows.get(0).getAttribute("data-host");
        rows.get(0).findElement(By.cssSelector("a.host-link")).click();
        wait.until((driver) -> driver.getCurrentUrl().contains("host?ip=" + first));
        wait.until((driver) -> driver.findElement(By.id("host-title")).getText().equals("Host " + first));
        wait.until((driver) -> !driver.findElements(By.cssSelector("#host-peers tbody td.peer")).isEmpty());
        wait.until((driver) -> paintedPixels("host-bits") > 1000);
        wait.until((driver) -> !driver.findElement(By.id("p95-in")).getAttribute("data-value").isEmpty());
        final long hostIn = Math.round(expected.get(first)[0] * 8 / 300.0);
        assertEquals(Long.toString(hostIn), browser.findElement(By.id("p95-in")).getAttribute("data-value"));
        assertEquals(HumanUnits.bitRate(hostIn), browser.findElement(By.id("p95-in")).getText());
        assertEquals(Long.toString(Math.round(expected.get(first)[2] * 8 / 300.0)),
            browser.findElement(By.id("p95-out")).getAttribute("data-value"));
        assertEquals("1", browser.findElement(By.id("p95-samples")).getText());
        screenshot("host.png");
    }

    @Test
    void shouldMoveTheLivePageNumbersWhileTheAnalyzerRuns() throws Exception
    {
        browser.get(base + "live");
        final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until((driver) -> livePackets() > 0);
        final long before = livePackets();

        wait.until((driver) -> livePackets() > before + 400);
        wait.until((driver) -> !driver.findElements(By.cssSelector("#live-hosts tbody tr[data-host]")).isEmpty());
        final long after = livePackets();
        assertTrue(after <= live.counter(io.trafficanalyzer.core.status.TrafficCounter.PACKETS));
        assertEquals("/live", new java.net.URI(browser.getCurrentUrl()).getPath(), "no reload to another page");
        screenshot("live.png");
    }

    private static long livePackets()
    {
        return Long.parseLong(browser.findElement(By.id("live-packets")).getAttribute("data-value"));
    }

    private static long paintedPixels(final String chart)
    {
        final Object count = ((JavascriptExecutor)browser).executeScript(
            "var c = document.querySelector('#' + arguments[0] + ' canvas'); if (!c) { return 0; }" +
            "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;" +
            "for (var i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } } return n;", chart);
        return ((Number)count).longValue();
    }

    private static void screenshot(final String name) throws IOException
    {
        HeadlessChromium.screenshot(browser, name);
    }
}
