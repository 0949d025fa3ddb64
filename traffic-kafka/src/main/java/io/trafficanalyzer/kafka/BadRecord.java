package io.trafficanalyzer.kafka;

/**
 * Why a record of the topic cannot be read; no stack trace, it is an expected outcome.
 */
final class BadRecord extends Exception
{
    private static final long serialVersionUID = 1L;

    BadRecord(final String reason)
    {
        super(reason, null, false, false);
    }
}
