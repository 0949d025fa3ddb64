package io.trafficanalyzer.web.query;

/**
 * A query that cannot be answered, as one line for people: a bad parameter (the caller's fault, naming the parameter)
 * or a store that cannot be read (the server's).
 */
public final class QueryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String parameter;

    private QueryException(final String parameter, final String message, final Throwable cause)
    {
        super(message, cause);
        this.parameter = parameter;
    }

    static QueryException badParameter(final String parameter, final String message)
    {
        return new QueryException(parameter, message, null);
    }

    static QueryException badParameter(final String parameter, final String message, final Throwable cause)
    {
        return new QueryException(parameter, message, cause);
    }

    static QueryException unreadable(final String message, final Throwable cause)
    {
        return new QueryException(null, message, cause);
    }

    /**
     * The parameter at fault, without a prefix ({@code last}, {@code db}).
     *
     * @return its name, or null when the store could not be read.
     */
    public String parameter()
    {
        return parameter;
    }

    /**
     * Whether the caller's parameter is at fault, rather than the store.
     *
     * @return true for a bad parameter.
     */
    public boolean isBadParameter()
    {
        return null != parameter;
    }
}
