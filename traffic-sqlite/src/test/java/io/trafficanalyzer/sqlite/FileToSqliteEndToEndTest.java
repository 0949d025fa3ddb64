package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture file written by the test, analysed through {@code file:} and {@code sqlite:} URIs found by
 * ServiceLoader, and read back through the contract views with plain JDBC: every figure equals what the test
 * computed from the frames it wrote.
 */
class FileToSqliteEndToEndTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_151_200L * S; // 2025-11-26T10:00:00Z

    @TempDir
    Path dir;

    @Test
    void shouldStoreExactlyTheTrafficWrittenWhenReplayingAFileIntoSqlite() throws Exception
    {
        final Path capture = dir.resolve("capture.pcap");
        final List<String> expectedHosts = new ArrayList<>();
        final long outTcp;
        final long inTcp;
        final long outUdp;
        final long v6Out;
        try (PcapFileWriter writer = PcapFileWriter.create(capture).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            // bucket 10:00:00 - a local client 10.1.0.5:50000 talks to 203.0.113.9:443, 3 out, 2 in
            final FrameBuilder request = new FrameBuilder().ethernet().ipv4("10.1.0.5", "203.0.113.9")
                .tcp(50000, 443).payload(100);
            final FrameBuilder reply = new FrameBuilder().ethernet().ipv4("203.0.113.9", "10.1.0.5")
                .tcp(443, 50000).payload(1200).snapLength(96);
            for (int i = 0; i < 3; i++)
            {
                writer.record(T0 + i * S / 10, request.build());
            }
            for (int i = 0; i < 2; i++)
            {
                writer.record(T0 + S + i * S / 10, reply.build(), reply.capturedLength(), reply.wireLength());
            }
            outTcp = 3L * request.ipLength();
            inTcp = 2L * reply.ipLength();

            // the same host asks DNS of 198.51.100.53, and an ARP frame, and transit between two remote hosts
            final FrameBuilder dns = new FrameBuilder().ethernet().ipv4("10.1.0.5", "198.51.100.53")
                .udp(40000, 53).payload(30);
            writer.record(T0 + 2 * S, dns.build());
            outUdp = dns.ipLength();
            writer.record(T0 + 3 * S, new FrameBuilder().ethernet().etherType(0x0806).payload(28).build());
            writer.record(T0 + 4 * S, new FrameBuilder().ethernet().ipv4("203.0.113.1", "203.0.113.2")
                .udp(1000, 2000).payload(10).build());

            // bucket 10:00:10 - an IPv6 host fd00::5 serves port 22 to 2001:db8::9
            final FrameBuilder ssh = new FrameBuilder().ethernet().vlan(7).ipv6("fd00::5", "2001:db8::9")
                .tcp(22, 61000).payload(500);
            writer.record(T0 + 12 * S, ssh.build());
            v6Out = ssh.ipLength();
        }

        final Path db = dir.resolve("store/traffic.db");
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .localNetworks("10.0.0.0/8", "fd00::/8")
            .bucket(Duration.ofSeconds(10))
            .sink("sqlite:" + db)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement())
        {
            assertEquals(List.of(
                "2025-11-26T10:00:00Z|1764151200|10|10.1.0.5|tcp|" + inTcp + "|2|" + outTcp + "|3",
                "2025-11-26T10:00:00Z|1764151200|10|10.1.0.5|udp|0|0|" + outUdp + "|1",
                "2025-11-26T10:00:10Z|1764151210|10|fd00::5|tcp|0|0|" + v6Out + "|1"),
                rows(statement, "SELECT time, bucket_start, bucket_seconds, host, protocol, in_bytes, in_packets, " +
                "out_bytes, out_packets FROM host_traffic ORDER BY bucket_start, host, protocol"));

            assertEquals(List.of(
                "10.1.0.5|tcp|443|0|" + inTcp + "|" + outTcp,
                "10.1.0.5|udp|53|0|0|" + outUdp,
                "fd00::5|tcp|22|1|0|" + v6Out),
                rows(statement, "SELECT host, protocol, port, served, in_bytes, out_bytes FROM port_traffic " +
                "ORDER BY bucket_start, host, protocol"));

            assertEquals(List.of(
                "10.1.0.5|198.51.100.53|udp|1",
                "10.1.0.5|203.0.113.9|tcp|5",
                "fd00::5|2001:db8::9|tcp|1"),
                rows(statement, "SELECT host, peer, protocol, in_packets + out_packets FROM peer_traffic " +
                "ORDER BY bucket_start, host, peer"));

            assertEquals(List.of("1764151200|8|7|1|1", "1764151210|1|1|0|0"),
                rows(statement, "SELECT bucket_start, frames, packets, transit_packets, non_ip FROM bucket_quality " +
                "ORDER BY bucket_start"));
        }
    }

    private static List<String> rows(final Statement statement, final String sql) throws Exception
    {
        final List<String> rows = new ArrayList<>();
        try (ResultSet resultSet = statement.executeQuery(sql))
        {
            final int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next())
            {
                final StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++)
                {
                    row.append(i > 1 ? "|" : "").append(resultSet.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
