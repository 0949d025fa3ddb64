package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.pcap.FrameInjector;
import io.trafficanalyzer.pcap.NamespaceThread;
import io.trafficanalyzer.pcap.VethLab;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page during a real capture: an analyzer captures on the capture end of a {@link VethLab} (its socket
 * opened in the capture namespace), the dashboard serves it on loopback, and headless Chromium watches the live page
 * while the sender injects UDP frames of a known size at a steady pace. Between two reads the page's figures move,
 * at the pace, and stay consistent with what was sent: bytes are packets times the IP length, the sending host is
 * among the top hosts, packets per second are near the pace; at the end the page shows exactly the frames sent.
 * Needs root, {@code ip netns} and chromium; skipped with the reason otherwise, failed under CI.
 */
class LiveCaptureDashboardIT
{
    // both in the capture end's network, so both are local: the sender is a top host (out), the receiver too (in)
    private static final String SENDER = "10.203.0.1";
    private static final String RECEIVER = "10.203.0.2";
    private static final int PORT = 9999;
    private static final int PAYLOAD = 200;
    private static final long IP_LENGTH = 20 + 8 + PAYLOAD;
    private static final int PACKETS_PER_SECOND = 200;
    private static final int SECONDS = 16;
    private static final int PACKETS = PACKETS_PER_SECOND * SECONDS;
    // the page's packets/s are over five seconds of packet time, the latest still filling, refreshed every second;
    // the first read waits until that window is full of the sender's traffic, the second comes well before its end
    private static final double RATE_TOLERANCE = 0.3;
    private static final int FIRST_READ_SECONDS = 6;
    private static final long BETWEEN_READS_MS = 4_000;

    @TempDir
    Path dir;

    @BeforeEach
    void requireLabAndBrowser()
    {
        VethLab.assumeAvailable();
        HeadlessChromium.require();
    }

    @Test
    void shouldMoveTheLivePageNumbersAtThePaceOfTheTrafficSentWhenCapturingInTheLab() throws Exception
    {
        final byte[] frame = new FrameBuilder().ethernet().ipv4(SENDER, RECEIVER).udp(40_000, PORT).payload(PAYLOAD)
            .build();
        final Path db = dir.resolve("live.db");
        final ExecutorService pacing = Executors.newSingleThreadExecutor();
        try (VethLab lab = new VethLab();
            NamespaceThread capture = new NamespaceThread(lab.captureNamespace);
            NamespaceThread sender = new NamespaceThread(lab.senderNamespace))
        {
            final TrafficAnalyzer analyzer = capture.call(() -> TrafficAnalyzer.builder()
                .source("pcap:" + lab.captureInterface)
                .localNetworks(VethLab.CAPTURE_IPV4_NETWORK)
                .bucket(Duration.ofSeconds(1))
                .sink("sqlite:" + db)
                .build());
            TrafficDashboard dashboard = null;
            ChromeDriver browser = null;
            try
            {
                analyzer.start();
                // the dashboard listens in this thread's namespace, where the browser is
                dashboard = TrafficDashboard.builder()
                    .store(db)
                    .analyzer(analyzer)
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .build()
                    .start();
                browser = HeadlessChromium.start();
                browser.get("http://127.0.0.1:" + dashboard.address().getPort() + "/live");
                final ChromeDriver page = browser;
                final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.withMessage(() -> "the live page did not follow the capture; it shows " + read(page) +
                    ", the analyzer has " + analyzer.counter(TrafficCounter.PACKETS) + " packets");
                wait.until((driver) -> null != read(page).updated);
                assertEquals(0, read(browser).packets, "the lab is silent before the sender starts");

                final Future<Long> sending = pacing.submit(() -> sender.call(() -> send(lab.senderInterface, frame)));
                wait.until((driver) -> read(page).packets >= FIRST_READ_SECONDS * PACKETS_PER_SECOND);
                final Figures first = read(browser);
                Thread.sleep(BETWEEN_READS_MS);
                final Figures second = read(browser);
                HeadlessChromium.screenshot(browser, "live-capture.png");

                assertTrue(second.packets > first.packets && second.bytes > first.bytes,
                    "the page's numbers moved: " + first + " then " + second);
                final double seconds = Duration.between(first.updated, second.updated).toNanos() / 1e9;
                final double rate = (second.packets - first.packets) / seconds;
                System.out.println("live page read " + first + "\nlive page read " + second + "\n" +
                    Math.round(rate) + " packets/s between the reads, paced at " + PACKETS_PER_SECOND);
                assertEquals(PACKETS_PER_SECOND, rate, RATE_TOLERANCE * PACKETS_PER_SECOND,
                    "packets per second between the reads, " + seconds + " s apart: " + first + " then " + second);
                for (final Figures figures : List.of(first, second))
                {
                    assertConsistent(figures);
                    assertEquals(PACKETS_PER_SECOND, figures.packetsPerSecond,
                        RATE_TOLERANCE * PACKETS_PER_SECOND, "the page's packets/s: " + figures);
                }

                final long sendNs = sending.get(SECONDS + 30, TimeUnit.SECONDS);
                assertTrue(sendNs < TimeUnit.SECONDS.toNanos(SECONDS + 1), "the sender kept its pace: " + sendNs);
                wait.until((driver) -> read(page).packets == PACKETS &&
                    read(page).hosts.getOrDefault(SENDER, new long[2])[1] == PACKETS * IP_LENGTH);
                final Figures end = read(browser);
                HeadlessChromium.screenshot(browser, "live-capture-end.png");
                assertConsistent(end);
                assertEquals(PACKETS * IP_LENGTH, end.bytes, end::toString);
                assertEquals(0, end.drops, end::toString);
                assertEquals(PACKETS * IP_LENGTH, hostBytes(end, RECEIVER)[0], end::toString);
            }
            finally
            {
                pacing.shutdownNow();
                if (null != browser)
                {
                    browser.quit();
                }
                if (null != dashboard)
                {
                    dashboard.close();
                }
                analyzer.close();
            }
        }
    }

    /*
     * Only the sender's frames cross the lab's wire: every figure on the page is a whole number of them.
     */
    private static void assertConsistent(final Figures figures)
    {
        assertEquals(figures.packets * IP_LENGTH, figures.bytes, "bytes are packets of " + IP_LENGTH + ": " + figures);
        final long[] sent = hostBytes(figures, SENDER);
        final long[] received = hostBytes(figures, RECEIVER);
        assertEquals(0, sent[0], "the sender received nothing: " + figures);
        assertEquals(0, received[1], "the receiver sent nothing: " + figures);
        assertEquals(sent[1], received[0], "what one sent the other received: " + figures);
        assertTrue(sent[1] > 0 && sent[1] % IP_LENGTH == 0 && sent[1] <= figures.bytes,
            "the sender's bytes are a whole number of its packets, at most all captured: " + figures);
    }

    private static long[] hostBytes(final Figures figures, final String host)
    {
        final long[] bytes = figures.hosts.get(host);
        assertTrue(null != bytes, host + " among the top hosts: " + figures);
        return bytes;
    }

    // the frames at a steady pace, on a schedule of their own so that a late wake-up catches up; the time it took
    private static long send(final String interfaceName, final byte[] frame) throws Exception
    {
        try (FrameInjector injector = new FrameInjector(interfaceName))
        {
            final long paceNs = TimeUnit.SECONDS.toNanos(1) / PACKETS_PER_SECOND;
            final long startNs = System.nanoTime();
            for (int i = 0; i < PACKETS; i++)
            {
                injector.send(frame, 1);
                LockSupport.parkNanos(startNs + (i + 1) * paceNs - System.nanoTime());
            }
            return System.nanoTime() - startNs;
        }
    }

    /*
     * The live page's figures as it shows them, in one script so that they come from one refresh.
     */
    @SuppressWarnings("unchecked")
    private static Figures read(final ChromeDriver browser)
    {
        final Map<String, Object> page = (Map<String, Object>)((JavascriptExecutor)browser).executeScript(
            "var v = function (id) { return Number(document.getElementById(id).getAttribute('data-value')); };" +
            "var hosts = {};" +
            "document.querySelectorAll('#live-hosts tbody tr[data-host]').forEach(function (tr) {" +
            "  var td = tr.querySelectorAll('td');" +
            "  hosts[tr.getAttribute('data-host')] = [Number(td[3].getAttribute('data-value'))," +
            "    Number(td[4].getAttribute('data-value'))]; });" +
            "return { packets: v('live-packets'), bytes: v('live-bytes'), pps: v('live-pps')," +
            "  drops: v('live-drops'), updated: document.getElementById('live-time').title, hosts: hosts };");
        final String updated = (String)page.get("updated");
        final Map<String, long[]> hosts = new TreeMap<>();
        ((Map<String, List<Number>>)page.get("hosts")).forEach((host, bytes) ->
            hosts.put(host, new long[]{ bytes.get(0).longValue(), bytes.get(1).longValue() }));
        return new Figures(
            ((Number)page.get("packets")).longValue(),
            ((Number)page.get("bytes")).longValue(),
            ((Number)page.get("pps")).longValue(),
            ((Number)page.get("drops")).longValue(),
            null == updated || updated.isEmpty() ? null : Instant.parse(updated.substring(0, updated.indexOf(' '))),
            hosts);
    }

    /*
     * One refresh of the live page: its counters, packets/s, when it refreshed, and the in and out bytes per host.
     */
    private record Figures(
        long packets, long bytes, long packetsPerSecond, long drops, Instant updated, Map<String, long[]> hosts)
    {
        public String toString()
        {
            final StringBuilder sb = new StringBuilder().append(packets).append(" packets, ").append(bytes)
                .append(" bytes, ").append(packetsPerSecond).append(" packets/s, ").append(drops)
                .append(" drops at ").append(updated).append(", hosts");
            hosts.forEach((host, bytes) -> sb.append(' ').append(host).append(" in ").append(bytes[0])
                .append(" out ").append(bytes[1]));
            return sb.toString();
        }
    }
}
