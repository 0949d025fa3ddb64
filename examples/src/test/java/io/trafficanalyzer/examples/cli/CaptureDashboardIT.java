package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code capture --http} on the loopback interface: the live view and the metrics of the running capture follow
 * what is sent while it runs. Needs the right to capture, as {@link CaptureCommandIT}.
 */
class CaptureDashboardIT
{
    private static final int PAYLOAD = 100;
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    @TempDir
    Path dir;

    @Test
    void shouldServeTheLiveCountersOfTheRunningCaptureWhenHttp() throws Exception
    {
        long effective = 0;
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("CapEff:"))
            {
                effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        final long needed = (1L << CAP_NET_ADMIN) | (1L << CAP_NET_RAW);
        Prerequisite.require((effective & needed) == needed,
            "capturing on lo needs root or CAP_NET_RAW+CAP_NET_ADMIN; this process has CapEff=" +
            Long.toHexString(effective));

        final String db = dir.resolve("live.db").toString();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final Cli.Running capture = new Cli.Running("capture", "--interface", "lo", "--duration", "6s",
                "--filter", "udp and src port " + sender.getLocalPort() + " and dst port " + receiver.getLocalPort(),
                "--db", db, "--bucket", "1s", "--http", "127.0.0.1:0");
            final Pattern where = Pattern.compile("dashboard on http://127\\.0\\.0\\.1:(\\d+)/");
            String base = null;
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while ((null == base || !capture.err().contains("capturing on lo")) && capture.isAlive() &&
                System.nanoTime() < deadlineNs)
            {
                final Matcher matcher = where.matcher(capture.err());
                base = matcher.find() ? "http://127.0.0.1:" + matcher.group(1) + "/" : null;
                Thread.sleep(10);
            }
            assertTrue(null != base && capture.isAlive(), capture.err());

            send(sender, receiver, 10);
            assertEquals(10, awaitFrames(base, 10), capture.err());
            send(sender, receiver, 15);
            assertEquals(25, awaitFrames(base, 25), capture.err());
            final String live = get(base + "api/live").body();
            assertTrue(live.contains("\"frames\": 25, \"packets\": 25, \"bytes\": " + 25 * (20 + 8 + PAYLOAD) + ","),
                live);

            final Cli.Result result = capture.join();
            assertEquals(0, result.exitCode(), result::toString);
            assertEquals(25, result.figure("frames"));
        }
    }

    private static void send(final DatagramSocket sender, final DatagramSocket receiver, final int count)
        throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            sender.send(new DatagramPacket(new byte[PAYLOAD], PAYLOAD, receiver.getLocalSocketAddress()));
        }
    }

    /*
     * traffic_frames_total from /metrics once it reaches the count, or its last value after 3 s.
     */
    private static long awaitFrames(final String base, final long count) throws Exception
    {
        final Pattern frames = Pattern.compile("(?m)^traffic_frames_total (\\d+)$");
        long seen = -1;
        final long deadlineNs = System.nanoTime() + 3_000_000_000L;
        while (seen < count && System.nanoTime() < deadlineNs)
        {
            final Matcher matcher = frames.matcher(get(base + "metrics").body());
            seen = matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
            Thread.sleep(50);
        }
        return seen;
    }

    private static HttpResponse<String> get(final String url) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
