package io.trafficanalyzer.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.pcap.PcapInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that logs through SLF4J and Logback, built against the installed artifacts: every message of the library
 * reaches the service's log with no setup, and nothing reaches standard error.
 */
class LogbackEmbeddingTest
{
    @Test
    void shouldLogToTheServicesLogAndNotToStandardErrorWhenTheServiceUsesLogback(@TempDir final Path dir)
        throws Exception
    {
        final ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        final Logger root = (Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            final FailingSink failing = new FailingSink();
            try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
                .source("file:" + capture(dir.resolve("udp.pcap"), 60))
                .sink(failing)
                .sink("sqlite:" + dir.resolve("traffic.db"))
                .sinkRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .closeTimeout(Duration.ofMillis(500))
                .build())
            {
                analyzer.start();
                assertTrue(failing.attempts.await(30, TimeUnit.SECONDS), "the sink was retried");
            }
            assertFalse(PcapInterface.list().isEmpty());
        }
        finally
        {
            System.setErr(stderr);
            root.detachAppender(log);
        }

        assertEquals("", err.toString(StandardCharsets.UTF_8), "standard error");
        final List<ILoggingEvent> diskFull = log.list.stream()
            .filter((event) -> event.getLoggerName().startsWith("io.trafficanalyzer"))
            .filter((event) -> event.getFormattedMessage().contains("disk full"))
            .collect(Collectors.toList());
        assertEquals(1, diskFull.size(), "one message for the failing sink: " + diskFull);
        assertEquals(Level.ERROR, diskFull.get(0).getLevel());
        assertEquals("disk full", diskFull.get(0).getThrowableProxy().getCause().getMessage());
    }

    /**
     * A capture of {@code packets} UDP datagrams of 42 bytes, one a second, in the pcap format with raw IPv4 frames.
     */
    static Path capture(final Path file, final int packets) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(24 + packets * (16 + 42)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(101);
        for (int i = 0; i < packets; i++)
        {
            buffer.order(ByteOrder.LITTLE_ENDIAN).putInt(1_700_000_000 + i).putInt(0).putInt(42).putInt(42);
            buffer.order(ByteOrder.BIG_ENDIAN)
                .put((byte)0x45).put((byte)0).putShort((short)42).putInt(0).put((byte)64).put((byte)17).putShort((short)0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2})
                .putShort((short)40000).putShort((short)53).putShort((short)22).putShort((short)0).put(new byte[14]);
        }

        return Files.write(file, buffer.array());
    }

    /**
     * A store that is always full, tried at least three times.
     */
    static final class FailingSink implements StatsSink
    {
        final CountDownLatch attempts = new CountDownLatch(3);

        public void onBatchStart(final StatsBatch batch) throws IOException
        {
            attempts.countDown();
            throw new IOException("disk full");
        }

        public void onRow(final StatsRow row)
        {
        }

        public void onBatchEnd(final StatsBatch batch)
        {
        }
    }
}
