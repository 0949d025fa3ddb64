package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.testing.Prerequisite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live commands on the loopback interface: needs libpcap and the right to capture (root or CAP_NET_RAW and
 * CAP_NET_ADMIN), as CI has. Without the right the tests are skipped (failed under CI); with it, failing to capture
 * fails them.
 */
class CaptureCommandIT
{
    private static final int DATAGRAMS = 25;
    private static final int PAYLOAD = 100;
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    @TempDir
    Path dir;

    @BeforeEach
    void requireCaptureRights() throws Exception
    {
        // the process's effective capabilities, read from the kernel: not by opening a capture, the feature tested
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
    }

    @Test
    void shouldStoreExactlyWhatWasSentWhenCapturingForADuration() throws Exception
    {
        captureDatagrams("lo", "lo");
    }

    @Test
    void shouldCaptureOnEveryInterfaceWhenSeveralAreListed() throws Exception
    {
        String other = null;
        for (final NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (null == other && candidate.isUp() && !candidate.isLoopback())
            {
                other = candidate.getName();
            }
        }
        Prerequisite.require(null != other, "an interface other than lo that is up");

        captureDatagrams("lo," + other, "lo," + other);
    }

    private void captureDatagrams(final String interfaces, final String shown) throws Exception
    {
        final String db = dir.resolve("live-" + interfaces.replace(',', '-') + ".db").toString();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final int from = sender.getLocalPort();
            final int to = receiver.getLocalPort();
            final Cli.Running capture = new Cli.Running("capture", "--interface", interfaces, "--duration", "3s",
                "--filter", "udp and src port " + from + " and dst port " + to, "--db", db, "--bucket", "1s",
                "--agent", "loopback");
            final long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (!capture.err().contains("capturing on " + shown) && capture.isAlive() &&
                System.nanoTime() < deadlineNs)
            {
                Thread.sleep(10);
            }
            assertTrue(capture.isAlive(), capture.err());
            for (int i = 0; i < DATAGRAMS; i++)
            {
                sender.send(new DatagramPacket(new byte[PAYLOAD], PAYLOAD, receiver.getLocalSocketAddress()));
            }

            final Cli.Result result = capture.join();

            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.out().startsWith("Captured on " + shown + " into " + Path.of(db).toAbsolutePath() +
                " as agent loopback\n"), result::toString);
            final long ipLength = 20 + 8 + PAYLOAD;
            assertEquals(DATAGRAMS, result.figure("frames"));
            assertEquals(DATAGRAMS, result.figure("IP packets"));
            assertEquals(DATAGRAMS * ipLength, result.figure("bytes"));

            // loopback to loopback: the host both sent and received every datagram
            final Cli.Result top = Cli.run("top", "--db", db, "--agent", "loopback", "--format", "csv");
            assertEquals(0, top.exitCode(), top::toString);
            final String[] lines = top.out().split("\r\n");
            assertEquals(2, lines.length, top::toString);
            assertTrue(lines[1].startsWith("127.0.0.1," + 2 * DATAGRAMS * ipLength + "," + DATAGRAMS * ipLength + "," +
                DATAGRAMS * ipLength + "," + DATAGRAMS + "," + DATAGRAMS + ","), top::toString);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldFlushEverythingCapturedWhenInterruptedByCtrlC() throws Exception
    {
        final Path db = dir.resolve("interrupted.db");
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                TrafficAnalyzerCommand.class.getName(), "capture", "--interface", "lo", "--db", db.toString(),
                "--filter", "udp and src port " + sender.getLocalPort() + " and dst port " + receiver.getLocalPort())
                .start();
            final BufferedReader err = new BufferedReader(
                new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
            final String first = err.readLine();
            assertTrue(null != first && first.startsWith("capturing on lo into "), first);
            for (int i = 0; i < DATAGRAMS; i++)
            {
                sender.send(new DatagramPacket(new byte[PAYLOAD], PAYLOAD, receiver.getLocalSocketAddress()));
            }
            // the status line, every few seconds, says when the capture has counted every datagram
            String status = err.readLine();
            while (null != status && !status.contains(" total " + DATAGRAMS + " packets"))
            {
                status = err.readLine();
            }
            assertTrue(null != status, "the capture ended before it counted every datagram");

            // the first bucket is still open (10 s by default): only the shutdown hook's close can store it
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the capture did not stop on SIGINT");
            final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(out.startsWith("Captured on lo into " + db + " as agent " + TrafficAnalyzer.localHostName() +
                " (stopped by a signal)"), out);
            final Cli.Result top = Cli.run("top", "--db", db.toString(), "--format", "csv");
            assertEquals(0, top.exitCode(), top::toString);
            final long ipLength = 20 + 8 + PAYLOAD;
            assertTrue(top.out().contains("\r\n127.0.0.1," + 2 * DATAGRAMS * ipLength + ","), top::toString);
        }
    }

    @Test
    void shouldListTheLoopbackInterfaceWithItsAddress()
    {
        final Cli.Result result = Cli.run("interfaces", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("name,up,loopback,addresses,description\r\n"), result::toString);
        assertTrue(result.out().contains("\r\nlo,true,true,127.0.0.1/8"), result::toString);
    }

    @Test
    void shouldNameTheOptionWhenTheInterfaceOrTheFilterIsWrong()
    {
        final String db = dir.resolve("live.db").toString();

        final Cli.Result noInterface = Cli.run("capture", "--interface", "nope0", "--db", db);
        final Cli.Result badFilter = Cli.run("capture", "--interface", "lo", "--filter", "port ((", "--db", db);
        final Cli.Result badSnaplen = Cli.run("capture", "--interface", "lo", "--snaplen", "0", "--db", db);

        assertEquals(1, noInterface.exitCode(), noInterface::toString);
        assertTrue(noInterface.err().startsWith("error: --interface=nope0: no interface 'nope0'; the interfaces " +
            "are: "), noInterface::toString);
        assertEquals(1, badFilter.exitCode(), badFilter::toString);
        assertTrue(badFilter.err().startsWith("error: --filter=port ((: "), badFilter::toString);
        assertEquals(1, badSnaplen.exitCode(), badSnaplen::toString);
        assertEquals("error: --snaplen=0: must be from 62 to 262144 (the headers counted: Ethernet, a VLAN tag, an " +
            "IPv6 header and the ports take 62 bytes)", badSnaplen.err().strip());
        for (final Cli.Result result : new Cli.Result[]{ noInterface, badFilter, badSnaplen })
        {
            assertEquals(1, result.err().strip().lines().count(), result::toString);
        }
    }
}
