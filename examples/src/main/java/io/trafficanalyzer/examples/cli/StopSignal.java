package io.trafficanalyzer.examples.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) as a request to stop: a shutdown hook raises the flag, then holds the JVM until the command
 * has closed its analyzer, so that everything captured is flushed to the store before the process ends.
 */
final class StopSignal implements AutoCloseable
{
    private static final long MAX_WAIT_SECONDS = 60;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    StopSignal()
    {
        hook = new Thread(this::onShutdown, "traffic-analyzer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean isRequested()
    {
        return requested;
    }

    /**
     * The command is done: let a pending shutdown proceed, or forget the hook.
     */
    public void close()
    {
        finished.countDown();
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // the JVM is already shutting down: the hook is running and now returns
        }
    }

    private void onShutdown()
    {
        requested = true;
        try
        {
            finished.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
