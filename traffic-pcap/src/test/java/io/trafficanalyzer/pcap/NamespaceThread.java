package io.trafficanalyzer.pcap;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A thread that lives in a network namespace ({@code setns(2)} acts on the calling thread only): sockets it opens,
 * such as libpcap's, belong to that namespace, and interface listings show that namespace's interfaces.
 */
public final class NamespaceThread implements AutoCloseable
{
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x4000_0000;

    static
    {
        Native.register(NamespaceThread.class, NativeNames.library(Platform.C_LIBRARY_NAME));
    }

    private final ExecutorService executor;

    /**
     * Starts the thread and moves it into the namespace.
     *
     * @param namespace a namespace of {@code ip netns}.
     * @throws Exception when the namespace cannot be entered.
     */
    public NamespaceThread(final String namespace) throws Exception
    {
        executor = Executors.newSingleThreadExecutor((runnable) ->
        {
            final Thread thread = new Thread(runnable, "netns-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
        call(() ->
        {
            final int fd = open("/run/netns/" + namespace, O_RDONLY);
            if (fd < 0)
            {
                throw new IllegalStateException("cannot open namespace " + namespace);
            }
            try
            {
                if (setns(fd, CLONE_NEWNET) != 0)
                {
                    throw new IllegalStateException("setns to " + namespace + " failed: " + Native.getLastError());
                }
            }
            finally
            {
                close(fd);
            }
            return null;
        });
    }

    /**
     * Runs a task on the thread, within a minute.
     *
     * @param task the task.
     * @param <T>  what it returns.
     * @return what it returned.
     * @throws Exception what it threw, or when it took longer.
     */
    public <T> T call(final Callable<T> task) throws Exception
    {
        final Future<T> future = executor.submit(task);
        try
        {
            return future.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Exception)
            {
                throw (Exception)ex.getCause();
            }
            throw ex;
        }
    }

    /**
     * Ends the thread.
     */
    public void close()
    {
        executor.shutdownNow();
    }

    static native int open(String path, int flags);

    static native int setns(int fd, int type);

    static native int close(int fd);
}
