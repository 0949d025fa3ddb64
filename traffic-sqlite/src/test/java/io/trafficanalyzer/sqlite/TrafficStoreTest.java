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
    void shouldSumHostAndLinkSeriesPerStepWhenAskedForATimeSeries()
    {
        try (TrafficStore store = TrafficStore.open(path))
        {
            final String host = "fd00::2:0:0:3";
            final Map<Long, long[]> hostSteps = new TreeMap<>();
            final Map<Long, long[]> linkSteps = new TreeMap<>();
            for (final TestBatch batch : batches)
            {
                final long step = batch.startEpochSecond() / 900 * 900;
                for (final TestRow row : batch.rows())
                {
                    if (row.view().equals(StatsRow.HOSTS) && row.host().equals(host))
                    {
                        add(hostSteps.computeIfAbsent(step, k -> new long[4]), row.inBytes(), row.inPackets(),
                            row.outBytes(), row.outPackets());
                    }
                }
                final long[] link = linkSteps.computeIfAbsent(step, k -> new long[]{ 0, 0, 1 });
                link[0] += batch.quality().packets();
                link[1] += batch.quality().bytes();
                link[2] &= batch.quality().isComplete() ? 1 : 0;
            }
            final List<TrafficPoint> expectedHost = new ArrayList<>();
            hostSteps.forEach((step, s) -> expectedHost.add(new TrafficPoint(at(step), s[0], s[1], s[2], s[3])));
            final List<LinkPoint> expectedLink = new ArrayList<>();
            linkSteps.forEach((step, s) -> expectedLink.add(new LinkPoint(at(step), s[0], s[1], s[2] == 1)));

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
        final long[] sums = new long[11];
        long buckets = 0;
        boolean complete = true;
        for (final TestBatch batch : batches)
        {
            if (batch.startEpochSecond() >= from && batch.startEpochSecond() < to)
            {
                final TestQuality q = batch.quality();
                buckets++;
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
        final TrafficTotals expected = new TrafficTotals(buckets, sums[0], sums[1], sums[2], sums[3], sums[4],
            sums[5], sums[6], sums[7], sums[8], sums[9], sums[10], complete);

        try (TrafficStore store = TrafficStore.open(path))
        {
            assertEquals(expected, store.totals(at(from), at(to)));
            assertEquals(new TrafficTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true),
                store.totals(at(END + 60), at(END + 120)));
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
        final Map<String, long[]> sums = sum(StatsRow.HOSTS, null, from, to, TestRow::host);
        final List<HostTraffic> hosts = new ArrayList<>();
        sums.forEach((host, s) -> hosts.add(new HostTraffic(host, s[0], s[1], s[2], s[3])));
        hosts.sort(Comparator.comparingLong(HostTraffic::bytes).reversed().thenComparing(HostTraffic::host));
        return hosts.subList(0, Math.min(limit, hosts.size()));
    }

    private List<PortTraffic> expectedPorts(final String host, final long from, final long to)
    {
        final Map<String, long[]> sums = sum(StatsRow.PORTS, host, from, to,
            row -> row.protocolText() + "/" + row.portValue() + "/" + row.served());
        final List<PortTraffic> ports = new ArrayList<>();
        sums.forEach((key, s) ->
        {
            final String[] parts = key.split("/");
            ports.add(new PortTraffic(parts[0], Integer.parseInt(parts[1]), Boolean.parseBoolean(parts[2]),
                s[0], s[1], s[2], s[3]));
        });
        ports.sort(Comparator.comparingLong(PortTraffic::bytes).reversed().thenComparing(PortTraffic::protocol)
            .thenComparingInt(PortTraffic::port).thenComparing(PortTraffic::served));
        return ports;
    }

    private List<PeerTraffic> expectedPeers(final String host, final long from, final long to)
    {
        final Map<String, long[]> sums = sum(StatsRow.PEERS, host, from, to, TestRow::peerText);
        final List<PeerTraffic> peers = new ArrayList<>();
        sums.forEach((peer, s) -> peers.add(new PeerTraffic(peer, s[0], s[1], s[2], s[3])));
        peers.sort(Comparator.comparingLong(PeerTraffic::bytes).reversed().thenComparing(PeerTraffic::peer));
        return peers;
    }

    private Map<String, long[]> sum(
        final String view, final String host, final long from, final long to, final Function<TestRow, String> key)
    {
        final Map<String, long[]> sums = new HashMap<>();
        for (final TestBatch batch : batches)
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
