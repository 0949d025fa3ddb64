package io.trafficanalyzer.core.status;

import io.trafficanalyzer.core.text.SafeText;

import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.logging.Handler;
import java.util.logging.LogManager;

import org.agrona.ErrorHandler;

/**
 * Where the library's log messages go, chosen once per JVM so that an embedding service sees them in its own log with
 * no setup, and a process with no logging set up sees one line per problem and nothing else.
 * <ol>
 * <li>SLF4J, when its API and a binding or provider (Logback, Log4j 2's SLF4J bridge, ...) are on the class path;</li>
 * <li>else the JDK's {@link System.Logger}, when the process configured logging for it: a {@link System.LoggerFinder}
 * of its own, a {@code java.util.logging} configuration file or class, or root handlers other than the default;</li>
 * <li>else one line on standard error per warning or error, {@code warning: message}, and nothing below warnings.</li>
 * </ol>
 * The system property {@code traffic.logging} ({@code slf4j}, {@code system} or {@code stderr}) overrides the choice.
 * Every parameter of a message is escaped with {@link SafeText}; none of this runs on the per-packet path.
 */
public final class Logging
{
    /**
     * The system property that names the backend: {@code slf4j}, {@code system} or {@code stderr}.
     */
    public static final String BACKEND_PROPERTY = "traffic.logging";

    private static final Backend BACKEND = chooseBackend(System.getProperty(BACKEND_PROPERTY, ""));

    static
    {
        quietSlf4j();
    }

    private Logging()
    {
    }

    /**
     * Start SLF4J without its three-line "no binding" notice where the process has SLF4J's API but no binding, before
     * the first use of a library that logs through it (pcap4j, sqlite-jdbc); a no-op where SLF4J is bound or missing,
     * and after the first call.
     */
    public static void quietSlf4j()
    {
        Slf4jNotice.initialise();
    }

    /**
     * The logger of one part of the library.
     *
     * @param name the logger's name, a package name such as {@code io.trafficanalyzer.sqlite}.
     * @return a logger that escapes the parameters of its messages.
     */
    public static System.Logger logger(final String name)
    {
        final System.Logger logger;
        switch (BACKEND)
        {
            case SLF4J:
                logger = Slf4jLogger.create(name);
                break;

            case SYSTEM:
                logger = System.getLogger(name);
                break;

            default:
                logger = new OneLineLogger(name, System.err);
                break;
        }

        return SafeText.escaping(logger);
    }

    /**
     * The analyzer's default error handler: each error as one message of the {@code io.trafficanalyzer} logger, with
     * its stack trace where the backend keeps them (SLF4J, the JDK's logging) and as one line on standard error where
     * the process has no logging set up.
     *
     * @return an error handler that never throws.
     */
    public static ErrorHandler errorHandler()
    {
        final System.Logger logger = logger("io.trafficanalyzer");
        return (throwable) -> logger.log(Level.ERROR, OneLineLogger.summary(throwable), throwable);
    }

    /**
     * Whether SLF4J has a binding or provider in this JVM, found without initialising SLF4J, which would print its
     * "no binding" notice when there is none.
     *
     * @return true when SLF4J's API is on the class path and would log somewhere.
     */
    public static boolean slf4jBound()
    {
        final ClassLoader loader;
        try
        {
            loader = Class.forName("org.slf4j.LoggerFactory", false, Logging.class.getClassLoader()).getClassLoader();
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            return false;
        }
        if (null != loader.getResource("org/slf4j/impl/StaticLoggerBinder.class"))
        {
            return true;
        }
        try
        {
            final Class<?> provider = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, loader);
            return ServiceLoader.load(provider, loader).stream().findAny().isPresent();
        }
        catch (final ClassNotFoundException | LinkageError | java.util.ServiceConfigurationError ex)
        {
            return false;
        }
    }

    static Backend chooseBackend(final String property)
    {
        switch (property.trim().toLowerCase(Locale.ROOT))
        {
            case "slf4j":
                return slf4jPresent() ? Backend.SLF4J : Backend.STDERR;

            case "system":
                return Backend.SYSTEM;

            case "stderr":
                return Backend.STDERR;

            default:
                if (slf4jBound())
                {
                    return Backend.SLF4J;
                }
                return systemLoggingConfigured() ? Backend.SYSTEM : Backend.STDERR;
        }
    }

    private static boolean slf4jPresent()
    {
        try
        {
            Class.forName("org.slf4j.LoggerFactory", false, Logging.class.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            return false;
        }
    }

    private static boolean systemLoggingConfigured()
    {
        final String finder = System.LoggerFinder.getLoggerFinder().getClass().getName();
        if (!finder.startsWith("sun.") && !finder.startsWith("jdk.internal."))
        {
            return true;
        }
        if (null != System.getProperty("java.util.logging.config.file") ||
            null != System.getProperty("java.util.logging.config.class"))
        {
            return true;
        }

        // the JDK's default is one ConsoleHandler on the root logger; a bridge such as SLF4JBridgeHandler replaces it
        final Handler[] handlers = LogManager.getLogManager().getLogger("").getHandlers();
        return handlers.length != 1 || handlers[0].getClass() != java.util.logging.ConsoleHandler.class;
    }

    enum Backend
    {
        SLF4J, SYSTEM, STDERR
    }

    /**
     * A message with its parameters in, as {@link System.Logger} formats them; the pattern alone when there are none.
     *
     * @param format a {@link MessageFormat} pattern.
     * @param params its parameters, or none.
     * @return the message.
     */
    static String format(final String format, final Object... params)
    {
        return null == params || 0 == params.length ? format : MessageFormat.format(format, params);
    }

    /**
     * The level's name as the one-line backend writes it.
     *
     * @param level a level.
     * @return e.g. "warning".
     */
    static String label(final Level level)
    {
        return level.getName().toLowerCase(Locale.ROOT);
    }
}
