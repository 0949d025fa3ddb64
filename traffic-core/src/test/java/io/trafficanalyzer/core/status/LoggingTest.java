package io.trafficanalyzer.core.status;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingTest
{
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final System.Logger logger = SafeText.escaping(
        new OneLineLogger("io.trafficanalyzer.test", new PrintStream(bytes, true, StandardCharsets.UTF_8)));

    @Test
    void shouldWriteOneLinePerWarningWhenNoLoggingIsSetUp()
    {
        logger.log(Level.WARNING, "{0}: bucket {1} dropped", "/tmp/a.db", 1_700_000_000L);
        logger.log(Level.ERROR, "the store failed", new IOException("disk full", new IllegalStateException("cause")));

        assertEquals(
            "warning: /tmp/a.db: bucket 1,700,000,000 dropped\nerror: the store failed: disk full: cause\n", text());
    }

    @Test
    void shouldKeepQuietBelowWarningsWhenNoLoggingIsSetUp()
    {
        logger.log(Level.INFO, "capture on {0} started", "eth0");
        logger.log(Level.DEBUG, "detail");

        assertEquals("", text());
        assertFalse(logger.isLoggable(Level.INFO));
        assertTrue(logger.isLoggable(Level.WARNING));
    }

    @Test
    void shouldEscapeParametersWhenTheyHoldLineBreaks()
    {
        logger.log(Level.WARNING, "no interface {0}", "eth0\nerror: forged");

        assertEquals("warning: no interface eth0\\nerror: forged\n", text());
    }

    @Test
    void shouldWriteTheErrorOnceWhenTheMessageIsTheErrorsOwn()
    {
        final IllegalStateException error = new IllegalStateException("sink failed");
        logger.log(Level.ERROR, OneLineLogger.summary(error), error);
        logger.log(Level.ERROR, OneLineLogger.summary(new NullPointerException()), new NullPointerException());

        assertEquals("error: sink failed\nerror: NullPointerException\n", text());
    }

    @Test
    void shouldSayEachCauseOnceWhenTheyAreNested()
    {
        final Exception error = new IllegalStateException("sink s failed on bucket 100+10s; will retry",
            new java.sql.SQLException("[SQLITE_FULL] disk full", new IOException("[SQLITE_FULL] disk full")));

        assertEquals(
            "sink s failed on bucket 100+10s; will retry: [SQLITE_FULL] disk full", OneLineLogger.summary(error));
    }

    @Test
    void shouldChooseTheBackendTheSystemPropertyNamesWhenSet()
    {
        assertEquals(Logging.Backend.SYSTEM, Logging.chooseBackend("system"));
        assertEquals(Logging.Backend.STDERR, Logging.chooseBackend(" STDERR "));
        // traffic-core's tests have slf4j-api without a binding on the class path: asked for, SLF4J is used as is
        assertEquals(Logging.Backend.SLF4J, Logging.chooseBackend("slf4j"));
    }

    @Test
    void shouldNotUseSlf4jWhenItHasNoBinding()
    {
        assertFalse(Logging.slf4jBound());
        assertEquals(Logging.Backend.STDERR, Logging.chooseBackend("auto"));
    }

    private String text()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
