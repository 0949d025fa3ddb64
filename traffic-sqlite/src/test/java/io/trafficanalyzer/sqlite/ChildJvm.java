package io.trafficanalyzer.sqlite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link AnalyzerChildMain} on the test's class path, whose standard output lines the test reads
 * as they come; its "delivered N" progress lines are kept apart, as the most batches it said it delivered.
 */
final class ChildJvm implements AutoCloseable
{
    static final String EOF = "<eof>";
    private static final String DELIVERED = "delivered ";

    private final Process process;
    private final Path errors;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread pump;
    private long delivered;

    private ChildJvm(final Process process, final Path errors)
    {
        this.process = process;
        this.errors = errors;
        pump = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    if (line.startsWith(DELIVERED))
                    {
                        delivered(Long.parseLong(line.substring(DELIVERED.length())));
                    }
                    else
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final Exception ignore)
            {
                // the stream closes when the child dies
            }
            lines.add(EOF);
        }, "child-stdout");
        pump.setDaemon(true);
        pump.start();
    }

    static ChildJvm start(final Path tmpDir, final String... args) throws Exception
    {
        return start(null, tmpDir, args);
    }

    /*
     * A child started by a shell that first sets the file-creation mask, e.g. "000" to let everyone read and write
     * what the child creates unless it says otherwise.
     */
    static ChildJvm start(final String umask, final Path tmpDir, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        if (null != umask)
        {
            command.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        }
        command.addAll(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto",
            // sqlite-jdbc unpacks its native library here; a killed child cannot delete it
            "-Dorg.sqlite.tmpdir=" + tmpDir,
            "-cp", System.getProperty("java.class.path"),
            AnalyzerChildMain.class.getName()));
        command.addAll(List.of(args));
        final Path errors = Files.createTempFile(tmpDir, "child", ".err");
        return new ChildJvm(new ProcessBuilder(command).redirectError(errors.toFile()).start(), errors);
    }

    /*
     * The next line, or EOF when the child closed its output; fails after the timeout.
     */
    String nextLine(final long timeoutMs) throws InterruptedException
    {
        final String line = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (null == line)
        {
            throw new AssertionError("the child wrote nothing for " + timeoutMs + " ms" + stderr());
        }
        if (EOF.equals(line))
        {
            lines.add(EOF);
        }
        return line;
    }

    String expectLine(final String prefix, final long timeoutMs) throws InterruptedException
    {
        final String line = nextLine(timeoutMs);
        if (!line.startsWith(prefix))
        {
            throw new AssertionError("expected a line starting '" + prefix + "' from the child, got: " + line +
                stderr());
        }
        return line.substring(prefix.length()).trim();
    }

    void closeInput() throws java.io.IOException
    {
        process.getOutputStream().close();
    }

    // SIGKILL: no shutdown hook, no close; whatever transaction is open stays in the files
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
        // what the child printed before it died is all read
        pump.join(10_000);
    }

    // SIGTERM: the JVM runs its shutdown hooks; through the handle, since Process.destroy() also closes the pipes
    // from which the test reads what the hooks print
    void terminate()
    {
        process.toHandle().destroy();
    }

    int waitFor(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("the child did not exit within " + timeoutMs + " ms");
        }
        return process.exitValue();
    }

    String stderr()
    {
        try
        {
            return "; its standard error:\n" + Files.readString(errors);
        }
        catch (final Exception ex)
        {
            return "; its standard error is unreadable: " + ex;
        }
    }

    private synchronized void delivered(final long count)
    {
        delivered = Math.max(delivered, count);
        notifyAll();
    }

    /*
     * Waits until the child said it delivered at least this many batches; fails when it ends or times out first.
     */
    synchronized long awaitDelivered(final long batches, final long timeoutMs) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (delivered < batches)
        {
            final long leftMs = deadlineMs - System.currentTimeMillis();
            if (leftMs <= 0 || !pump.isAlive())
            {
                throw new AssertionError("the child said it delivered " + delivered + " batches, not " + batches +
                    (pump.isAlive() ? " within " + timeoutMs + " ms" : " before it ended") + stderr());
            }
            wait(Math.min(leftMs, 100));
        }
        return delivered;
    }

    /*
     * The most batches the child said it delivered; after kill(), all it said before it died.
     */
    synchronized long delivered()
    {
        return delivered;
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    long pid()
    {
        return process.pid();
    }

    public void close()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor();
            pump.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
