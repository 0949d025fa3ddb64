package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers sealed buckets to one {@link StatsSink} on the sink's own thread, isolated from capture, aggregation
 * and the other sinks.
 * <p>
 * Buckets wait in a bounded queue. A delivery that throws is retried, whole, after an exponential back-off. When
 * the queue is full, the two oldest adjacent pending buckets that were never attempted and are part-0 contributions
 * of the same stream are merged into a coarser one ({@link StatsBatch#widthSeconds()} grows), as long as the merged
 * width stays within the limit; otherwise the
 * oldest such bucket is dropped and counted ({@link TrafficCounter#SINK_DROPS}). A bucket that failed once is
 * redelivered unchanged, so that a sink replaces what an earlier attempt of it may have committed.
 * <p>
 * The queue is guarded by a lock that is held only to add, take and merge; never while the sink runs. The delivery
 * thread blocks while there is nothing to do, so an idle worker uses no CPU.
 */
public final class SinkWorker implements BucketListener
{
    private final String name;
    private final StatsSink sink;
    private final BucketBuilder merger;
    private final int queueCapacity;
    private final long maxMergedWidthSeconds;
    private final long minBackoffNs;
    private final long maxBackoffNs;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final BucketRow row = new BucketRow();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayList<SealedBucket> queue = new ArrayList<>();
    private boolean inFlight;
    private int headAttempts;
    private String reportedFailure;
    private long nextAttemptNs;
    private boolean closing;
    private long closeDeadlineNs;
    private long delivered;
    private long dropped;
    private long merged;
    private long failures;
    private Thread thread;
    private boolean sinkClosed;
    // read by the flush agent without the lock: the pending buckets, 0 while the oldest one is being retried
    private volatile int backlog;

    /**
     * A worker for one sink.
     *
     * @param name     for the thread name and errors, e.g. the sink's URI.
     * @param sink     the sink.
     * @param settings what the workers of an analyzer share, read here once.
     */
    public SinkWorker(final String name, final StatsSink sink, final SinkWorkerSettings settings)
    {
        final int queueCapacity = settings.queueCapacity();
        if (queueCapacity < 2)
        {
            throw new IllegalArgumentException("queueCapacity must be at least 2: " + queueCapacity);
        }

        this.name = name;
        this.sink = sink;
        this.merger = new BucketBuilder(Objects.requireNonNull(settings.views(), "views"));
        this.queueCapacity = queueCapacity;
        this.maxMergedWidthSeconds = settings.maxMergedWidthSeconds();
        this.minBackoffNs = settings.minBackoffNs();
        this.maxBackoffNs = Math.max(minBackoffNs, settings.maxBackoffNs());
        this.counters = Objects.requireNonNull(settings.counters(), "counters");
        this.errorHandler = Objects.requireNonNull(settings.errorHandler(), "errorHandler");
        this.clock = Objects.requireNonNull(settings.clock(), "clock");
    }

    /**
     * Name of the worker's sink.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The sink this worker delivers to.
     *
     * @return the sink.
     */
    public StatsSink sink()
    {
        return sink;
    }

    /**
     * Queue a sealed bucket for delivery; never blocks on the sink.
     *
     * @param bucket the bucket.
     */
    public void onBucketSealed(final SealedBucket bucket)
    {
        lock.lock();
        try
        {
            if (sinkClosed)
            {
                dropped++;
                counters.addAtomic(TrafficCounter.SINK_DROPS, 1);
                return;
            }

            queue.add(bucket);
            while (queue.size() > queueCapacity)
            {
                mergeOrDrop();
            }
            publishBacklog();
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start the delivery thread.
     *
     * @param threadFactory makes the thread.
     */
    public void start(final ThreadFactory threadFactory)
    {
        lock.lock();
        try
        {
            if (null != thread)
            {
                throw new IllegalStateException("already started: " + name);
            }

            thread = threadFactory.newThread(this::run);
            thread.start();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether nothing is pending or being delivered.
     *
     * @return true when the queue is empty and no delivery is under way.
     */
    public boolean isIdle()
    {
        lock.lock();
        try
        {
            return queue.isEmpty() && !inFlight;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Pending buckets, including one being delivered or retried.
     *
     * @return the queue length.
     */
    public int pending()
    {
        lock.lock();
        try
        {
            return queue.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether a producer that can wait should: at least this many buckets are pending and the sink is not failing
     * (its oldest bucket is not being retried); read without the lock.
     *
     * @param depth the pending buckets that make a producer wait, at least 1.
     * @return true when the producer should wait.
     */
    public boolean isBehind(final int depth)
    {
        return backlog >= depth;
    }

    /**
     * Buckets the sink committed.
     *
     * @return the count.
     */
    public long delivered()
    {
        lock.lock();
        try
        {
            return delivered;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Buckets dropped for this sink.
     *
     * @return the count.
     */
    public long dropped()
    {
        lock.lock();
        try
        {
            return dropped;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Merges of two pending buckets into one.
     *
     * @return the count.
     */
    public long merged()
    {
        lock.lock();
        try
        {
            return merged;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Failed delivery attempts.
     *
     * @return the count.
     */
    public long failures()
    {
        lock.lock();
        try
        {
            return failures;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Start closing without waiting: deliver what is pending, retrying until the timeout, then stop. Lets several
     * workers drain in parallel before {@link #close(long)} waits for each.
     *
     * @param timeoutNs how long to keep delivering.
     */
    public void requestClose(final long timeoutNs)
    {
        lock.lock();
        try
        {
            if (!closing)
            {
                closing = true;
                closeDeadlineNs = clock.nanoTime() + timeoutNs;
                changed.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Deliver what is pending, retrying until the timeout (counted from the first close request), then stop the
     * thread and close the sink. Buckets still pending at the timeout are dropped and counted.
     *
     * @param timeoutNs how long to keep delivering, when closing was not requested before.
     * @return true when every bucket was delivered and the sink closed.
     */
    public boolean close(final long timeoutNs)
    {
        requestClose(timeoutNs);
        final Thread deliveryThread;
        final long remainingNs;
        lock.lock();
        try
        {
            if (sinkClosed)
            {
                return queue.isEmpty();
            }

            deliveryThread = thread;
            remainingNs = Math.max(0, closeDeadlineNs - clock.nanoTime());
        }
        finally
        {
            lock.unlock();
        }

        if (null == deliveryThread)
        {
            runUntilClosed();
        }
        else
        {
            join(deliveryThread, remainingNs);
        }

        final boolean finished = null == deliveryThread || !deliveryThread.isAlive();
        final boolean allDelivered;
        lock.lock();
        try
        {
            final int left = queue.size() - (inFlight ? 1 : 0);
            if (left > 0)
            {
                dropped += left;
                counters.addAtomic(TrafficCounter.SINK_DROPS, left);
                errorHandler.onError(new IllegalStateException(
                    "sink " + name + " did not take " + left + " pending bucket(s) before close; dropped"));
            }
            allDelivered = queue.isEmpty();
            queue.clear();
            publishBacklog();
            sinkClosed = true;
        }
        finally
        {
            lock.unlock();
        }

        if (finished)
        {
            try
            {
                sink.close();
            }
            catch (final Exception ex)
            {
                errorHandler.onError(ex);
            }
        }

        return allDelivered && finished;
    }

    /**
     * Attempt the delivery of the oldest pending bucket if its retry time has come, on the caller's thread.
     *
     * @param nowNs the current time of the worker's clock.
     * @return 1 when a delivery was attempted, else 0.
     */
    int deliverOnce(final long nowNs)
    {
        final SealedBucket bucket;
        lock.lock();
        try
        {
            if (queue.isEmpty() || inFlight || nowNs < nextAttemptNs)
            {
                return 0;
            }

            bucket = queue.get(0);
            inFlight = true;
        }
        finally
        {
            lock.unlock();
        }

        final boolean success = deliver(bucket);

        lock.lock();
        try
        {
            inFlight = false;
            if (success)
            {
                queue.remove(0);
                headAttempts = 0;
                nextAttemptNs = 0;
                delivered++;
                counters.addAtomic(TrafficCounter.BATCHES_DELIVERED, 1);
            }
            else
            {
                headAttempts++;
                failures++;
                counters.addAtomic(TrafficCounter.SINK_FAILURES, 1);
                nextAttemptNs = nowNs + backoffNs(headAttempts);
            }
            publishBacklog();
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }

        return 1;
    }

    /**
     * Time of the next retry of the oldest bucket, 0 when it has not failed.
     *
     * @return the clock time in nanoseconds.
     */
    long nextAttemptNs()
    {
        lock.lock();
        try
        {
            return nextAttemptNs;
        }
        finally
        {
            lock.unlock();
        }
    }

    long backoffNs(final int attempts)
    {
        final int shift = Math.min(attempts - 1, 30);
        final long delay = minBackoffNs << shift;

        return delay < 0 || delay > maxBackoffNs || (delay >> shift) != minBackoffNs ? maxBackoffNs : delay;
    }

    private void run()
    {
        runUntilClosed();
    }

    private void runUntilClosed()
    {
        while (true)
        {
            lock.lock();
            try
            {
                if (!awaitWork())
                {
                    return;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            finally
            {
                lock.unlock();
            }

            deliverOnce(clock.nanoTime());
        }
    }

    private boolean awaitWork() throws InterruptedException
    {
        while (true)
        {
            final long nowNs = clock.nanoTime();
            if (closing && (queue.isEmpty() || nowNs - closeDeadlineNs >= 0))
            {
                return false;
            }

            if (!queue.isEmpty() && nowNs >= nextAttemptNs)
            {
                return true;
            }

            if (queue.isEmpty())
            {
                if (closing)
                {
                    return false;
                }
                changed.await();
            }
            else
            {
                long waitNs = nextAttemptNs - nowNs;
                if (closing)
                {
                    waitNs = Math.min(waitNs, closeDeadlineNs - nowNs);
                }
                changed.awaitNanos(waitNs);
            }
        }
    }

    private boolean deliver(final SealedBucket bucket)
    {
        try
        {
            bucket.deliverTo(sink, row);
            reportedFailure = null;
            return true;
        }
        catch (final Throwable ex)
        {
            if (ex instanceof VirtualMachineError)
            {
                throw (VirtualMachineError)ex;
            }

            // a sink that keeps failing the same way is one problem: reported once, counted at every attempt
            final String failure = ex.getClass().getName() + ": " + ex.getMessage();
            if (!failure.equals(reportedFailure))
            {
                reportedFailure = failure;
                errorHandler.onError(new SinkException(name, bucket, ex));
            }
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private void publishBacklog()
    {
        backlog = headAttempts > 0 ? 0 : queue.size();
    }

    private void mergeOrDrop()
    {
        final int first = inFlight || headAttempts > 0 ? 1 : 0;
        for (int i = first; i + 1 < queue.size(); i++)
        {
            final SealedBucket older = queue.get(i);
            final SealedBucket newer = queue.get(i + 1);
            final long width = Math.max(older.endEpochSecond(), newer.endEpochSecond()) -
                Math.min(older.startEpochSecond(), newer.startEpochSecond());
            if (width <= maxMergedWidthSeconds && BucketBuilder.canMerge(older, newer))
            {
                queue.set(i, merger.merge(older, newer));
                queue.remove(i + 1);
                merged++;
                counters.addAtomic(TrafficCounter.SINK_MERGES, 1);
                return;
            }
        }

        final SealedBucket lost = queue.remove(first);
        dropped++;
        counters.addAtomic(TrafficCounter.SINK_DROPS, 1);
        errorHandler.onError(new IllegalStateException(
            "sink " + name + " queue full and no pending buckets can merge within " + maxMergedWidthSeconds +
            " s; dropped " + lost));
    }

    private static void join(final Thread thread, final long timeoutNs)
    {
        try
        {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs) + 1));
            if (thread.isAlive())
            {
                thread.interrupt();
                thread.join(100);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A delivery of a bucket to a sink failed; it will be retried.
     */
    public static final class SinkException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        SinkException(final String sinkName, final SealedBucket bucket, final Throwable cause)
        {
            super("sink " + sinkName + " failed on bucket " + bucket.startEpochSecond() + "+" +
                bucket.widthSeconds() + "s; will retry", cause);
        }
    }
}
