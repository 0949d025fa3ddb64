package io.trafficanalyzer.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The totals of a capture as named figures, in one form for the three parties that compute them: the generator
 * (from what it wrote), the SQLite store's views, and the counting sink. Figures whose name starts with
 * {@code info.} describe the capture and are not compared.
 * <p>
 * Names: {@code frames}, {@code packets}, {@code bytes} (IP bytes of the decoded packets), {@code non_ip},
 * {@code malformed}, {@code transit_packets}, {@code late_packets}, {@code folded_keys}, {@code hosts} (distinct
 * local addresses), {@code peers} (distinct peer addresses); per view and protocol
 * {@code VIEW.PROTOCOL.MEASURE}, e.g. {@code hosts.tcp.in_bytes}; for the ports view's server side
 * {@code ports.served.MEASURE}; per local host {@code host.ADDRESS.MEASURE}. Measures are {@code in_bytes},
 * {@code in_packets}, {@code out_bytes}, {@code out_packets}, from the local host's side.
 */
final class CaptureTotals
{
    static final String[] MEASURES = { "in_bytes", "in_packets", "out_bytes", "out_packets" };
    static final String INFO = "info.";

    private final TreeMap<String, Long> figures = new TreeMap<>();

    /*
     * The name of an IP protocol number as the store's views show it.
     */
    static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case SyntheticTraffic.TCP:
                return "tcp";
            case SyntheticTraffic.UDP:
                return "udp";
            case SyntheticTraffic.ICMP:
                return "icmp";
            case SyntheticTraffic.ICMPV6:
                return "icmpv6";
            default:
                return "other";
        }
    }

    CaptureTotals put(final String name, final long value)
    {
        figures.put(name, value);
        return this;
    }

    CaptureTotals add(final String name, final long value)
    {
        figures.merge(name, value, Long::sum);
        return this;
    }

    /*
     * Add the four measures under a prefix: {@code prefix.in_bytes} and so on.
     */
    CaptureTotals addMeasures(
        final String prefix, final long inBytes, final long inPackets, final long outBytes, final long outPackets)
    {
        add(prefix + ".in_bytes", inBytes);
        add(prefix + ".in_packets", inPackets);
        add(prefix + ".out_bytes", outBytes);
        add(prefix + ".out_packets", outPackets);
        return this;
    }

    long get(final String name)
    {
        return figures.getOrDefault(name, 0L);
    }

    Map<String, Long> figures()
    {
        return figures;
    }

    /*
     * What differs between these figures, the expected ones, and the actual ones: a figure missing on one side
     * counts as 0 there; {@code info.} figures are ignored.
     *
     * @return one line per difference, empty when they agree.
     */
    List<String> differences(final CaptureTotals actual)
    {
        final TreeSet<String> names = new TreeSet<>(figures.keySet());
        names.addAll(actual.figures.keySet());
        final List<String> differences = new ArrayList<>();
        for (final String name : names)
        {
            if (!name.startsWith(INFO) && get(name) != actual.get(name))
            {
                differences.add(name + ": expected " + get(name) + ", got " + actual.get(name));
            }
        }

        return differences;
    }

    /*
     * Write the figures as {@code name=value} lines, in name order, after a comment line.
     */
    void store(final Path file, final String comment)
    {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write("# " + comment);
            out.newLine();
            for (final Map.Entry<String, Long> figure : figures.entrySet())
            {
                out.write(figure.getKey() + "=" + figure.getValue());
                out.newLine();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /*
     * Read figures written by {@link #store(Path, String)}.
     */
    static CaptureTotals load(final Path file)
    {
        final CaptureTotals totals = new CaptureTotals();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                final int equals = line.indexOf('=');
                if (!line.startsWith("#") && equals > 0)
                {
                    totals.put(line.substring(0, equals), Long.parseLong(line.substring(equals + 1).trim()));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        return totals;
    }

    /*
     * The file beside a capture that holds its expected totals: {@code capture.pcap.totals}.
     */
    static Path besideCapture(final Path capture)
    {
        return capture.resolveSibling(capture.getFileName() + ".totals");
    }
}
