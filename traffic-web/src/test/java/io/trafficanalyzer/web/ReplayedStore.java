package io.trafficanalyzer.web;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store replayed from a capture the test writes, with the totals each local host must show computed here from the
 * packets written, independently of the analyzer and the store.
 */
final class ReplayedStore
{
    static final long BASE_NS = 1_714_557_600_000_000_000L; // 2024-05-01T10:00:00Z
    static final int PACKETS = 6000;
    static final long INTERVAL_NS = 10_000_000L; // 60 s of traffic in 10 s buckets
    static final int BUCKET_SECONDS = 10;

    final GeneratedTraffic traffic = new GeneratedTraffic(BASE_NS, INTERVAL_NS, 6, 40, 7);
    final Path capture;
    final Path db;
    final TrafficAnalyzer analyzer;

    ReplayedStore(final Path dir) throws InterruptedException
    {
        capture = dir.resolve("capture.pcap");
        db = dir.resolve("traffic.db");
        traffic.writePcap(capture, PACKETS);
        analyzer = replayInto(db, null);
    }

    /*
     * Replay the capture into a store as this agent (null: the analyzer's default, the host name).
     */
    TrafficAnalyzer replayInto(final Path store, final String agent) throws InterruptedException
    {
        final TrafficAnalyzer.Builder builder = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .sink(SqliteSink.builder(store).build())
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(BUCKET_SECONDS));
        if (null != agent)
        {
            builder.agent(agent);
        }
        final TrafficAnalyzer replay = builder.build().start();
        replay.awaitCompletion();
        replay.close();
        return replay;
    }

    /*
     * Per local host: {bytes in, packets in, bytes out, packets out}, from the packets written.
     */
    Map<String, long[]> hostTotals()
    {
        final Map<String, long[]> hosts = new TreeMap<>();
        for (int i = 0; i < PACKETS; i++)
        {
            final long[] totals = hosts.computeIfAbsent(traffic.localHost(i), (ignore) -> new long[4]);
            final int at = traffic.isOutbound(i) ? 2 : 0;
            totals[at] += traffic.ipLength(i);
            totals[at + 1]++;
        }
        return hosts;
    }

    long ipBytes()
    {
        long bytes = 0;
        for (int i = 0; i < PACKETS; i++)
        {
            bytes += traffic.ipLength(i);
        }
        return bytes;
    }
}
