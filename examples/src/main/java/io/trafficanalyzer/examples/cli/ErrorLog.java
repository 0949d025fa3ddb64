package io.trafficanalyzer.examples.cli;

import org.agrona.ErrorHandler;

import java.io.PrintWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The analyzer's error handler for the tool: errors from the agent and sink threads are queued and printed as one
 * warning line each by the command's own thread, so that they never interleave with the progress line.
 */
final class ErrorLog implements ErrorHandler
{
    private final Queue<Throwable> pending = new ConcurrentLinkedQueue<>();
    private final PrintWriter err;
    private String lastMessage;
    private int repeats;
    private Throwable last;

    ErrorLog(final PrintWriter err)
    {
        this.err = err;
    }

    public void onError(final Throwable throwable)
    {
        pending.add(throwable);
    }

    boolean hasPending()
    {
        return !pending.isEmpty();
    }

    /**
     * Print what was reported since the last call, except the given failure (reported by the command itself).
     *
     * @param except the source's failure, or null.
     * @return whether anything was printed.
     */
    boolean drain(final Throwable except)
    {
        boolean printed = false;
        Throwable throwable;
        while (null != (throwable = pending.poll()))
        {
            if (throwable == except)
            {
                continue;
            }
            last = throwable;
            final String message = null != throwable.getMessage() ? throwable.getMessage() : throwable.toString();
            if (message.equals(lastMessage))
            {
                repeats++;
                continue;
            }
            flushRepeats();
            lastMessage = message;
            err.println("warning: " + message);
            printed = true;
        }
        flushRepeats();
        err.flush();

        return printed;
    }

    Throwable last()
    {
        return last;
    }

    private void flushRepeats()
    {
        if (repeats > 0)
        {
            err.println("warning: (the same " + repeats + " more time" + (repeats > 1 ? "s" : "") + ")");
            repeats = 0;
        }
    }
}
