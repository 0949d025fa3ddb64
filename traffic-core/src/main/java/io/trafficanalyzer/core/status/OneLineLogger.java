package io.trafficanalyzer.core.status;

import io.trafficanalyzer.core.text.SafeText;

import java.io.PrintStream;
import java.util.ResourceBundle;

/**
 * The logger of a process with no logging set up: warnings and errors as one line each on a stream, in the form of
 * the command-line tool's own messages ({@code warning: ...}); a throwable adds its message, never a stack trace.
 */
final class OneLineLogger implements System.Logger
{
    private final String name;
    private final PrintStream out;

    OneLineLogger(final String name, final PrintStream out)
    {
        this.name = name;
        this.out = out;
    }

    public String getName()
    {
        return name;
    }

    public boolean isLoggable(final Level level)
    {
        return level != Level.OFF && level.getSeverity() >= Level.WARNING.getSeverity();
    }

    public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
    {
        if (isLoggable(level))
        {
            final StringBuilder line = new StringBuilder(Logging.label(level)).append(": ").append(message);
            final String cause = null == thrown ? null : SafeText.escape(summary(thrown));
            if (null != cause && !message.endsWith(cause))
            {
                line.append(": ").append(cause);
            }
            out.println(line);
        }
    }

    public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
    {
        if (isLoggable(level))
        {
            log(level, bundle, Logging.format(format, params), (Throwable)null);
        }
    }

    /**
     * A throwable in one line: its message, then the message of each cause that adds to it.
     *
     * @param thrown a throwable.
     * @return e.g. "sink store failed on bucket 1700000000+10s; will retry: disk full".
     */
    static String summary(final Throwable thrown)
    {
        final StringBuilder text = new StringBuilder(message(thrown));
        Throwable cause = thrown.getCause();
        for (int depth = 0; null != cause && cause != thrown && depth < 4; depth++)
        {
            final String message = message(cause);
            if (text.indexOf(message) < 0)
            {
                text.append(": ").append(message);
            }
            cause = cause.getCause();
        }

        return text.toString();
    }

    private static String message(final Throwable thrown)
    {
        final String message = thrown.getMessage();
        return null == message || message.isBlank() ? thrown.getClass().getSimpleName() : message;
    }
}
