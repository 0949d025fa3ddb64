package io.trafficanalyzer.examples.cli;

/**
 * A failure the tool reports as one line and an exit code: {@link #USAGE} for a bad option value or configuration,
 * {@link #RUNTIME} for a failure while running.
 */
final class CliException extends RuntimeException
{
    static final int USAGE = 1;
    static final int RUNTIME = 2;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliException usage(final String message)
    {
        return new CliException(USAGE, message, null);
    }

    static CliException usage(final String message, final Throwable cause)
    {
        return new CliException(USAGE, message, cause);
    }

    static CliException runtime(final String message, final Throwable cause)
    {
        return new CliException(RUNTIME, message, cause);
    }

    int exitCode()
    {
        return exitCode;
    }
}
