package io.trafficanalyzer.core.testing;

import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink whose deliveries go as a test scripts them: its first attempts fail, the next ones commit, and the one
 * after blocks until {@link #open()}, so that the buckets behind it wait in the sink's queue, a depth the test knows.
 */
public final class GatedSink implements StatsSink
{
    private final int failures;
    private final int commits;
    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private int attempts;

    /**
     * A sink that fails its first attempts, then commits some batches, then blocks.
     *
     * @param failures the attempts that throw.
     * @param commits  the batches committed after them, before the gate.
     */
    public GatedSink(final int failures, final int commits)
    {
        this.failures = failures;
        this.commits = commits;
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchStart(final StatsBatch batch) throws Exception
    {
        attempts++;
        if (attempts <= failures)
        {
            throw new IllegalStateException("scripted failure " + attempts);
        }
        if (attempts > failures + commits)
        {
            blocked.countDown();
            gate.await();
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onRow(final StatsRow row)
    {
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchEnd(final StatsBatch batch)
    {
    }

    /**
     * Wait until a delivery is held at the gate.
     *
     * @param seconds the longest wait.
     * @return true when one is.
     * @throws InterruptedException when interrupted.
     */
    public boolean awaitBlocked(final long seconds) throws InterruptedException
    {
        return blocked.await(seconds, TimeUnit.SECONDS);
    }

    /**
     * Let every delivery through from now on.
     */
    public void open()
    {
        gate.countDown();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        open();
    }
}
