package io.trafficanalyzer.core.alert;

/**
 * A rules file is invalid: the message names the file and line, {@code alerts.rules:3: reason}.
 */
public final class AlertRulesException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    AlertRulesException(final String source, final int line, final String reason)
    {
        super(source + ':' + line + ": " + reason);
        this.source = source;
        this.line = line;
    }

    /**
     * The name of the rules file as given to the parser.
     *
     * @return the name.
     */
    public String source()
    {
        return source;
    }

    /**
     * The line the error is on, counted from 1.
     *
     * @return the line number.
     */
    public int line()
    {
        return line;
    }
}
