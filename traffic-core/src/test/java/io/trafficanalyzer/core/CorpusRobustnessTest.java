package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads and decodes every capture of the shared corpus (real captures of hundreds of protocols and link types,
 * many malformed on purpose), given by the system property {@code traffic.corpus.dir} or the environment variable
 * {@code TRAFFIC_CORPUS_DIR}: no exception but a {@link CaptureFileException} naming the file escapes, no file
 * takes more than a second, and every frame read ends up in exactly one outcome.
 */
class CorpusRobustnessTest
{
    private static final FrameCounts TOTALS = new FrameCounts();
    private static int damagedFiles;

    @TestFactory
    Stream<DynamicTest> shouldAccountForEveryFrameWhenReadingTheCorpus() throws IOException
    {
        final Path corpus = corpusDirectory();
        if (null == corpus)
        {
            System.out.println("corpus robustness test skipped: no corpus given " +
                "(set -Dtraffic.corpus.dir=DIR or TRAFFIC_CORPUS_DIR=DIR; .ci/run uses ../shared/corpus)");
        }
        assumeTrue(null != corpus, "no corpus given");

        final List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus))
        {
            files = walk.filter(Files::isRegularFile)
                .filter((file) -> !file.getFileName().toString().startsWith("LICENSE"))
                .filter((file) -> !file.getFileName().toString().endsWith(".md"))
                .sorted()
                .collect(Collectors.toList());
        }
        assumeTrue(!files.isEmpty(), "corpus robustness test skipped: " + corpus + " holds no file");

        return files.stream().map((file) -> DynamicTest.dynamicTest(
            corpus.relativize(file).toString(),
            () -> assertTimeoutPreemptively(Duration.ofSeconds(1), () -> readAndDecode(file))));
    }

    @AfterAll
    static void printSummary()
    {
        if (TOTALS.total() > 0)
        {
            System.out.println("corpus: " + TOTALS + ", files stopped at damage: " + damagedFiles);
        }
    }

    private static void readAndDecode(final Path file) throws IOException
    {
        final DecodingHandler handler = new DecodingHandler();
        try (CaptureFileSource source = CaptureFileSource.open(file))
        {
            try
            {
                while (!source.isEndOfStream())
                {
                    source.poll(handler, 256);
                }
            }
            catch (final CaptureFileException ex)
            {
                assertEquals(file, ex.file(), ex.getMessage());
                assertTrue(ex.offset() >= 0 && ex.offset() <= Files.size(file), ex.getMessage());
                assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
                assertTrue(source.isEndOfStream(), "a damaged file ends the stream");
                synchronized (TOTALS)
                {
                    damagedFiles++;
                }
            }

            assertEquals(source.framesDelivered(), handler.frames, "frames delivered");
        }

        final FrameCounts counts = handler.counts;
        assertEquals(handler.frames, counts.total(), "every frame in exactly one outcome: " + counts);
        assertEquals(
            counts.total(),
            counts.count(FrameOutcome.DECODED) + counts.count(FrameOutcome.NON_IP) + counts.malformed(),
            "decoded + non-IP + malformed: " + counts);
        synchronized (TOTALS)
        {
            TOTALS.add(counts);
        }
    }

    private static Path corpusDirectory()
    {
        String dir = System.getProperty("traffic.corpus.dir", "");
        if (dir.isBlank())
        {
            dir = System.getenv().getOrDefault("TRAFFIC_CORPUS_DIR", "");
        }
        return dir.isBlank() || !Files.isDirectory(Paths.get(dir)) ? null : Paths.get(dir);
    }

    private static final class DecodingHandler implements FrameHandler
    {
        final FrameDecoder decoder = new FrameDecoder();
        final DecodedPacket packet = new DecodedPacket();
        final FrameCounts counts = new FrameCounts();
        long frames;

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            frames++;
            final FrameOutcome outcome =
                decoder.decode(buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet);
            counts.add(outcome);
            if (outcome == FrameOutcome.DECODED)
            {
                assertTrue(packet.ipVersion == 4 || packet.ipVersion == 6, "ip version " + packet.ipVersion);
                assertTrue(packet.ipBytes >= 0, "ip bytes " + packet.ipBytes);
                assertEquals(timestampNs, packet.timestampNs);
            }
        }
    }
}
