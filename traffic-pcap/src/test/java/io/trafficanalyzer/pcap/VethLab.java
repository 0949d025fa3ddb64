package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.testing.Prerequisite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two test hosts in their own network namespaces joined by a veth pair: the sender side carries no address and
 * the capture side carries {@link #CAPTURE_IPV4} and {@link #CAPTURE_IPV6}. Both ends are made silent (no ARP, no
 * IPv6 link-local address, no DAD, router solicitation or MLD), so the only frames on the link are those a test
 * sends. Names are unique per JVM and lab; {@link #close()} removes the namespaces and with them the veth pair.
 */
public final class VethLab implements AutoCloseable
{
    /** The capture end's IPv4 address, with its prefix length. */
    public static final String CAPTURE_IPV4 = "10.203.0.2/24";
    /** The capture end's IPv6 address, with its prefix length. */
    public static final String CAPTURE_IPV6 = "fd42:203::2/64";
    /** The capture end's IPv4 network. */
    public static final String CAPTURE_IPV4_NETWORK = "10.203.0.0/24";
    /** The capture end's IPv6 network. */
    public static final String CAPTURE_IPV6_NETWORK = "fd42:203::/64";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String unavailable;

    /** The namespace of the sender ends. */
    public final String senderNamespace;
    /** The namespace of the capture ends. */
    public final String captureNamespace;
    /** The sender end of the first pair. */
    public final String senderInterface;
    /** The capture end of the first pair. */
    public final String captureInterface;

    /**
     * Creates the two namespaces and the first veth pair.
     *
     * @throws IOException          when a command fails.
     * @throws InterruptedException when interrupted.
     */
    public VethLab() throws IOException, InterruptedException
    {
        final String id = "ta" + (ProcessHandle.current().pid() % 100_000) + "x" + COUNTER.incrementAndGet();
        senderNamespace = id + "s";
        captureNamespace = id + "c";
        senderInterface = id + "a";
        captureInterface = id + "b";
        boolean created = false;
        try
        {
            run("ip", "netns", "add", senderNamespace);
            run("ip", "netns", "add", captureNamespace);
            addVethPair(senderInterface, captureInterface, CAPTURE_IPV4, CAPTURE_IPV6);
            created = true;
        }
        finally
        {
            if (!created)
            {
                close();
            }
        }
    }

    /**
     * Skips the calling test, with the reason, unless labs can be built here: root and a working {@code ip netns};
     * fails it under CI, which must run it ({@link Prerequisite}). Called before each test, not once per class, so
     * that every test skipped is counted as skipped.
     */
    public static synchronized void assumeAvailable()
    {
        if (null == unavailable)
        {
            // probed once per JVM: an empty reason means available
            final String reason = unavailableReason();
            unavailable = null == reason ? "" : reason;
        }
        Prerequisite.requireNothingMissing(unavailable.isEmpty() ? null : unavailable);
    }

    private static String unavailableReason()
    {
        try
        {
            final String status = Files.readString(Path.of("/proc/self/status"));
            if (!status.contains("\nUid:\t0\t"))
            {
                return "the live-capture integration tests need root (network namespaces and packet sockets)";
            }
            final String probe = "taprobe" + ProcessHandle.current().pid();
            final Process add = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
            final String output = new String(add.getInputStream().readAllBytes());
            if (!add.waitFor(30, TimeUnit.SECONDS) || add.exitValue() != 0)
            {
                return "ip netns is not possible here: " + output.trim();
            }
            new ProcessBuilder("ip", "netns", "del", probe).start().waitFor(30, TimeUnit.SECONDS);
            return null;
        }
        catch (final IOException ex)
        {
            return "ip netns is not possible here (iproute2 missing?): " + ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * A veth pair between the two namespaces, configured silent, the capture end with the given addresses.
     *
     * @param sender  name of the sender end.
     * @param capture name of the capture end.
     * @param ipv4    IPv4 address with prefix length for the capture end.
     * @param ipv6    IPv6 address with prefix length for the capture end.
     * @throws IOException          when a command fails.
     * @throws InterruptedException when interrupted.
     */
    public void addVethPair(final String sender, final String capture, final String ipv4, final String ipv6)
        throws IOException, InterruptedException
    {
        run("ip", "link", "add", sender, "address", "02:00:00:00:00:0a", "netns", senderNamespace,
            "type", "veth", "peer", "name", capture, "address", "02:00:00:00:00:0b", "netns", captureNamespace);
        inSender("ip", "link", "set", sender, "arp", "off", "addrgenmode", "none");
        inSender(setting(sender, "disable_ipv6", 1));
        inCapture("ip", "link", "set", capture, "arp", "off", "addrgenmode", "none");
        inCapture(setting(capture, "router_solicitations", 0));
        inCapture(setting(capture, "accept_ra", 0));
        inCapture(setting(capture, "dad_transmits", 0));
        inCapture("ip", "addr", "add", ipv4, "dev", capture);
        inCapture("ip", "addr", "add", ipv6, "dev", capture, "nodad");
        inSender("ip", "link", "set", sender, "up");
        inCapture("ip", "link", "set", capture, "up");
    }

    // sets an IPv6 setting of an interface in the namespace the command runs in, without procps' sysctl:
    // /proc/sys/net shows the network namespace of whoever opens it
    private static String[] setting(final String interfaceName, final String name, final int value)
    {
        return new String[]{ "sh", "-c", "echo " + value + " > /proc/sys/net/ipv6/conf/" + interfaceName + "/" + name };
    }

    /**
     * Runs a command in the sender namespace.
     *
     * @param command the command and its arguments.
     * @throws IOException          when it fails.
     * @throws InterruptedException when interrupted.
     */
    public void inSender(final String... command) throws IOException, InterruptedException
    {
        inNamespace(senderNamespace, command);
    }

    /**
     * Runs a command in the capture namespace.
     *
     * @param command the command and its arguments.
     * @throws IOException          when it fails.
     * @throws InterruptedException when interrupted.
     */
    public void inCapture(final String... command) throws IOException, InterruptedException
    {
        inNamespace(captureNamespace, command);
    }

    /**
     * Runs a command, failing with its output unless it exits with 0 within 30 seconds.
     *
     * @param command the command and its arguments.
     * @throws IOException          when it fails.
     * @throws InterruptedException when interrupted.
     */
    public static void run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IOException(String.join(" ", command) + " failed: " + output.trim());
        }
    }

    /**
     * Removes the namespaces, and with them every veth pair.
     */
    public void close()
    {
        for (final String namespace : List.of(senderNamespace, captureNamespace))
        {
            try
            {
                new ProcessBuilder("ip", "netns", "del", namespace).redirectErrorStream(true).start()
                    .waitFor(30, TimeUnit.SECONDS);
            }
            catch (final IOException ex)
            {
                // nothing more can be done; the names are unique, so a leftover harms no other test
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void inNamespace(final String namespace, final String... command)
        throws IOException, InterruptedException
    {
        final String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }
}
