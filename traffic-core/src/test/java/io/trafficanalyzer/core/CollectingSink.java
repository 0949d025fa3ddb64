package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink that keeps what it committed as snapshots keyed by the contribution's identity (agent, stream, bucket start,
 * part), replacing a repeated one and adding up different ones as the sink contract asks; it can fail its first
 * attempts, block until released, or hold each batch for a while.
 */
public final class CollectingSink implements StatsSink
{
    final Map<List<Object>, ExpectedTraffic.Snapshot> committed = new java.util.HashMap<>();
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    volatile boolean closed;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile CountDownLatch gate;
    private final CountDownLatch blocked = new CountDownLatch(1);
    private TreeMap<ExpectedTraffic.RowKey, ExpectedTraffic.Measures> rows;

    CollectingSink failFirst(final int attempts)
    {
        failuresLeft.set(attempts);
        return this;
    }

    CollectingSink blockUntilReleased()
    {
        gate = new CountDownLatch(1);
        return this;
    }

    void release()
    {
        gate.countDown();
    }

    void awaitBlocked() throws InterruptedException
    {
        blocked.await();
    }

    // the contributions summed per bucket start
    public synchronized Map<Long, ExpectedTraffic.Snapshot> snapshots()
    {
        final TreeMap<Long, ExpectedTraffic.Snapshot> sums = new TreeMap<>();
        for (final ExpectedTraffic.Snapshot snapshot : committed.values())
        {
            sums.merge(snapshot.start(), snapshot, ExpectedTraffic.Snapshot::plus);
        }
        return sums;
    }

    public void onBatchStart(final StatsBatch batch) throws Exception
    {
        starts.incrementAndGet();
        threads.add(Thread.currentThread().getName());
        final CountDownLatch gate = this.gate;
        if (null != gate)
        {
            blocked.countDown();
            gate.await();
        }
        rows = new TreeMap<>();
    }

    public void onRow(final StatsRow row)
    {
        if (rows.isEmpty() && failuresLeft.getAndDecrement() > 0)
        {
            throw new IllegalStateException("sink unavailable");
        }

        final ExpectedTraffic.RowKey key = new ExpectedTraffic.RowKey(
            row.view(), row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo(), row.protocol(), row.port(),
            row.served(), row.refused(), row.key(), row.isFolded());
        if (null != rows.put(key, new ExpectedTraffic.Measures(
            row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets())))
        {
            throw new AssertionError("row delivered twice in one batch: " + key);
        }
    }

    public void onBatchEnd(final StatsBatch batch)
    {
        synchronized (this)
        {
            committed.put(
                List.of(batch.agent(), batch.stream().id(), batch.startEpochSecond(), batch.part()),
                new ExpectedTraffic.Snapshot(
                batch.startEpochSecond(), batch.widthSeconds(), rows, quality(batch.quality())));
        }
        commits.incrementAndGet();
    }

    public void close()
    {
        closed = true;
    }

    static List<Long> quality(final BucketQuality quality)
    {
        final long[] values = new long[QualityFigures.LENGTH];
        values[QualityFigures.FRAMES] = quality.frames();
        values[QualityFigures.PACKETS] = quality.packets();
        values[QualityFigures.BYTES] = quality.bytes();
        values[QualityFigures.TRANSIT_PACKETS] = quality.transitPackets();
        values[QualityFigures.TRANSIT_BYTES] = quality.transitBytes();
        values[QualityFigures.LATE_PACKETS] = quality.latePackets();
        values[QualityFigures.RING_DROPS] = quality.ringDrops();
        values[QualityFigures.KERNEL_DROPS] = quality.kernelDrops();
        values[QualityFigures.FOLDED_KEYS] = quality.foldedKeys();
        for (final FrameOutcome outcome : FrameOutcome.values())
        {
            values[QualityFigures.outcomeIndex(outcome)] = quality.frames(outcome);
        }
        final List<Long> list = new ArrayList<>();
        for (final long value : values)
        {
            list.add(value);
        }
        return list;
    }
}
