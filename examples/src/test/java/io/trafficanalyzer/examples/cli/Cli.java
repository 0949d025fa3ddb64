package io.trafficanalyzer.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the tool in-process and keeps what it printed.
 */
final class Cli
{
    record Result(int exitCode, String out, String err)
    {
        long figure(final String label)
        {
            final Matcher matcher = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+(\\d+)").matcher(out);
            if (!matcher.find())
            {
                throw new AssertionError("no '" + label + "' in the summary:\n" + out);
            }
            return Long.parseLong(matcher.group(1));
        }

        public String toString()
        {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /**
     * A command running on a thread of its own, e.g. a capture, whose output can be read while it runs.
     */
    static final class Running
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile int exitCode = -1;

        Running(final String... args)
        {
            thread = new Thread(() -> exitCode = TrafficAnalyzerCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false));
            thread.start();
        }

        String err()
        {
            return err.toString(StandardCharsets.UTF_8);
        }

        boolean isAlive()
        {
            return thread.isAlive();
        }

        void interrupt()
        {
            thread.interrupt();
        }

        Result join() throws InterruptedException
        {
            thread.join();
            return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    private Cli()
    {
    }

    static Result run(final String... args)
    {
        return run(false, args);
    }

    static Result run(final boolean terminal, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode = TrafficAnalyzerCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            terminal);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
