package io.trafficanalyzer.core.status;

import java.util.ResourceBundle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link System.Logger} that writes to SLF4J. Loaded only when {@link Logging} found SLF4J bound, so traffic-core
 * needs SLF4J's API only where the embedding service has it.
 */
final class Slf4jLogger implements System.Logger
{
    private final Logger logger;

    private Slf4jLogger(final Logger logger)
    {
        this.logger = logger;
    }

    static System.Logger create(final String name)
    {
        return new Slf4jLogger(LoggerFactory.getLogger(name));
    }

    public String getName()
    {
        return logger.getName();
    }

    public boolean isLoggable(final Level level)
    {
        switch (level)
        {
            case ALL:
            case TRACE:
                return logger.isTraceEnabled();

            case DEBUG:
                return logger.isDebugEnabled();

            case INFO:
                return logger.isInfoEnabled();

            case WARNING:
                return logger.isWarnEnabled();

            case ERROR:
                return logger.isErrorEnabled();

            default:
                return false;
        }
    }

    public void log(final Level level, final ResourceBundle bundle, final String message, final Throwable thrown)
    {
        switch (level)
        {
            case ALL:
            case TRACE:
                logger.trace(message, thrown);
                break;

            case DEBUG:
                logger.debug(message, thrown);
                break;

            case INFO:
                logger.info(message, thrown);
                break;

            case WARNING:
                logger.warn(message, thrown);
                break;

            case ERROR:
                logger.error(message, thrown);
                break;

            default:
                break;
        }
    }

    public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
    {
        if (isLoggable(level))
        {
            log(level, bundle, Logging.format(format, params), (Throwable)null);
        }
    }
}
