package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.HostTotalsSink;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole analyzer on a capture file damaged at any record (cut inside it, or an absurd length in its header),
 * plain or gzipped, in every threading mode: the sink receives exactly the statistics of the packets before the
 * damaged record, the analyzer completes, and {@link TrafficAnalyzer#sourceFailure()} names the file and the
 * offset of that record.
 */
class DamagedCaptureFileProperties
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    enum Damage
    {
        CUT_INSIDE_RECORD, CAPTURED_LENGTH_2_POW_31_MINUS_1, CAPTURED_LENGTH_2_POW_32_MINUS_1,
        CAPTURED_LENGTH_OVER_MAXIMUM, ORIGINAL_LENGTH_2_POW_31
    }

    @Property(tries = 40)
    void shouldStoreWhatCameBeforeTheDamageAndReportTheFailureWhenAFileIsDamaged(
        @ForAll @IntRange(min = 1, max = 2_000) final int packets,
        @ForAll @IntRange(max = 1_000_000) final int where,
        @ForAll final Damage damage,
        @ForAll final boolean gzip,
        @ForAll final ThreadingMode mode,
        @ForAll @IntRange(max = 100) final int seed) throws IOException
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, 30_000_000L, 20, 200, seed);
        final int damaged = (int)((long)where * packets / 1_000_001);
        final Path file = Files.createTempFile("damaged", gzip ? ".pcap.gz" : ".pcap");
        try
        {
            final long[] offsets = traffic.writePcap(file, packets);
            final byte[] bytes = damage(Files.readAllBytes(file), offsets, damaged, damage);
            Files.write(file, gzip ? gzip(bytes) : bytes);

            final HostTotalsSink sink = new HostTotalsSink();
            final List<Throwable> errors = new CopyOnWriteArrayList<>();
            try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
                .source("file:" + file)
                .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
                .bucket(Duration.ofSeconds(10))
                .threadingMode(mode)
                .sink(sink)
                .errorHandler(errors::add)
                .build())
            {
                analyzer.start();
                assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)), "completes");

                final CaptureFileException failure = assertInstanceOf(
                    CaptureFileException.class, analyzer.sourceFailure());
                assertEquals(file, failure.file());
                assertEquals(offsets[damaged], failure.offset(), failure.getMessage());
                assertEquals(List.of(failure), errors);
                assertSame(failure, errors.get(0));
                assertEquals(damaged, analyzer.counter(TrafficCounter.FRAMES));
                assertEquals(1, analyzer.counter(TrafficCounter.ERRORS));
            }

            assertEquals(traffic.expectedHosts(0, damaged, 10), sink.hosts());
            assertEquals(0, sink.repeats());
            assertTrue(sink.isClosed());
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static byte[] damage(final byte[] bytes, final long[] offsets, final int record, final Damage damage)
    {
        final int start = (int)offsets[record];
        final int end = (int)offsets[record + 1];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (damage)
        {
            case CUT_INSIDE_RECORD:
                return Arrays.copyOf(bytes, start + 1 + (end - start - 2) * (record % 7) / 6);
            case CAPTURED_LENGTH_2_POW_31_MINUS_1:
                buffer.putInt(start + 8, Integer.MAX_VALUE);
                return bytes;
            case CAPTURED_LENGTH_2_POW_32_MINUS_1:
                buffer.putInt(start + 8, -1);
                return bytes;
            case CAPTURED_LENGTH_OVER_MAXIMUM:
                buffer.putInt(start + 8, 320 * 1024 + 1);
                return bytes;
            default:
                buffer.putInt(start + 12, Integer.MIN_VALUE);
                return bytes;
        }
    }

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
