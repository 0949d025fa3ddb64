package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureFileException;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.testing.AnalyzerOutcomes;
import io.trafficanalyzer.core.testing.CaptureMutations;
import io.trafficanalyzer.core.testing.CaptureMutations.Capture;
import io.trafficanalyzer.core.testing.CaptureMutations.Format;
import io.trafficanalyzer.core.testing.CaptureMutations.Mutation;
import io.trafficanalyzer.core.testing.CaptureMutations.Written;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.agrona.DirectBuffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The mutated files of {@link CaptureMutations} (in the variants libpcap reads) read through libpcap
 * ({@link PcapFileSource}, both read modes) and decoded: nothing but a {@link CaptureFileException} escapes (from
 * opening or reading), no file takes more than a few seconds, the whole analyzer reading the same file through
 * libpcap (one file in twenty) counts every frame once under its outcome, and every record wholly before the first
 * damaged byte is delivered with its bytes as written. A crash of libpcap would take the test JVM with it.
 */
class MutatedPcapFileProperties
{
    private static final Duration PER_FILE = Duration.ofSeconds(10);

    @Provide
    Arbitrary<Mutation> mutation()
    {
        return CaptureMutations.mutation();
    }

    // libpcap reads neither a pcapng file whose interfaces differ in link type nor a second section of the other
    // byte order (it takes the section header's length in the first section's order); the pure-Java reader does
    @Provide
    Arbitrary<Format> libpcapFormats()
    {
        return Arbitraries.of(Format.class).filter((format) -> format != Format.PCAPNG_TWO_SECTIONS);
    }

    @Property(tries = 500)
    void shouldThrowOnlyCaptureFileExceptionAndKeepTheRecordsBeforeTheDamageWhenLibpcapReadsAMutatedFile(
        @ForAll("libpcapFormats") final Format format,
        @ForAll @IntRange(max = 24) final int frames,
        @ForAll @Size(min = 1, max = 3) final List<@From("mutation") Mutation> mutations,
        @ForAll final PcapReadMode mode,
        @ForAll @IntRange(min = 1, max = 16) final int pollLimit,
        @ForAll @IntRange(max = 1000) final int seed) throws Exception
    {
        final Capture capture = CaptureMutations.write(format, frames, seed, true);
        byte[] bytes = capture.bytes();
        final long[] damage = { bytes.length };
        for (final Mutation mutation : mutations)
        {
            bytes = CaptureMutations.apply(mutation, bytes, capture.fields(), damage);
        }
        final List<String> intact = new ArrayList<>();
        for (final Written record : capture.records())
        {
            if (record.end() <= damage[0] && null != record.frame())
            {
                intact.add(HexFormat.of().formatHex(record.frame()));
            }
        }

        final Path file = Files.createTempFile("mutated", ".pcap");
        try
        {
            Files.write(file, bytes);
            final String ending = assertTimeoutPreemptively(PER_FILE,
                () -> readAndCheck(file, mode, pollLimit, intact, 0 == seed % 20),
                format + " " + frames + " frames, " + mutations);
            Statistics.label("ending").collect(ending);
        }
        finally
        {
            Files.delete(file);
        }
    }

    private static String readAndCheck(
        final Path file,
        final PcapReadMode mode,
        final int pollLimit,
        final List<String> intact,
        final boolean throughAnalyzer)
    {
        final DecodingRecorder recorder = new DecodingRecorder();
        String ending = "read to the end";
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            long polls = 0;
            while (!source.isEndOfStream())
            {
                source.poll(recorder, pollLimit);
                assertTrue(++polls <= 100_000_000, "endless polling");
            }
        }
        catch (final CaptureFileException ex)
        {
            assertEquals(file, ex.file());
            ending = "stopped at damage";
        }
        catch (final Throwable ex)
        {
            fail("only a CaptureFileException may escape", ex);
        }

        assertTrue(recorder.frames.size() >= intact.size(), "every record before the damage is delivered: " +
            recorder.frames.size() + " of " + intact.size());
        assertEquals(intact, recorder.frames.subList(0, intact.size()), "the records before the damage");
        // the analyzer reads the same file through libpcap and counts every frame once, under its outcome; one
        // file in twenty (seeds 0 and 1000, the edge cases, among them), as it costs far more than reading
        if (throughAnalyzer)
        {
            AnalyzerOutcomes.assertCountedAs("pcapfile:" + file, recorder.counts);
        }

        return ending;
    }

    private static final class DecodingRecorder implements FrameHandler
    {
        final List<String> frames = new ArrayList<>();
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
            frames.add(HexFormat.of().formatHex(data));
            counts.add(decoder.decode(buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet));
        }
    }
}
