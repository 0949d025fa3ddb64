package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.testing.GeneratedTraffic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The agents of the tests: capture files written by {@link GeneratedTraffic}, replayed by a direct run of the
 * analyzer, whose sealed buckets are stamped with the agent's name and the file's content identity (what the
 * analyzer's own file streams will carry) so that several "hosts" can publish them.
 */
final class Fleet
{
    static final long BASE_NS = 1_795_687_200L * 1_000_000_000L + 3_000_000_000L;

    private Fleet()
    {
    }

    record Agent(String name, Path capture, GeneratedTraffic traffic, int packets, List<SealedBucket> buckets)
    {
        TreeMap<String, List<Long>> expectedHosts()
        {
            final TreeMap<String, List<Long>> hosts = new TreeMap<>();
            traffic.expectedHosts(0, packets, 10).forEach((start, perHost) -> perHost.forEach((key, t) ->
                hosts.put(start + "|" + key, List.of(t.inBytes(), t.inPackets(), t.outBytes(), t.outPackets()))));
            return hosts;
        }

        void deliverTo(final StatsSink sink) throws Exception
        {
            for (final SealedBucket bucket : buckets)
            {
                bucket.deliverTo(sink);
            }
        }
    }

    /*
     * An agent replaying a capture of its own: packets from BASE_NS, one every intervalMs, so that agents overlap in
     * time and share buckets.
     */
    static Agent agent(final Path dir, final String name, final long seed, final int packets, final long intervalMs)
        throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(BASE_NS, intervalMs * 1_000_000L, 25, 400, seed);
        final Path capture = dir.resolve(name + ".pcap");
        traffic.writePcap(capture, packets);
        final CaptureStream stream = new CaptureStream("file:sha256:" + sha256(capture), capture.getFileName()
            .toString());
        final List<SealedBucket> run = directRun(capture);
        return new Agent(name, capture, traffic, packets, restamp(run, name, stream));
    }

    static List<SealedBucket> directRun(final Path capture)
    {
        final List<SealedBucket> sealed = Collections.synchronizedList(new ArrayList<>());
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .listener(sealed::add)
            .sink(new NoSink())
            .build())
        {
            analyzer.start();
            analyzer.awaitCompletion();
        }
        return new ArrayList<>(sealed);
    }

    static List<SealedBucket> restamp(final List<SealedBucket> buckets, final String agent, final CaptureStream stream)
    {
        final List<SealedBucket> stamped = new ArrayList<>();
        for (final SealedBucket bucket : buckets)
        {
            final BucketBuilder builder = new BucketBuilder(bucket.views());
            builder.addRows(bucket);
            stamped.add(builder.build(agent, stream, bucket.part(), bucket.startEpochSecond(), bucket.widthSeconds(),
                bucket.quality()));
        }
        return stamped;
    }

    static int rows(final List<Agent> agents)
    {
        int rows = 0;
        for (final Agent agent : agents)
        {
            for (final SealedBucket bucket : agent.buckets())
            {
                rows += bucket.rowCount();
            }
        }
        return rows;
    }

    private static String sha256(final Path file) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static final class NoSink implements StatsSink
    {
        public void onBatchStart(final StatsBatch batch)
        {
        }

        public void onRow(final StatsRow row)
        {
        }

        public void onBatchEnd(final StatsBatch batch)
        {
        }
    }
}
