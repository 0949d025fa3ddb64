package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.GeneratedTraffic.Totals;
import io.trafficanalyzer.core.testing.HostTotalsSink;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capture files read end to end through the real frame decoder: each file contributes to the buckets of its own
 * packets' timestamps under its own identity, and a file read again contributes the same.
 */
class FileContributionsTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final int WIDTH = 10;
    private static final long LATENESS_NS = 2 * S;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();

    // a file of the generator's packets [0, count), packet i stamped time(i), and what the hosts view must hold for
    // it, per bucket start, from those timestamps
    private record WrittenFile(Path path, int count, TreeMap<Long, TreeMap<String, Totals>> hosts, long[] stamps)
    {
    }

    private WrittenFile write(
        final String name, final GeneratedTraffic traffic, final int count, final LongUnaryOperator time)
    {
        final Path path = dir.resolve(name);
        final TreeMap<Long, TreeMap<String, Totals>> hosts = new TreeMap<>();
        final long[] stamps = new long[count];
        try (PcapFileWriter writer = PcapFileWriter.create(path).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            for (int i = 0; i < count; i++)
            {
                stamps[i] = time.applyAsLong(i);
                writer.record(stamps[i], traffic.frame(i));
                final long bucket = Math.floorDiv(stamps[i], WIDTH * S) * WIDTH;
                final int bytes = traffic.ipLength(i);
                final Totals totals =
                    traffic.isOutbound(i) ? new Totals(0, 0, bytes, 1) : new Totals(bytes, 1, 0, 0);
                hosts.computeIfAbsent(bucket, (b) -> new TreeMap<>())
                    .merge(traffic.localHost(i) + "|" + (traffic.isTcp(i) ? "tcp" : "udp"), totals, Totals::plus);
            }
        }
        return new WrittenFile(path, count, hosts, stamps);
    }

    private TrafficAnalyzer run(final ContributionSink sink, final Path... files)
    {
        final TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source(CaptureFileSource.open(files))
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(WIDTH))
            .allowedLateness(Duration.ofNanos(LATENESS_NS))
            .agent("test-agent")
            .sink(sink)
            .errorHandler(errors::add)
            .build();
        analyzer.start();
        assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        analyzer.close();
        assertTrue(errors.isEmpty(), errors.toString());

        return analyzer;
    }

    @Test
    void shouldCountEachFileInContributionsOfItsOwnWhenTwoFilesOverlapInTime() throws Exception
    {
        final GeneratedTraffic first = new GeneratedTraffic(T0 + S / 3, 7_000_000L, 20, 50, 1);
        final GeneratedTraffic second = new GeneratedTraffic(T0 + 5 * S, 11_000_000L, 20, 50, 2);
        // the second file starts 5 s in and ends after the first: read after it with one clock, most would be late
        final WrittenFile a = write("a.pcap", first, 3000, first::timestampNs);
        final WrittenFile b = write("b.pcap", second, 2000, second::timestampNs);
        final ContributionSink sink = new ContributionSink();

        final TrafficAnalyzer analyzer = run(sink, a.path(), b.path());

        final CaptureStream streamA = CaptureStream.ofFile(a.path());
        final CaptureStream streamB = CaptureStream.ofFile(b.path());
        assertNotEquals(streamA.id(), streamB.id());
        assertEquals(a.hosts(), sink.hosts(streamA.id()));
        assertEquals(b.hosts(), sink.hosts(streamB.id()));
        assertEquals(Map.of(streamA.id(), 3, streamB.id(), 3), sink.bucketsPerStream());
        for (final Contribution contribution : sink.delivered)
        {
            assertEquals(0, contribution.part(), contribution.toString());
            assertEquals(0, contribution.latePackets(), contribution.toString());
            assertEquals("test-agent", contribution.agent());
        }
        assertEquals(0, analyzer.counter(TrafficCounter.LATE_PACKETS));

        final List<StreamSummary> streams = analyzer.streams();
        assertEquals(2, streams.size());
        assertSummary(streams.get(0), streamA, a, first);
        assertSummary(streams.get(1), streamB, b, second);
    }

    private static void assertSummary(
        final StreamSummary summary, final CaptureStream stream, final WrittenFile file, final GeneratedTraffic traffic)
    {
        long bytes = 0;
        for (int i = 0; i < file.count(); i++)
        {
            bytes += traffic.ipLength(i);
        }
        assertEquals(new StreamSummary(stream, traffic.timestampNs(0), traffic.timestampNs(file.count() - 1),
            file.count(), file.count(), bytes, 0, true), summary);
    }

    @Test
    void shouldContributeTheSameIdentitiesAndRowsTwiceWhenTheSameFileIsReadTwice() throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, 9_000_000L, 15, 40, 3);
        final WrittenFile file = write("twice.pcap", traffic, 2500, traffic::timestampNs);
        final ContributionSink sink = new ContributionSink();

        final TrafficAnalyzer analyzer = run(sink, file.path(), file.path());

        final String id = CaptureStream.ofFile(file.path()).id();
        final Map<List<Object>, List<Contribution>> byIdentity = sink.byIdentity();
        assertEquals(file.hosts().size(), byIdentity.size());
        for (final Map.Entry<List<Object>, List<Contribution>> entry : byIdentity.entrySet())
        {
            assertEquals(id, entry.getKey().get(1));
            assertEquals(2, entry.getValue().size(), entry.getKey().toString());
            assertEquals(entry.getValue().get(0), entry.getValue().get(1));
        }
        // each read alone holds the whole file, so a store that replaces a repeated identity counts it once
        for (final Contribution contribution : sink.delivered.subList(0, byIdentity.size()))
        {
            assertEquals(file.hosts().get(contribution.start()), contribution.hosts());
        }
        assertEquals(2, analyzer.streams().size());
        assertEquals(analyzer.streams().get(0).stream(), analyzer.streams().get(1).stream());
    }

    @Test
    void shouldCountPacketsThatJumpBackPastTheLatenessInALaterPartOfTheirOwnBucket() throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, 10_000_000L, 25, 60, 4);
        // 0 to 15 s, then 100 packets back at 2 s to 3 s (bucket 0, sealed at 12 s: late), then on from 15 s
        final LongUnaryOperator time = (i) -> i < 1500 ? T0 + i * 10_000_000L :
            i < 1600 ? T0 + 2 * S + (i - 1500) * 10_000_000L : T0 + 15 * S + (i - 1600) * 10_000_000L;
        final WrittenFile file = write("jumps.pcap", traffic, 2600, time);
        final long[] lateByBucket = lateByBucket(file.stamps());

        final List<List<Contribution>> replays = new ArrayList<>();
        for (int replay = 0; replay < 2; replay++)
        {
            final ContributionSink sink = new ContributionSink();
            final TrafficAnalyzer analyzer = run(sink, file.path());

            final String id = CaptureStream.ofFile(file.path()).id();
            assertEquals(file.hosts(), sink.hosts(id));
            long late = 0;
            for (final Contribution contribution : sink.delivered)
            {
                final long bucketLate = lateByBucket[(int)((contribution.start() - T0 / S) / WIDTH)];
                if (0 == contribution.part())
                {
                    assertEquals(0, contribution.latePackets(), contribution.toString());
                }
                else
                {
                    assertEquals(bucketLate, contribution.latePackets(), contribution.toString());
                    assertEquals(bucketLate, contribution.packets(), contribution.toString());
                }
                late += contribution.latePackets();
            }
            assertEquals(100, late);
            assertEquals(100, analyzer.counter(TrafficCounter.LATE_PACKETS));
            assertEquals(100, analyzer.streams().get(0).latePackets());
            replays.add(sink.delivered);
        }

        assertEquals(replays.get(0), replays.get(1));
        // bucket 0 sealed at 12 s (the stream's first seal), so its late packets are part 1 + 1; they are sealed
        // at 22 s with bucket 10
        final long b = T0 / S;
        assertEquals(List.of(List.of(b, 0), List.of(b, 2), List.of(b + 10, 0), List.of(b + 20, 0)),
            identitiesInOrder(replays.get(0)));
    }

    private static List<List<Object>> identitiesInOrder(final List<Contribution> contributions)
    {
        final List<List<Object>> identities = new ArrayList<>();
        for (final Contribution contribution : contributions)
        {
            identities.add(List.of(contribution.start(), contribution.part()));
        }
        return identities;
    }

    // late IP packets per bucket (index from T0), by the rule: its bucket ended lateness before the latest time seen
    private static long[] lateByBucket(final long[] stamps)
    {
        final long[] late = new long[64];
        long latest = Long.MIN_VALUE;
        for (final long stamp : stamps)
        {
            latest = Math.max(latest, stamp);
            final long bucket = Math.floorDiv(stamp, WIDTH * S);
            if (bucket < Math.floorDiv(latest - LATENESS_NS, WIDTH * S))
            {
                late[(int)(bucket - T0 / (WIDTH * S))]++;
            }
        }
        return late;
    }

    private record Contribution(
        String agent,
        String stream,
        long start,
        int part,
        int width,
        long packets,
        long latePackets,
        TreeMap<String, Totals> hosts)
    {
    }

    /**
     * Keeps every batch delivered, in order, with its identity and its hosts rows as {@code "host|protocol"}.
     */
    private static final class ContributionSink implements StatsSink
    {
        final List<Contribution> delivered = new ArrayList<>();
        private TreeMap<String, Totals> rows;

        public void onBatchStart(final StatsBatch batch)
        {
            rows = new TreeMap<>();
        }

        public void onRow(final StatsRow row)
        {
            if (StatsRow.HOSTS.equals(row.view()))
            {
                rows.merge(IpAddresses.format(row.hostHi(), row.hostLo()) + "|" +
                    HostTotalsSink.protocolName(row.protocol()),
                    new Totals(row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets()), Totals::plus);
            }
        }

        public synchronized void onBatchEnd(final StatsBatch batch)
        {
            delivered.add(new Contribution(
                batch.agent(), batch.stream().id(), batch.startEpochSecond(), batch.part(), batch.widthSeconds(),
                batch.quality().packets(), batch.quality().latePackets(), rows));
        }

        public void close()
        {
        }

        // one stream's contributions summed per bucket start
        synchronized TreeMap<Long, TreeMap<String, Totals>> hosts(final String stream)
        {
            final TreeMap<Long, TreeMap<String, Totals>> sums = new TreeMap<>();
            for (final Contribution contribution : delivered)
            {
                if (contribution.stream().equals(stream))
                {
                    final TreeMap<String, Totals> bucket =
                        sums.computeIfAbsent(contribution.start(), (start) -> new TreeMap<>());
                    contribution.hosts().forEach((key, totals) -> bucket.merge(key, totals, Totals::plus));
                }
            }
            return sums;
        }

        synchronized Map<String, Integer> bucketsPerStream()
        {
            final Map<String, Integer> buckets = new TreeMap<>();
            for (final Contribution contribution : delivered)
            {
                buckets.merge(contribution.stream(), 1, Integer::sum);
            }
            return buckets;
        }

        synchronized Map<List<Object>, List<Contribution>> byIdentity()
        {
            final Map<List<Object>, List<Contribution>> identities = new TreeMap<>(
                java.util.Comparator.comparing(Object::toString));
            for (final Contribution contribution : delivered)
            {
                identities.computeIfAbsent(
                    List.of(contribution.agent(), contribution.stream(), contribution.start(), contribution.part()),
                    (k) -> new ArrayList<>()).add(contribution);
            }
            return identities;
        }
    }
}
