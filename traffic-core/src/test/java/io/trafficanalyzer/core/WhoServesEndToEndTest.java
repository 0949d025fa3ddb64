package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_ACK;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_FIN;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_RST;
import static io.trafficanalyzer.core.codec.DecodedPacket.TCP_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who serves, end to end: conversations written as real Ethernet frames to a pcap file, read and decoded by the real
 * reader and decoder, and the {@code ports} rows of the one bucket they fall in compared with what the test counts
 * packet by packet from the frames it wrote: the host, the service port, the host's role and direction.
 */
class WhoServesEndToEndTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final long BUCKET_NS = 10 * S;
    private static final int PSH = 0x08;
    private static final String CLIENT = "client";
    private static final String SERVED = "served";
    private static final String REFUSED = "refused";

    @TempDir
    Path dir;

    private final Map<String, String> expected = new TreeMap<>();
    private PcapFileWriter writer;
    private long clock = T0;

    @Test
    void shouldNeverMakeAScannerServeAndCountTheScannedClosedPortsAsRefused() throws Exception
    {
        final Path file = start();
        // 10.0.0.9:54321 SYN-scans 10.0.0.5, both local: 36050 and 60000 closed, 22 open
        for (final int port : new int[]{ 36050, 60000 })
        {
            final int syn = send("10.0.0.9", 54321, "10.0.0.5", port, TCP_SYN, 0x5EED, 0);
            count("10.0.0.9", port, CLIENT, true, syn);
            count("10.0.0.5", port, SERVED, false, syn);
            final int reset = send("10.0.0.5", port, "10.0.0.9", 54321, TCP_RST | TCP_ACK, 0, 0);
            count("10.0.0.5", port, REFUSED, true, reset);
            count("10.0.0.9", port, CLIENT, false, reset);
        }
        final int syn = send("10.0.0.9", 54321, "10.0.0.5", 22, TCP_SYN, 0x5EED, 0);
        count("10.0.0.9", 22, CLIENT, true, syn);
        count("10.0.0.5", 22, SERVED, false, syn);
        final int synAck = send("10.0.0.5", 22, "10.0.0.9", 54321, TCP_SYN | TCP_ACK, 0x7000, 0);
        count("10.0.0.5", 22, SERVED, true, synAck);
        count("10.0.0.9", 22, CLIENT, false, synAck);
        // the scanner's kernel resets the half-open connection: a reset with a sequence number, not a refusal
        final int reset = send("10.0.0.9", 54321, "10.0.0.5", 22, TCP_RST, 0x5EEE, 0);
        count("10.0.0.9", 22, CLIENT, true, reset);
        count("10.0.0.5", 22, SERVED, false, reset);

        assertEquals(expected, portRows(file));
        assertTrue(expected.keySet().stream().noneMatch(row -> row.contains("54321")));
    }

    @Test
    void shouldServeFromTheSynAckSideWhenTheHandshakeIsSeen() throws Exception
    {
        final Path file = start();
        // a local client on 40000 to a remote server on 50000: the client's port is the smaller
        conversation("10.0.0.6", 40000, "203.0.113.8", 50000, "10.0.0.6", 50000, CLIENT);
        // a remote client on 8080, well known and smaller, to a local server on 54000
        conversation("198.51.100.20", 8080, "10.0.0.7", 54000, "10.0.0.7", 54000, SERVED);

        assertEquals(expected, portRows(file));
    }

    @Test
    void shouldTakeTheWellKnownPortThenTheSmallerWhenNoHandshakeIsSeen() throws Exception
    {
        final Path file = start();
        // conversations whose opening the capture missed: data and acknowledgments only
        for (int i = 0; i < 2; i++)
        {
            final int data = PSH | TCP_ACK;
            count("10.0.0.8", 40000, SERVED, true, send("10.0.0.8", 40000, "203.0.113.9", 50000, data, 9, 300));
            count("10.0.0.8", 40000, SERVED, false, send("203.0.113.9", 50000, "10.0.0.8", 40000, TCP_ACK, 9, 0));
            count("10.0.0.8", 8080, CLIENT, true, send("10.0.0.8", 3000, "203.0.113.9", 8080, data, 9, 200));
            count("10.0.0.8", 8080, CLIENT, false, send("203.0.113.9", 8080, "10.0.0.8", 3000, data, 9, 900));
        }
        final int query = udp("10.0.0.8", 40001, "203.0.113.9", 5353, 60);
        count("10.0.0.8 udp", 5353, CLIENT, true, query);

        assertEquals(expected, portRows(file));
    }

    @Test
    void shouldDecideEachFileByItsOwnPacketsWhenAFileBeforeItSawTheHandshake() throws Exception
    {
        final Path first = start("first.pcap");
        conversation("10.0.0.6", 40000, "203.0.113.8", 50000, "10.0.0.6", 50000, CLIENT);
        final Path second = start("second.pcap");
        // the same conversation a minute later, in a file of its own that holds no handshake: the port rule decides
        clock += 60 * S;
        count("10.0.0.6", 40000, SERVED, true, send("10.0.0.6", 40000, "203.0.113.8", 50000, PSH | TCP_ACK, 2, 100));
        count("10.0.0.6", 40000, SERVED, false, send("203.0.113.8", 50000, "10.0.0.6", 40000, PSH | TCP_ACK, 9, 700));

        assertEquals(expected, portRows(first, second));
    }

    // a whole connection: handshake, a request, a longer answer, both closings; every packet for one row
    private void conversation(
        final String client,
        final int clientPort,
        final String server,
        final int serverPort,
        final String host,
        final int port,
        final String role)
    {
        final boolean hostIsClient = host.equals(client);
        final int[][] packets = {
            { 1, TCP_SYN, 0 }, { 0, TCP_SYN | TCP_ACK, 0 }, { 1, TCP_ACK, 0 }, { 1, PSH | TCP_ACK, 120 },
            { 0, PSH | TCP_ACK, 1400 }, { 0, PSH | TCP_ACK, 800 }, { 1, TCP_ACK, 0 }, { 1, TCP_FIN | TCP_ACK, 0 },
            { 0, TCP_FIN | TCP_ACK, 0 }, { 1, TCP_ACK, 0 } };
        for (final int[] packet : packets)
        {
            final boolean fromClient = 1 == packet[0];
            final int bytes = fromClient ?
                send(client, clientPort, server, serverPort, packet[1], 1000, packet[2]) :
                send(server, serverPort, client, clientPort, packet[1], 5000, packet[2]);
            count(host, port, role, fromClient == hostIsClient, bytes);
        }
    }

    private Path start() throws Exception
    {
        return start("capture.pcap");
    }

    private Path start(final String name) throws Exception
    {
        if (null != writer)
        {
            writer.close();
        }
        final Path file = dir.resolve(name);
        writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS);
        return file;
    }

    private int send(
        final String source,
        final int sourcePort,
        final String destination,
        final int destinationPort,
        final int flags,
        final int sequence,
        final int payload)
    {
        return write(new FrameBuilder().ipv4(source, destination).tcp(sourcePort, destinationPort).tcpFlags(flags)
            .tcpSequence(sequence).payload(payload));
    }

    private int udp(
        final String source,
        final int sourcePort,
        final String destination,
        final int destinationPort,
        final int payload)
    {
        return write(new FrameBuilder().ipv4(source, destination).udp(sourcePort, destinationPort).payload(payload));
    }

    private int write(final FrameBuilder frame)
    {
        clock += S / 1000;
        writer.record(clock, frame.build());
        return frame.ipLength();
    }

    // a host's row in the bucket of the last packet written, TCP unless the host says otherwise, as in bytes, in
    // packets, out bytes, out packets
    private void count(final String host, final int port, final String role, final boolean out, final int bytes)
    {
        final long bucket = Math.floorDiv(clock, BUCKET_NS) * BUCKET_NS;
        final String row = "+" + (bucket - T0) / S + "s " + (host.contains(" ") ? host : host + " tcp") + " " + port +
            " " + role;
        final long[] measures = parse(expected.getOrDefault(row, "0 0 0 0"));
        measures[out ? 2 : 0] += bytes;
        measures[out ? 3 : 1]++;
        expected.put(row, measures[0] + " " + measures[1] + " " + measures[2] + " " + measures[3]);
    }

    private static long[] parse(final String measures)
    {
        final String[] parts = measures.split(" ");
        return new long[]{ Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
            Long.parseLong(parts[3]) };
    }

    private Map<String, String> portRows(final Path... files) throws Exception
    {
        writer.close();
        final CollectingSink sink = new CollectingSink();
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(CaptureFileSource.open(files))
            .bucket(Duration.ofNanos(BUCKET_NS))
            .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }

        final Map<String, String> rows = new TreeMap<>();
        sink.snapshots().forEach((start, snapshot) -> snapshot.rows().forEach((key, measures) ->
        {
            if (StatsRow.PORTS.equals(key.view()))
            {
                final String role = key.served() ? (key.refused() ? REFUSED : SERVED) : CLIENT;
                final String protocol = 6 == key.protocol() ? "tcp" : 17 == key.protocol() ? "udp" : "other";
                rows.put("+" + (start - T0 / S) + "s " + address(key.hostLo()) + " " + protocol + " " + key.port() +
                    " " + role, measures.inBytes() + " " + measures.inPackets() + " " + measures.outBytes() + " " +
                    measures.outPackets());
            }
        }));
        return rows;
    }

    private static String address(final long lo)
    {
        return (lo >>> 24 & 0xFF) + "." + (lo >>> 16 & 0xFF) + "." + (lo >>> 8 & 0xFF) + "." + (lo & 0xFF);
    }
}
