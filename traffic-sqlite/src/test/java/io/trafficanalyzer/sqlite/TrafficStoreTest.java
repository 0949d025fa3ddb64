package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.StatsRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static io.trafficanalyzer.sqlite.Traffic.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficStoreTest
{
    private static final long END = T0 + 2 * 3600;
    private static final String WEST = "west";

    @TempDir
    Path dir;

    private Path path;
    private List<TestBatch> batches;

    @BeforeEach
    void write() throws Exception
    {
        path = dir.resolve("store.db");
        batches = Traffic.series(T0, END, 60, 11);
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (final TestBatch batch : batches)
            {
                batch.writeTo(sink);
            }
        }
    }

    @Test
    void shouldRankHostsByBytesWhenAskedForTopHosts()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(expectedHosts(T0, END, 3), store.topHosts(at(T0), at(END), 3));
            assertEquals(expectedHosts(T0 + 600, T0 + 1800, 10), store.topHosts(at(T0 + 600), at(T0 + 1800), 10));
            assertEquals(Traffic.HOSTS.length, store.topHosts(at(T0), at(END), 100).size());
        }
    }

    @Test
    void shouldRankPortsAndPeersOfAHostWhenAsked()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            for (final String host : Traffic.HOSTS)
            {
                assertEquals(expectedPorts(host, T0 + 300, END - 300), store.topPorts(host, at(T0 + 300),
                    at(END - 300), 100), host);
                assertEquals(expectedPeers(host, T0, END), store.topPeers(host, at(T0), at(END), 100), host);
            }
            assertEquals(expectedPorts("2001:db8::1", T0, END).subList(0, 2),
                store.topPorts("2001:db8::1", at(T0), at(END), 2));
        }
    }

    @Test
    void shouldKeepTheRefusedRoleApartWhenAHostRefusedConnectionsToItsPort() throws Exception
    {
        final Path refused = dir.resolve("refused.db");
        // a scanned closed port: the SYN in counts as served, the reset out as refused; and a client of 443
        final List<TestRow> rows = List.of(
            TestRow.port("10.0.0.5", 6, 36050, true, 40, 1, 0, 0),
            TestRow.refusedPort("10.0.0.5", 6, 36050, 0, 0, 40, 1),
            TestRow.port("10.0.0.5", 6, 443, false, 900, 3, 300, 2));
        try (SqliteSink sink = Traffic.sink(refused).build())
        {
            new TestBatch(T0, 60, TestQuality.EMPTY, rows).writeTo(sink);
        }

        try (TrafficStore store = TrafficStore.open(refused))
        {
            assertEquals(List.of(
                new PortTraffic("tcp", 443, false, false, 900, 3, 300, 2),
                new PortTraffic("tcp", 36050, true, false, 40, 1, 0, 0),
                new PortTraffic("tcp", 36050, true, true, 0, 0, 40, 1)),
                store.topPorts("10.0.0.5", at(T0), at(T0 + 60), 10));
        }
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + refused);
            java.sql.Statement statement = connection.createStatement();
            java.sql.ResultSet result = statement.executeQuery(
                "SELECT port, served, in_packets, out_packets FROM port_traffic ORDER BY port, served"))
        {
            final List<String> shown = new ArrayList<>();
            while (result.next())
            {
                shown.add(result.getInt(1) + " " + result.getInt(2) + " " + result.getLong(3) + " " +
                    result.getLong(4));
            }
            assertEquals(List.of("443 0 3 2", "36050 1 1 0", "36050 2 0 1"), shown);
        }
    }

    @Test
    void shouldSumHostAndLinkSeriesPerStepWhenAskedForATimeSeries()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            final String host = "fd00::2:0:0:3";
            final List<TrafficPoint> expectedHost = expectedHostSeries(batches, host, 900);
            final List<LinkPoint> expectedLink = expectedLinkSeries(batches, 900);

            assertEquals(expectedHost, store.hostSeries(host, at(T0), at(END), Duration.ofMinutes(15)));
            assertEquals(expectedLink, store.linkSeries(at(T0), at(END), Duration.ofMinutes(15)));
            assertEquals(8, expectedLink.size());
        }
    }

    @Test
    void shouldSumTheQualityFiguresWhenAskedForTotals()
    {
        final long from = T0 + 1200;
        final long to = T0 + 4800;
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(expectedTotals(batches, from, to), store.totals(at(from), at(to)));
            assertEquals(new TrafficTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true),
                store.totals(at(END + 60), at(END + 120)));
        }
    }

    @Test
    void shouldAnswerForOneAgentOrSumEveryAgentWhenTwoAgentsSawTheSameHosts() throws Exception
    {
        // a second agent saw the same hosts in the same buckets, and a bucket before the first agent's
        final List<TestBatch> west = new ArrayList<>();
        for (final TestBatch batch : Traffic.series(T0 - 60, END - 600, 60, 12))
        {
            west.add(batch.of(WEST));
        }
        try (SqliteSink sink = Traffic.sink(path).build())
        {
            for (final TestBatch batch : west)
            {
                batch.writeTo(sink);
            }
        }
        final List<TestBatch> both = new ArrayList<>(batches);
        both.addAll(west);
        final String host = "192.168.1.20";
        final Map<String, List<TestBatch>> fedBy = new TreeMap<>(Map.of(TestBatch.AGENT, batches, WEST, west));

        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(List.of(TestBatch.AGENT, WEST), store.agents());
            // every agent: a host seen by both counts with the sum of both
            assertEquals(expectedHosts(both, T0 - 60, END, 10), store.topHosts(at(T0 - 60), at(END), 10));
            assertEquals(expectedHosts(both, T0 - 60, END, 10), store.topHosts(null, at(T0 - 60), at(END), 10));
            assertEquals(expectedPorts(both, host, T0, END), store.topPorts(host, at(T0), at(END), 100));
            assertEquals(expectedTotals(both, T0 - 60, END), store.totals(at(T0 - 60), at(END)));
            for (final Map.Entry<String, List<TestBatch>> agent : fedBy.entrySet())
            {
                final String name = agent.getKey();
                final List<TestBatch> fed = agent.getValue();
                assertEquals(expectedHosts(fed, T0 - 60, END, 10), store.topHosts(name, at(T0 - 60), at(END), 10),
                    name);
                assertEquals(expectedPorts(fed, host, T0, END), store.topPorts(name, host, at(T0), at(END), 100),
                    name);
                assertEquals(expectedPeers(fed, host, T0, END), store.topPeers(name, host, at(T0), at(END), 100),
                    name);
                assertEquals(expectedTotals(fed, T0 - 60, END), store.totals(name, at(T0 - 60), at(END)), name);
                assertEquals(expectedHostSeries(fed, host, 900),
                    store.hostSeries(name, host, at(T0 - 60), at(END), Duration.ofMinutes(15)), name);
                assertEquals(expectedLinkSeries(fed, 900),
                    store.linkSeries(name, at(T0 - 60), at(END), Duration.ofMinutes(15)), name);
            }
            assertEquals(expectedHostSeries(both, host, 900),
                store.hostSeries(host, at(T0 - 60), at(END), Duration.ofMinutes(15)));
            assertEquals(expectedLinkSeries(both, 900), store.linkSeries(at(T0 - 60), at(END), Duration.ofMinutes(15)));
            assertEquals(List.of(), store.topHosts("east", at(T0 - 60), at(END), 10));
            assertEquals(0, store.totals("east", at(T0 - 60), at(END)).buckets());
        }
    }

    @Test
    void shouldTreatAHostWithQuotesAsAValueNotAsSql()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(List.of(), store.topPeers("10.0.0.1' OR '1'='1", at(T0), at(END), 10));
            assertEquals(List.of(), store.hostSeries("x\"); DROP TABLE host_stats; --", at(T0), at(END),
                Duration.ofMinutes(1)));
            assertEquals(expectedPeers("10.0.0.1", T0, END), store.topPeers("10.0.0.1", at(T0), at(END), 100));
        }
    }

    @Test
    void shouldRejectRangesLimitsAndStepsThatAreNotValid()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            assertThrows(IllegalArgumentException.class, () -> store.topHosts(at(END), at(T0), 1));
            assertThrows(IllegalArgumentException.class, () -> store.topHosts(at(T0), at(END), 0));
            assertThrows(IllegalArgumentException.class,
                () -> store.linkSeries(at(T0), at(END), Duration.ofMillis(1500)));
        }
    }

    @Test
    void shouldNameThePathWhenTheStoreDoesNotExist()
    {
        final Path missing = dir.resolve("missing.db");
        final SqliteStoreException ex = assertThrows(SqliteStoreException.class, () -> TrafficStore.open(missing));
        assertTrue(ex.getMessage().contains(missing.toString()), ex.getMessage());
        assertEquals("no such database file", ex.reason());
    }

    private List<HostTraffic> expectedHosts(final long from, final long to, final int limit)
    {
        return expectedHosts(batches, from, to, limit);
    }

    private static List<HostTraffic> expectedHosts(
        final List<TestBatch> fed, final long from, final long to, final int limit)
    {
        final Map<String, long[]> sums = sum(fed, StatsRow.HOSTS, null, from, to, TestRow::host);
        final List<HostTraffic> hosts = new ArrayList<>();
        sums.forEach((host, s) -> hosts.add(new HostTraffic(host, s[0], s[1], s[2], s[3])));
        hosts.sort(Comparator.comparingLong(HostTraffic::bytes).reversed().thenComparing(HostTraffic::host));
        return hosts.subList(0, Math.min(limit, hosts.size()));
    }

    private List<PortTraffic> expectedPorts(final String host, final long from, final long to)
    {
        return expectedPorts(batches, host, from, to);
    }

    private static List<PortTraffic> expectedPorts(
        final List<TestBatch> fed, final String host, final long from, final long to)
    {
        final Map<String, long[]> sums = sum(fed, StatsRow.PORTS, host, from, to,
            row -> row.protocolText() + "/" + row.portValue() + "/" + row.servedValue());
        final List<PortTraffic> ports = new ArrayList<>();
        sums.forEach((key, s) ->
        {
            final String[] parts = key.split("/");
            ports.add(new PortTraffic(parts[0], Integer.parseInt(parts[1]), !"0".equals(parts[2]),
                "2".equals(parts[2]), s[0], s[1], s[2], s[3]));
        });
        ports.sort(Comparator.comparingLong(PortTraffic::bytes).reversed().thenComparing(PortTraffic::protocol)
            .thenComparingInt(PortTraffic::port).thenComparing(PortTraffic::served)
            .thenComparing(PortTraffic::refused));
        return ports;
    }

    private List<PeerTraffic> expectedPeers(final String host, final long from, final long to)
    {
        return expectedPeers(batches, host, from, to);
    }

    private static List<PeerTraffic> expectedPeers(
        final List<TestBatch> fed, final String host, final long from, final long to)
    {
        final Map<String, long[]> sums = sum(fed, StatsRow.PEERS, host, from, to, TestRow::peerText);
        final List<PeerTraffic> peers = new ArrayList<>();
        sums.forEach((peer, s) -> peers.add(new PeerTraffic(peer, s[0], s[1], s[2], s[3])));
        peers.sort(Comparator.comparingLong(PeerTraffic::bytes).reversed().thenComparing(PeerTraffic::peer));
        return peers;
    }

    private static Map<String, long[]> sum(
        final List<TestBatch> fed,
        final String view,
        final String host,
        final long from,
        final long to,
        final Function<TestRow, String> key)
    {
        final Map<String, long[]> sums = new HashMap<>();
        for (final TestBatch batch : fed)
        {
            if (batch.startEpochSecond() < from || batch.startEpochSecond() >= to)
            {
                continue;
            }
            for (final TestRow row : batch.rows())
            {
                if (row.view().equals(view) && (host == null || row.host().equals(host)))
                {
                    add(sums.computeIfAbsent(key.apply(row), k -> new long[4]), row.inBytes(), row.inPackets(),
                        row.outBytes(), row.outPackets());
                }
            }
        }
        return sums;
    }

    private static List<TrafficPoint> expectedHostSeries(
        final List<TestBatch> fed, final String host, final long stepSeconds)
    {
        final Map<Long, long[]> steps = new TreeMap<>();
        for (final TestBatch batch : fed)
        {
            final long step = batch.startEpochSecond() / stepSeconds * stepSeconds;
            for (final TestRow row : batch.rows())
            {
                if (row.view().equals(StatsRow.HOSTS) && row.host().equals(host))
                {
                    add(steps.computeIfAbsent(step, k -> new long[4]), row.inBytes(), row.inPackets(),
                        row.outBytes(), row.outPackets());
                }
            }
        }
        final List<TrafficPoint> points = new ArrayList<>();
        steps.forEach((step, s) -> points.add(new TrafficPoint(at(step), s[0], s[1], s[2], s[3])));
        return points;
    }

    private static List<LinkPoint> expectedLinkSeries(final List<TestBatch> fed, final long stepSeconds)
    {
        final Map<Long, long[]> steps = new TreeMap<>();
        for (final TestBatch batch : fed)
        {
            final long[] link = steps.computeIfAbsent(batch.startEpochSecond() / stepSeconds * stepSeconds,
                k -> new long[]{ 0, 0, 1 });
            link[0] += batch.quality().packets();
            link[1] += batch.quality().bytes();
            link[2] &= batch.quality().isComplete() ? 1 : 0;
        }
        final List<LinkPoint> points = new ArrayList<>();
        steps.forEach((step, s) -> points.add(new LinkPoint(at(step), s[0], s[1], s[2] == 1)));
        return points;
    }

    /*
     * The quality figures of the batches whose start is in [from, to); buckets counts distinct starts, whoever
     * contributed to them.
     */
    private static TrafficTotals expectedTotals(final List<TestBatch> fed, final long from, final long to)
    {
        final long[] sums = new long[11];
        final java.util.Set<Long> buckets = new java.util.HashSet<>();
        boolean complete = true;
        for (final TestBatch batch : fed)
        {
            if (batch.startEpochSecond() >= from && batch.startEpochSecond() < to)
            {
                final TestQuality q = batch.quality();
                buckets.add(batch.startEpochSecond());
                long malformed = 0;
                for (int i = 0; i < FrameOutcome.count(); i++)
                {
                    if (FrameOutcome.get(i).isMalformed())
                    {
                        malformed += q.frames(FrameOutcome.get(i));
                    }
                }
                add(sums, q.frames(), q.packets(), q.bytes(), q.transitPackets(), q.transitBytes(),
                    q.frames(FrameOutcome.NON_IP), malformed, q.latePackets(), q.ringDrops(), q.kernelDrops(),
                    q.foldedKeys());
                complete &= q.isComplete();
            }
        }
        return new TrafficTotals(buckets.size(), sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6],
            sums[7], sums[8], sums[9], sums[10], complete);
    }

    private static void add(final long[] sums, final long... values)
    {
        for (int i = 0; i < values.length; i++)
        {
            sums[i] += values[i];
        }
    }

    private static Instant at(final long epochSecond)
    {
        return Instant.ofEpochSecond(epochSecond);
    }
}
