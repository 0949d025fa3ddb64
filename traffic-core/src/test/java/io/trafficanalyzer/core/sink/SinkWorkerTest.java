package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkWorkerTest
{
    private static final List<String> VIEWS = List.of("hosts");
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final TrafficCounters counters = new TrafficCounters();
    private final List<Throwable> errors = new ArrayList<>();
    private final BucketBuilder builder = new BucketBuilder(VIEWS);
    private long nowNs = 1_000 * MS;
    private final NanoClock clock = () -> nowNs;

    private SealedBucket bucket(final long start, final long bytes)
    {
        builder.addRow(0, 0, 1, 0, 0, 6, 0, false, 0, false, bytes, 1, 0, 0);
        builder.addRow(0, 0, 2, 0, 0, 6, 0, false, 0, false, 1, 1, 0, 0);
        return builder.build(
            BucketBuilderTest.AGENT, BucketBuilderTest.STREAM, 0, start, 10,
            BucketBuilderTest.figures(2, 2, bytes + 1));
    }

    // a queue of 8, merges up to an hour wide, retries after 1 ms
    private SinkWorkerSettings settings(final NanoClock workerClock)
    {
        return new SinkWorkerSettings().views(VIEWS).queueCapacity(8).maxMergedWidthSeconds(3600)
            .minBackoffNs(MS).maxBackoffNs(MS).counters(counters).errorHandler(errors::add).clock(workerClock);
    }

    private SinkWorker worker(final StatsSink sink, final int capacity, final long maxMergedWidth)
    {
        return new SinkWorker("test", sink, settings(clock).queueCapacity(capacity)
            .maxMergedWidthSeconds(maxMergedWidth).minBackoffNs(100 * MS).maxBackoffNs(1000 * MS));
    }

    @Test
    void shouldRetryTheWholeBatchAfterAGrowingBackoffWhenTheSinkThrows()
    {
        final RecordingSink sink = new RecordingSink().failTimes(2);
        final SinkWorker worker = worker(sink, 4, 3600);
        worker.onBucketSealed(bucket(100, 500));

        assertEquals(1, worker.deliverOnce(nowNs));
        assertEquals(nowNs + 100 * MS, worker.nextAttemptNs());
        nowNs += 99 * MS;
        assertEquals(0, worker.deliverOnce(nowNs));
        nowNs += MS;
        assertEquals(1, worker.deliverOnce(nowNs));
        assertEquals(nowNs + 200 * MS, worker.nextAttemptNs());
        nowNs += 200 * MS;
        assertEquals(1, worker.deliverOnce(nowNs));

        assertEquals(3, sink.starts);
        assertEquals(1, sink.committed.size());
        assertEquals(List.of(500L, 1L), sink.committed.get(0).inBytes);
        assertEquals(2, worker.failures());
        assertEquals(2, counters.get(TrafficCounter.SINK_FAILURES));
        assertEquals(1, counters.get(TrafficCounter.BATCHES_DELIVERED));
        assertEquals(1, errors.size(), "the same failure twice is reported once");
        assertTrue(worker.isIdle());
    }

    @Test
    void shouldReportAFailureAgainWhenItsCauseChangesOrItComesBackAfterADelivery()
    {
        final RecordingSink sink = new RecordingSink().failWith("disk full", "disk full", "locked");
        final SinkWorker worker = worker(sink, 8, 3600);
        worker.onBucketSealed(bucket(100, 500));
        worker.onBucketSealed(bucket(110, 7));
        for (int attempt = 0; attempt < 4; attempt++)
        {
            nowNs += 10_000 * MS;
            worker.deliverOnce(nowNs);
        }
        sink.failWith("disk full");
        for (int attempt = 0; attempt < 3; attempt++)
        {
            nowNs += 10_000 * MS;
            worker.deliverOnce(nowNs);
        }

        assertEquals(List.of(100L, 110L), sink.starts());
        assertEquals(4, worker.failures());
        assertEquals(List.of("disk full", "locked", "disk full"), errors.stream().map((e) -> e.getCause().getMessage())
            .collect(Collectors.toList()));
    }

    @Test
    void shouldCapTheBackoffAtItsMaximum()
    {
        final SinkWorker worker = worker(new RecordingSink(), 4, 3600);

        assertEquals(100 * MS, worker.backoffNs(1));
        assertEquals(800 * MS, worker.backoffNs(4));
        assertEquals(1000 * MS, worker.backoffNs(5));
        assertEquals(1000 * MS, worker.backoffNs(400));
    }

    @Test
    void shouldMergeTheOldestPendingBucketsWhenTheQueueIsFull()
    {
        final RecordingSink sink = new RecordingSink();
        final SinkWorker worker = worker(sink, 3, 3600);
        for (int i = 0; i < 5; i++)
        {
            worker.onBucketSealed(bucket(100 + 10 * i, 1000 * (i + 1)));
        }

        assertEquals(3, worker.pending());
        while (worker.deliverOnce(nowNs) > 0)
        {
            nowNs += MS;
        }

        assertEquals(3, sink.committed.size());
        assertEquals(List.of(100L, 130L, 140L), sink.starts());
        assertEquals(List.of(30, 10, 10), sink.widths());
        assertEquals(List.of(6000L, 3L), sink.committed.get(0).inBytes);
        assertEquals(List.of(3L, 3L), sink.committed.get(0).inPackets);
        assertEquals(2, worker.merged());
        assertEquals(0, worker.dropped());
        assertEquals(2, counters.get(TrafficCounter.SINK_MERGES));
    }

    @Test
    void shouldRedeliverAFailedBucketUnchangedAndMergeOnlyTheOthers()
    {
        final RecordingSink sink = new RecordingSink().failTimes(1);
        final SinkWorker worker = worker(sink, 2, 3600);
        worker.onBucketSealed(bucket(100, 1));
        worker.deliverOnce(nowNs);
        worker.onBucketSealed(bucket(110, 2));
        worker.onBucketSealed(bucket(120, 3));
        nowNs += 100 * MS;
        while (worker.deliverOnce(nowNs) > 0)
        {
            nowNs += MS;
        }

        assertEquals(List.of(100L, 110L), sink.starts());
        assertEquals(List.of(10, 20), sink.widths());
        assertEquals(1, worker.merged());
    }

    @Test
    void shouldDropAndCountTheOldestBucketWhenMergingWouldExceedTheWidestAllowed()
    {
        final RecordingSink sink = new RecordingSink();
        final SinkWorker worker = worker(sink, 2, 10);
        worker.onBucketSealed(bucket(100, 1));
        worker.onBucketSealed(bucket(110, 2));
        worker.onBucketSealed(bucket(120, 3));
        while (worker.deliverOnce(nowNs) > 0)
        {
            nowNs += MS;
        }

        assertEquals(List.of(110L, 120L), sink.starts());
        assertEquals(1, worker.dropped());
        assertEquals(1, counters.get(TrafficCounter.SINK_DROPS));
        assertEquals(1, errors.size());
    }

    @Test
    void shouldDeliverWhatIsPendingAndCloseTheSinkOnClose()
    {
        final RecordingSink sink = new RecordingSink();
        final SinkWorker worker = worker(sink, 8, 3600);
        worker.onBucketSealed(bucket(100, 1));
        worker.onBucketSealed(bucket(110, 2));

        assertTrue(worker.close(TimeUnit.SECONDS.toNanos(1)));

        assertEquals(List.of(100L, 110L), sink.starts());
        assertTrue(sink.closed);
        worker.onBucketSealed(bucket(120, 3));
        assertEquals(1, worker.dropped());
    }

    @Test
    void shouldDropAndCountWhatASinkThatKeepsFailingHasNotTakenByTheCloseTimeout()
    {
        final RecordingSink sink = new RecordingSink().failTimes(Integer.MAX_VALUE);
        // a clock that moves 1 ms at every reading: the retries before the deadline do not depend on how the machine
        // schedules this thread (with the system clock, a 20 ms pause allowed a single attempt)
        final NanoClock ticking = () -> nowNs += MS;
        final SinkWorker worker = new SinkWorker("failing", sink, settings(ticking));
        worker.onBucketSealed(bucket(100, 1));
        worker.onBucketSealed(bucket(110, 2));

        assertFalse(worker.close(20 * MS));

        assertEquals(2, worker.dropped());
        assertEquals(2, counters.get(TrafficCounter.SINK_DROPS));
        assertTrue(sink.starts > 1);
        assertTrue(sink.closed);
    }

    @Test
    void shouldDeliverOnItsOwnThread() throws Exception
    {
        final RecordingSink sink = new RecordingSink();
        final SinkWorker worker = new SinkWorker("threaded", sink, settings(new SystemNanoClock()));
        worker.start((runnable) -> new Thread(runnable, "sink-test"));
        for (int i = 0; i < 20; i++)
        {
            worker.onBucketSealed(bucket(100 + 10 * i, i));
        }

        assertTrue(worker.close(TimeUnit.SECONDS.toNanos(10)));
        long bytes = 0;
        for (final RecordingSink.Batch batch : sink.committed)
        {
            bytes += batch.inBytes.get(0);
        }
        assertEquals(190, bytes);
        assertEquals(100, sink.starts().get(0));
        assertEquals(Set.of("sink-test"), sink.deliveredOn, "threads that called the sink for a batch");
        assertTrue(sink.closed);
    }

    static final class RecordingSink implements StatsSink
    {
        final List<Batch> committed = new ArrayList<>();
        int starts;
        int failuresLeft;
        final ArrayDeque<String> failureMessages = new ArrayDeque<>();
        boolean closed;
        final Set<String> deliveredOn = new HashSet<>();
        private Batch current;

        RecordingSink failTimes(final int times)
        {
            failuresLeft = times;
            return this;
        }

        RecordingSink failWith(final String... messages)
        {
            failureMessages.addAll(List.of(messages));
            failuresLeft = messages.length;
            return this;
        }

        List<Long> starts()
        {
            final List<Long> result = new ArrayList<>();
            for (final Batch batch : committed)
            {
                result.add(batch.start);
            }
            return result;
        }

        List<Integer> widths()
        {
            final List<Integer> result = new ArrayList<>();
            for (final Batch batch : committed)
            {
                result.add(batch.width);
            }
            return result;
        }

        public void onBatchStart(final StatsBatch batch)
        {
            deliveredOn.add(Thread.currentThread().getName());
            starts++;
            current = new Batch(batch.startEpochSecond(), batch.widthSeconds());
        }

        public void onRow(final StatsRow row) throws Exception
        {
            deliveredOn.add(Thread.currentThread().getName());
            current.inBytes.add(row.inBytes());
            current.inPackets.add(row.inPackets());
            if (failuresLeft > 0)
            {
                failuresLeft--;
                throw new Exception(failureMessages.isEmpty() ? "sink down" : failureMessages.poll());
            }
        }

        public void onBatchEnd(final StatsBatch batch)
        {
            deliveredOn.add(Thread.currentThread().getName());
            committed.add(current);
        }

        public void close()
        {
            closed = true;
        }

        static final class Batch
        {
            final long start;
            final int width;
            final List<Long> inBytes = new ArrayList<>();
            final List<Long> inPackets = new ArrayList<>();

            Batch(final long start, final int width)
            {
                this.start = start;
                this.width = width;
            }
        }
    }
}
