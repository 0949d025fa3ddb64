package io.trafficanalyzer.core.capture;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads every file of the shared corpus of real captures (many of them malformed on purpose): each one is read to
 * its end or stops with a {@link CaptureFileException} that names it and an offset inside it, never with any other
 * exception, and every frame delivered has sane lengths.
 */
class CaptureCorpusTest
{
    @Test
    void shouldReadToEndOrReportDamageWhenFileFromCorpus() throws IOException
    {
        final Path corpus = corpusDirectory();
        assumeTrue(null != corpus, "no corpus given (traffic.corpus.dir)");

        final List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus))
        {
            files = walk.filter(Files::isRegularFile)
                .filter((file) -> !file.getFileName().toString().startsWith("LICENSE"))
                .sorted()
                .collect(Collectors.toList());
        }
        assumeTrue(!files.isEmpty(), "corpus is empty");

        int clean = 0;
        long frames = 0;
        for (final Path file : files)
        {
            final SanityChecker checker = new SanityChecker();
            try (CaptureFileSource source = CaptureFileSource.open(file))
            {
                try
                {
                    while (!source.isEndOfStream())
                    {
                        source.poll(checker, 256);
                    }
                    clean++;
                }
                catch (final CaptureFileException ex)
                {
                    assertEquals(file, ex.file());
                    assertTrue(ex.offset() >= 0 && ex.offset() <= Files.size(file), ex.getMessage());
                    assertTrue(source.isEndOfStream());
                }
                catch (final RuntimeException ex)
                {
                    fail(file + ": " + ex, ex);
                }
                assertEquals(checker.frames, source.framesDelivered());
            }
            assertEquals(0, checker.insane, file + ": frame with insane lengths");
            frames += checker.frames;
        }

        assertTrue(clean > files.size() / 2, clean + " of " + files.size() + " files read to their end");
        assertTrue(frames > files.size(), frames + " frames from " + files.size() + " files");
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

    private static final class SanityChecker implements FrameHandler
    {
        long frames;
        long insane;

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            frames++;
            if (capturedLength < 0 || capturedLength > CaptureFileSource.MAX_CAPTURED_LENGTH || wireLength < 0 ||
                linkType < 0 || linkType > 0xFFFF || offset < 0 || offset + capturedLength > buffer.capacity())
            {
                insane++;
            }
            else if (capturedLength > 0)
            {
                // touch both ends: a view outside the window would fault here
                buffer.getByte(offset);
                buffer.getByte(offset + capturedLength - 1);
            }
        }
    }
}
