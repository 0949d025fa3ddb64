package io.trafficanalyzer.examples.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tool's {@code capture} command in a child JVM inside a network namespace ({@code ip netns exec}, which execs
 * the JVM in place, so the process is the JVM), stopped with SIGINT as Ctrl-C would; what it prints on standard
 * error is read as it comes, so that the test knows when it captures, and its summary once it ended.
 */
final class CaptureProcess implements AutoCloseable
{
    private static final String CAPTURING = "capturing on ";

    private final Process process;
    private final List<String> errLines = new ArrayList<>();
    private final CompletableFuture<String> out;

    private CaptureProcess(final Process process)
    {
        this.process = process;
        out = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final java.io.IOException ex)
            {
                return "(unreadable: " + ex + ")";
            }
        });
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = err.readLine()) != null)
                {
                    synchronized (errLines)
                    {
                        errLines.add(line);
                        errLines.notifyAll();
                    }
                }
            }
            catch (final java.io.IOException ignore)
            {
                // the stream closes when the child ends
            }
        }, "capture-stderr");
        pump.setDaemon(true);
        pump.start();
    }

    static CaptureProcess start(final String namespace, final Path db, final String interfaceName,
        final String bucket) throws Exception
    {
        final List<String> command = List.of("ip", "netns", "exec", namespace,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), TrafficAnalyzerCommand.class.getName(),
            "capture", "--interface", interfaceName, "--db", db.toString(), "--bucket", bucket);
        return new CaptureProcess(new ProcessBuilder(command).start());
    }

    /*
     * Waits until the command says it captures; fails when it ends or times out first.
     */
    void awaitCapturing(final long timeoutMs) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        synchronized (errLines)
        {
            while (errLines.stream().noneMatch((line) -> line.startsWith(CAPTURING)))
            {
                final long leftMs = deadlineMs - System.currentTimeMillis();
                if (leftMs <= 0 || !process.isAlive())
                {
                    throw new AssertionError("the capture did not start" + this);
                }
                errLines.wait(Math.min(leftMs, 100));
            }
        }
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /*
     * Ctrl-C: SIGINT, then waits for the command to flush and exit; returns its exit code (130 as for any program
     * that SIGINT ended: the JVM's own, once the command's shutdown hook let it go).
     */
    int interrupt(final long timeoutMs) throws Exception
    {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("the capture did not stop on SIGINT" + this);
        }
        return process.exitValue();
    }

    String out() throws Exception
    {
        return out.get(30, TimeUnit.SECONDS);
    }

    /*
     * A figure of the summary (the raw number after its label), or -1 when the summary leaves it out (the drop
     * figures are printed only when not 0).
     */
    long figure(final String label) throws Exception
    {
        final Matcher matcher = Pattern.compile("(?m)^\\s+" + Pattern.quote(label) + "\\s+(\\d+)").matcher(out());
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    public void close()
    {
        process.destroyForcibly();
    }

    public String toString()
    {
        synchronized (errLines)
        {
            return "; its standard error:\n" + String.join("\n", errLines);
        }
    }
}
