package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.status.Logging;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;

import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One action's thread and its bounded queue: takes alerts in order, runs the action, and on failure retries it with
 * a doubling back-off up to the action's retry limit. A full queue drops the alert, counted; nothing here ever
 * blocks the thread that offers.
 */
final class ActionWorker implements Runnable
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.alert");

    private final String name;
    private final AlertAction action;
    private final int retries;
    private final long backoffMs;
    private final BlockingQueue<Alert> queue;
    private final TrafficCounters counters;
    private final ErrorHandler errorHandler;
    private final Thread thread;
    // offered and not yet done: queued or being delivered
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean stopping;

    ActionWorker(
        final String name,
        final AlertAction action,
        final int capacity,
        final int retries,
        final long backoffMs,
        final TrafficCounters counters,
        final ErrorHandler errorHandler)
    {
        this.name = name;
        this.action = action;
        this.retries = retries;
        this.backoffMs = backoffMs;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.thread = new Thread(this, "traffic-alert-" + name);
        thread.setDaemon(true);
    }

    String name()
    {
        return name;
    }

    void start()
    {
        thread.start();
    }

    /*
     * Never blocks: a full queue counts the alert as dropped.
     */
    void offer(final Alert alert)
    {
        pending.incrementAndGet();
        if (stopping || !queue.offer(alert))
        {
            pending.decrementAndGet();
            counters.addAtomic(TrafficCounter.ALERT_ACTION_DROPS, 1);
            LOGGER.log(Level.WARNING, "alert action {0}: queue full, dropped: {1}", name, alert.message());
        }
    }

    public void run()
    {
        try
        {
            while (!stopping || !queue.isEmpty())
            {
                final Alert alert = queue.poll(100, TimeUnit.MILLISECONDS);
                if (null != alert)
                {
                    try
                    {
                        deliver(alert);
                    }
                    finally
                    {
                        pending.decrementAndGet();
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            // closed while waiting: what is left is counted by close
        }
    }

    private void deliver(final Alert alert) throws InterruptedException
    {
        long delayMs = backoffMs;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                action.onAlert(alert);
                return;
            }
            catch (final InterruptedException ex)
            {
                counters.addAtomic(TrafficCounter.ALERT_ACTION_DROPS, 1);
                throw ex;
            }
            catch (final Exception | LinkageError ex)
            {
                counters.addAtomic(TrafficCounter.ALERT_ACTION_FAILURES, 1);
                if (attempt >= retries)
                {
                    counters.addAtomic(TrafficCounter.ALERT_ACTION_DROPS, 1);
                    errorHandler.onError(new IllegalStateException("alert action " + name + " gave up after " +
                        (attempt + 1) + " attempts: " + alert.message() + ": " + ex.getMessage(), ex));
                    return;
                }
                LOGGER.log(Level.WARNING, "alert action {0} failed (attempt {1} of {2}), retrying in {3} ms: {4}",
                    name, attempt + 1, retries + 1, Long.toString(delayMs), String.valueOf(ex.getMessage()));
            }
            Thread.sleep(delayMs);
            delayMs = Math.min(delayMs * 2, ActionSpec.MAX_BACKOFF_MS);
        }
    }

    /*
     * Lets the queue drain until the deadline, then interrupts what is still running; alerts left are counted as
     * dropped.
     */
    void close(final long deadlineNs)
    {
        stopping = true;
        while (pending.get() > 0 && thread.isAlive() && System.nanoTime() - deadlineNs < 0)
        {
            try
            {
                thread.join(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        thread.interrupt();
        try
        {
            thread.join(1000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final int left = queue.size();
        queue.clear();
        if (left > 0)
        {
            counters.addAtomic(TrafficCounter.ALERT_ACTION_DROPS, left);
        }
    }
}
