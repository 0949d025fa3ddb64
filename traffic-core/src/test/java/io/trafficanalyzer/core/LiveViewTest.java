package io.trafficanalyzer.core;

import io.trafficanalyzer.core.live.LiveView;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.trafficanalyzer.core.PipelineTest.runAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LiveViewTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    private final ManualClock clock = new ManualClock(T0);
    private final MemoryCaptureSource source = new MemoryCaptureSource(true);
    private final Pipeline pipeline = TestPipelines.newPipeline(new Context()
        .source(source)
        .localNetworks(ExpectedTraffic.LOCAL_NETWORKS)
        .bucket(Duration.ofSeconds(10))
        .allowedLateness(Duration.ofNanos(2 * S))
        .shards(2)
        .maxKeysPerBucket(1000)
        .ringBufferCapacity(64 * 1024)
        .clock(clock)
        .liveWindow(Duration.ofSeconds(60)));

    private static TestPacket out(final long timestampNs, final String host, final int bytes)
    {
        return TestPacket.ipv4(timestampNs, host, "8.8.8.8", TestPacket.TCP, 40000, 443, bytes);
    }

    @Test
    void shouldShowRatesAndLeadersOfOpenAndSealedBucketsWithoutCountingTwice() throws Exception
    {
        final LiveView live = pipeline.liveView();
        assertEquals(0, live.topHosts(3).size());
        assertNull(live.lastSealed());

        clock.set(T0 + S);
        for (int i = 0; i < 3; i++)
        {
            source.add(out(T0 + S + i, "10.0.0.1", 1000));
        }
        for (int i = 0; i < 2; i++)
        {
            source.add(out(T0 + 2 * S + i, "10.0.0.2", 1000));
        }
        source.add(out(T0 + 3 * S, "10.0.0.3", 1000));
        runAll(pipeline, 3);

        List<LiveView.Entry> top = live.topHosts(2);
        assertEquals(2, top.size());
        assertEquals(TestPacket.v4("10.0.0.1"), top.get(0).hostLo());
        assertEquals(3000, top.get(0).outBytes());
        assertEquals(3, top.get(0).outPackets());
        assertEquals(TestPacket.v4("10.0.0.2"), top.get(1).hostLo());
        assertEquals(2000, top.get(1).totalBytes());
        assertEquals(443, live.topPorts(1).get(0).port());
        assertEquals(TestPacket.v4("8.8.8.8"), live.topPeers(1).get(0).peerLo());
        final LiveView.Rates rates = live.rates(10);
        assertEquals(6, rates.packets());
        assertEquals(6000, rates.outBytes());
        assertEquals(0, rates.inBytes());
        assertEquals(1_700_000_003L, rates.latestSecond());
        assertEquals(1, live.rates(1).packets());

        clock.set(T0 + 12 * S);
        runAll(pipeline, 3);
        assertEquals(T0 / S, live.lastSealed().startEpochSecond());
        top = live.topHosts(3);
        assertEquals(List.of(3000L, 2000L, 1000L),
            List.of(top.get(0).totalBytes(), top.get(1).totalBytes(), top.get(2).totalBytes()));

        clock.set(T0 + 13 * S);
        source.add(out(T0 + 13 * S, "10.0.0.2", 5000));
        runAll(pipeline, 3);
        top = live.topHosts(1);
        assertEquals(TestPacket.v4("10.0.0.2"), top.get(0).hostLo());
        assertEquals(7000, top.get(0).outBytes());
        assertEquals(3, top.get(0).outPackets());
        assertEquals(7, live.rates(60).packets());
    }

    @Test
    void shouldRateTheLastFiveSecondsOverTheTimeCoveredWhenTrafficStartsAndStops() throws Exception
    {
        final LiveView live = pipeline.liveView();
        assertEquals(0.0, live.rates().packetsPerSecond());

        // 90 packets of 100 bytes every second from 0 s to 3 s: 270 packets over the 3 s since the first
        sendEverySecond(0, 3, 90, 100);
        clock.set(T0 + 3 * S);
        runAll(pipeline, 3);
        LiveView.Rates rates = live.rates();
        assertEquals(270, rates.packets());
        assertEquals(90.0, rates.packetsPerSecond(), 1e-9);
        assertEquals(90 * 100 * 8.0, rates.bitsPerSecond(), 1e-9);

        // on to 10 s: the window (5 s, 10 s] holds seconds 6 to 9 whole (and 10, empty): 360 packets over 4 s
        sendEverySecond(3, 10, 90, 100);
        clock.set(T0 + 10 * S);
        runAll(pipeline, 3);
        rates = live.rates();
        assertEquals(360, rates.packets());
        assertEquals(36_000, rates.outBytes());
        assertEquals(90.0, rates.packetsPerSecond(), 1e-9);

        // the traffic stops at 10 s; at 12.5 s of wall clock the window (7.5 s, 12.5 s] holds seconds 8 and 9 whole
        clock.set(T0 + 12 * S + S / 2);
        runAll(pipeline, 3);
        rates = live.rates();
        assertEquals(180, rates.packets());
        assertEquals(180 / 4.5, rates.packetsPerSecond(), 1e-9);
    }

    @Test
    void shouldRankHostsAndPeersOverAllTheirProtocolsWhenAHostUsesSeveral() throws Exception
    {
        final LiveView live = pipeline.liveView();
        clock.set(T0 + S);
        source.add(out(T0 + S, "10.0.0.1", 1000));
        source.add(out(T0 + 2 * S, "10.0.0.2", 1500));
        runAll(pipeline, 3);
        clock.set(T0 + 12 * S);
        runAll(pipeline, 3);
        assertEquals(T0 / S, live.lastSealed().startEpochSecond());

        // more of 10.0.0.1 in the open bucket 10, over UDP and ICMP: 1000 + 700 out, 300 in
        source.add(TestPacket.ipv4(T0 + 12 * S, "10.0.0.1", "8.8.8.8", TestPacket.UDP, 40001, 53, 700));
        source.add(TestPacket.ipv4(T0 + 12 * S + 1, "8.8.8.8", "10.0.0.1", TestPacket.ICMP, 0, 0, 300));
        clock.set(T0 + 13 * S);
        runAll(pipeline, 3);

        final List<LiveView.Entry> hosts = live.topHosts(3);
        assertEquals(2, hosts.size(), hosts::toString);
        assertEquals(TestPacket.v4("10.0.0.1"), hosts.get(0).hostLo());
        assertEquals(List.of(300L, 1L, 1700L, 2L), measures(hosts.get(0)));
        assertEquals(TestPacket.v4("10.0.0.2"), hosts.get(1).hostLo());
        assertEquals(List.of(0L, 0L, 1500L, 1L), measures(hosts.get(1)));

        final List<LiveView.Entry> peers = live.topPeers(3);
        assertEquals(2, peers.size(), peers::toString);
        assertEquals(TestPacket.v4("10.0.0.1"), peers.get(0).hostLo());
        assertEquals(TestPacket.v4("8.8.8.8"), peers.get(0).peerLo());
        assertEquals(List.of(300L, 1L, 1700L, 2L), measures(peers.get(0)));
        assertEquals(List.of(0L, 0L, 1500L, 1L), measures(peers.get(1)));
    }

    private static List<Long> measures(final LiveView.Entry entry)
    {
        return List.of(entry.inBytes(), entry.inPackets(), entry.outBytes(), entry.outPackets());
    }

    // packetsPerSecond packets of ipBytes each, evenly spread over every second in [fromSecond, toSecond)
    private void sendEverySecond(
        final int fromSecond, final int toSecond, final int packetsPerSecond, final int ipBytes)
    {
        for (int second = fromSecond; second < toSecond; second++)
        {
            for (int i = 0; i < packetsPerSecond; i++)
            {
                source.add(out(T0 + second * S + i * (S / packetsPerSecond), "10.0.0.1", ipBytes));
            }
        }
    }

    @Test
    void shouldCountLatePacketsOnceWhetherTheirBucketIsOpenOrSealedOutOfTimeOrder() throws Exception
    {
        final LiveView live = pipeline.liveView();
        clock.set(T0 + S);
        source.add(out(T0 + S, "10.0.0.1", 1000));
        source.add(out(T0 + 11 * S, "10.0.0.2", 300));
        runAll(pipeline, 3);
        clock.set(T0 + 12 * S);
        runAll(pipeline, 3);
        assertEquals(T0 / S, live.lastSealed().startEpochSecond());

        // bucket 0 is sealed: this packet of it is late, in a late bucket of its own, open while bucket 10 is
        source.add(out(T0 + 5 * S, "10.0.0.1", 500));
        clock.set(T0 + 13 * S);
        runAll(pipeline, 3);
        assertEquals(1500, live.topHosts(1).get(0).outBytes());
        assertEquals(2, live.topHosts(1).get(0).outPackets());

        // a packet at 22 s seals the late bucket (bucket 0, part 2), then bucket 10: not in time order. The shards
        // publish their open leaders next at 14 s of wall clock, so until then only the seal itself may withdraw
        // the leaders of the sealed buckets, lest they count twice
        source.add(out(T0 + 22 * S, "10.0.0.3", 100));
        clock.set(T0 + 13 * S + S / 2);
        runAll(pipeline, 3);
        assertEquals(List.of(0, 2, 0), live.recentBuckets().stream().map((b) -> b.part()).toList());
        assertEquals(List.of(T0 / S, T0 / S, T0 / S + 10),
            live.recentBuckets().stream().map((b) -> b.startEpochSecond()).toList());
        final List<LiveView.Entry> top = live.topHosts(3);
        assertEquals(2, top.size());
        assertEquals(1500, top.get(0).outBytes());
        assertEquals(2, top.get(0).outPackets());
        assertEquals(300, top.get(1).outBytes());
    }

    @Test
    void shouldShowPacketsHeldInTheFlowCacheWithinASecondOfWallClock() throws Exception
    {
        final LiveView live = pipeline.liveView();
        clock.set(T0 + S);
        source.add(out(T0 + S, "10.0.0.1", 100));
        runAll(pipeline, 3);
        assertEquals(100, live.topHosts(1).get(0).outBytes());

        // the same key again: counted in the cache entry, which leaves it on the next flush, a second later
        clock.set(T0 + S + S / 2);
        source.add(out(T0 + S + S / 2, "10.0.0.1", 50));
        source.add(out(T0 + S + S / 2 + 1, "10.0.0.1", 50));
        runAll(pipeline, 3);
        assertEquals(3, live.rates(10).packets());

        clock.set(T0 + 2 * S + S / 2);
        runAll(pipeline, 3);
        assertEquals(200, live.topHosts(1).get(0).outBytes());
        assertEquals(3, live.topHosts(1).get(0).outPackets());
    }
}
