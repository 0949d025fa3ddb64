package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.testing.AnalyzerOutcomes;
import io.trafficanalyzer.core.testing.CaptureMutations;
import io.trafficanalyzer.core.testing.CaptureMutations.Capture;
import io.trafficanalyzer.core.testing.CaptureMutations.Format;
import io.trafficanalyzer.core.testing.CaptureMutations.Keep;
import io.trafficanalyzer.core.testing.CaptureMutations.Mutation;
import io.trafficanalyzer.core.testing.CaptureMutations.Written;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Well-formed pcap and pcapng files mutated as {@link CaptureMutations} does (flipped bytes, absurd values in length,
 * count and type fields, unknown link types, wrong magic numbers, inserted garbage, truncation), plain or
 * gzip-compressed (and then possibly damaged in their compressed bytes too), read through the pure-Java reader and
 * decoded:
 * <ul>
 *     <li>nothing but a {@link CaptureFileException} naming the file escapes, and the stream then ends;</li>
 *     <li>no file takes more than a few seconds (a loop or a hang fails the try);</li>
 *     <li>reading allocates a bounded number of heap bytes whatever the length fields say (up to 2^32 - 1),
 *     measured on the reading thread itself;</li>
 *     <li>every frame delivered is counted once: the source's count is the frames delivered, and the whole analyzer,
 *     reading the same file (one file in twenty), counts each of them once, as a packet, non-IP or malformed by the
 *     decoder's reason;</li>
 *     <li>every record that lies wholly before the first damaged byte is delivered exactly as written.</li>
 * </ul>
 */
class MutatedCaptureFileProperties
{
    private static final Duration PER_FILE = Duration.ofSeconds(10);

    @Provide
    Arbitrary<Mutation> mutation()
    {
        return CaptureMutations.mutation();
    }

    @Provide
    Arbitrary<Mutation> compressedDamage()
    {
        return CaptureMutations.compressedDamage();
    }

    @Property(tries = 600)
    void shouldThrowOnlyCaptureFileExceptionAndAccountForEveryFrameWhenFileMutated(
        @ForAll final Format format,
        @ForAll @IntRange(max = 24) final int frames,
        @ForAll @Size(min = 1, max = 3) final List<@From("mutation") Mutation> mutations,
        @ForAll final boolean gzip,
        @ForAll("compressedDamage") final Mutation compressedDamage,
        @ForAll @IntRange(min = 1, max = 4096) final int windowSize,
        @ForAll @IntRange(min = 1, max = 16) final int pollLimit,
        @ForAll @IntRange(max = 1000) final int seed) throws IOException
    {
        final Capture capture = CaptureMutations.write(format, frames, seed);
        byte[] bytes = capture.bytes();
        long firstDamage = bytes.length;
        for (final Mutation mutation : mutations)
        {
            final long[] damage = { firstDamage };
            bytes = CaptureMutations.apply(mutation, bytes, capture.fields(), damage);
            firstDamage = damage[0];
        }
        if (gzip)
        {
            bytes = CaptureMutations.gzip(bytes);
            if (!(compressedDamage instanceof Keep))
            {
                bytes = CaptureMutations.apply(compressedDamage, bytes, List.of(), new long[1]);
                firstDamage = 0;
            }
        }

        final List<Frame> intact = new ArrayList<>();
        for (final Written record : capture.records())
        {
            if (record.end() <= firstDamage && null != record.frame())
            {
                final byte[] frame = record.frame();
                intact.add(Frame.of(frame, frame.length, frame.length, record.linkType(), record.timestampNs()));
            }
        }

        final Path file = Files.createTempFile("mutated", gzip ? ".pcap.gz" : ".pcap");
        try
        {
            Files.write(file, bytes);
            final long fileLength = bytes.length;
            final String what = format + " " + frames + " frames, " + mutations + (gzip ? ", gzip " +
                compressedDamage : "");
            final String ending = assertTimeoutPreemptively(
                PER_FILE, () -> readAndCheck(file, fileLength, windowSize, pollLimit, intact, 0 == seed % 20), what);
            Statistics.label("ending").collect(ending);
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static String readAndCheck(
        final Path file,
        final long fileLength,
        final int windowSize,
        final int pollLimit,
        final List<Frame> intact,
        final boolean throughAnalyzer)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DecodingRecorder recorder = new DecodingRecorder();
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        CaptureFileException damage = null;
        long sourceFrames = 0;
        try (CaptureFileSource source = new CaptureFileSource(
            new Path[]{ file }, windowSize, CaptureInput.MAX_REQUIRED_LENGTH))
        {
            try
            {
                long polls = 0;
                while (!source.isEndOfStream())
                {
                    final int count = source.poll(recorder, pollLimit);
                    assertTrue(count == pollLimit || source.isEndOfStream(), "short poll before the end");
                    assertTrue(++polls <= 100_000_000, "endless polling");
                }
            }
            catch (final CaptureFileException ex)
            {
                damage = ex;
            }
            catch (final Throwable ex)
            {
                fail("only a CaptureFileException may escape", ex);
            }
            assertTrue(source.isEndOfStream(), "the stream ends at damage");
            sourceFrames = source.framesDelivered();
        }
        catch (final Throwable ex)
        {
            if (ex instanceof AssertionError)
            {
                throw (AssertionError)ex;
            }
            fail("opening or closing threw", ex);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        final long frames = recorder.frames.size();
        assertEquals(frames, sourceFrames, "frames the source says it delivered");
        if (null != damage)
        {
            assertEquals(file, damage.file());
            assertTrue(damage.offset() >= 0, damage.getMessage());
            assertTrue(damage.getMessage().startsWith(file + ": at byte offset "), damage.getMessage());
        }

        assertTrue(frames >= intact.size(), "every record before the damage is delivered: " + frames + " of " +
            intact.size() + (null != damage ? ", " + damage.getMessage() : ""));
        assertEquals(intact, recorder.frames.subList(0, intact.size()), "the records before the damage");

        // the recorder's copies (hex text, lists) grow with the frames; the reader's own allocations do not
        final long bound = 1024 * 1024 + 16 * fileLength + 512 * frames;
        assertTrue(allocated < bound, "allocated " + allocated + " bytes reading a file of " + fileLength +
            " bytes, more than " + bound);

        // the analyzer reads the same file (with its own window) and counts every frame once, under its outcome;
        // one file in twenty (seeds 0 and 1000, the edge cases, among them), as it costs far more than reading
        if (throughAnalyzer)
        {
            AnalyzerOutcomes.assertCountedAs("file:" + file, recorder.counts);
        }

        return null == damage ? "read to the end" : "stopped at damage";
    }

    // copies each frame as FrameRecorder does and decodes it, counting outcomes
    private static final class DecodingRecorder implements FrameHandler
    {
        final List<Frame> frames = new ArrayList<>();
        final FrameCounts counts = new FrameCounts();
        private final FrameDecoder decoder = new FrameDecoder();
        private final DecodedPacket packet = new DecodedPacket();

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            final byte[] data = new byte[capturedLength];
            buffer.getBytes(offset, data);
            frames.add(Frame.of(data, capturedLength, wireLength, linkType, timestampNs));
            counts.add(decoder.decode(buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet));
        }
    }
}
