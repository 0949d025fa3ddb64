package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.status.Logging;

import java.lang.System.Logger.Level;

/**
 * Writes each alert as one warning of the {@code io.trafficanalyzer.alert} logger, through the library's logging.
 */
final class LogAction implements AlertAction
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.alert");

    public void onAlert(final Alert alert)
    {
        LOGGER.log(Level.WARNING, "alert {0}", alert.message());
    }
}
