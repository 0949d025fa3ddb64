package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.testing.Corpus;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads and decodes every capture of the shared corpus (real captures of hundreds of protocols and link types,
 * many malformed on purpose; see {@link Corpus}): no exception but a {@link CaptureFileException} naming the file
 * escapes, no file takes more than a second, every frame read ends up in exactly one outcome, and each file, and
 * the whole corpus, gives at least the frames libpcap reads from it and at least the IP packets an independent
 * count finds among them.
 */
class CorpusRobustnessTest
{
    private static final FrameCounts TOTALS = new FrameCounts();
    private static int damagedFiles;

    @TestFactory
    Stream<DynamicTest> shouldAccountForEveryFrameWhenReadingTheCorpus() throws IOException
    {
        final Corpus corpus = Corpus.require();
        assertEquals(List.copyOf(corpus.floors().keySet()), corpus.names(),
            "the corpus holds exactly the files of " + Corpus.FLOORS);

        final Stream<DynamicTest> files = corpus.files().stream().map((file) -> DynamicTest.dynamicTest(
            corpus.name(file),
            () -> assertTimeoutPreemptively(Duration.ofSeconds(1), () -> readAndDecode(file, corpus.floor(file)))));
        final DynamicTest totals = DynamicTest.dynamicTest("totals", () -> assertTotals(corpus));
        return Stream.concat(files, Stream.of(totals));
    }

    // runs after every file: dynamic tests run in order
    private static void assertTotals(final Corpus corpus)
    {
        final long frameFloor = corpus.floors().values().stream().mapToLong(Corpus.Floor::frames).sum();
        final long ipFloor = corpus.floors().values().stream().mapToLong(Corpus.Floor::ip).sum();
        System.out.println("corpus: " + TOTALS + ", files stopped at damage: " + damagedFiles + "; floors: " +
            frameFloor + " frames, " + ipFloor + " IP packets");
        assertTrue(TOTALS.total() >= frameFloor, "frames read " + TOTALS.total() + " < libpcap's " + frameFloor);
        assertTrue(TOTALS.count(FrameOutcome.DECODED) >= ipFloor,
            "frames decoded " + TOTALS.count(FrameOutcome.DECODED) + " < the IP packets counted " + ipFloor);
    }

    private static void readAndDecode(final Path file, final Corpus.Floor floor) throws IOException
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
        assertTrue(handler.frames >= floor.frames(), "frames read " + handler.frames + ", libpcap reads " +
            floor.frames() + " (" + floor.ending() + ")");
        assertTrue(counts.count(FrameOutcome.DECODED) >= floor.ip(), "frames decoded " +
            counts.count(FrameOutcome.DECODED) + ", well-formed IP packets " + floor.ip() + ": " + counts);
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
