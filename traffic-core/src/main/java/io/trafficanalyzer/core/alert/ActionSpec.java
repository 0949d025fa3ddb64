package io.trafficanalyzer.core.alert;

import java.util.List;

/**
 * One parsed action: its name and kind, the webhook's URL or the command's words, and how hard to try: a time limit
 * per attempt, the number of retries after the first attempt, and the first back-off (doubled on each retry).
 *
 * @param name      the action's name.
 * @param line      the line of the rules file it is on, 0 for the implicit log action.
 * @param kind      what it does.
 * @param url       the webhook's URL, else null.
 * @param command   the command's program and arguments, else empty.
 * @param timeoutMs the time limit of one attempt.
 * @param retries   the retries after a failed first attempt.
 * @param backoffMs the wait before the first retry.
 */
record ActionSpec(
    String name, int line, Kind kind, String url, List<String> command, long timeoutMs, int retries, long backoffMs)
{
    static final long DEFAULT_TIMEOUT_MS = 5_000;
    static final long DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
    static final int DEFAULT_RETRIES = 5;
    static final long DEFAULT_BACKOFF_MS = 1_000;
    static final long MAX_BACKOFF_MS = 60_000;

    /** What an action does with an alert. */
    enum Kind
    {
        LOG, WEBHOOK, COMMAND
    }
}
