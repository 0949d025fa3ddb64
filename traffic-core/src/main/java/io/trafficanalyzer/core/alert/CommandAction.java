package io.trafficanalyzer.core.alert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (no shell) for each alert with the alert in its environment ({@link Alert#environment()}) and its
 * JSON document on standard input; a non-zero exit, or no exit within the time limit (the process is then killed),
 * is a failure to retry. The program's output is discarded.
 */
final class CommandAction implements AlertAction
{
    private final List<String> command;
    private final long timeoutMs;

    CommandAction(final List<String> command, final long timeoutMs)
    {
        this.command = List.copyOf(command);
        this.timeoutMs = timeoutMs;
    }

    public void onAlert(final Alert alert) throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(alert.environment());
        final Process process = builder.start();
        try
        {
            try (OutputStream in = process.getOutputStream())
            {
                in.write((alert.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                // a program that does not read its input closes the pipe early: the alert is in its environment
            }
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                throw new IOException(command.get(0) + " did not finish within " + timeoutMs + " ms (killed)");
            }
            if (process.exitValue() != 0)
            {
                throw new IOException(command.get(0) + " exited with status " + process.exitValue());
            }
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
            }
        }
    }
}
