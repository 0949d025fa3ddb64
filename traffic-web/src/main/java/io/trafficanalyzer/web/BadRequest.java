package io.trafficanalyzer.web;

/**
 * A request the dashboard refuses: its status and one line naming the parameter at fault, sent as JSON.
 */
final class BadRequest extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String parameter;

    BadRequest(final int status, final String parameter, final String message)
    {
        super(message, null, false, false);
        this.status = status;
        this.parameter = parameter;
    }

    int status()
    {
        return status;
    }

    String parameter()
    {
        return parameter;
    }
}
