/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar CaptureFileReadBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * The "readFile:frames" line is the rate in frames per second. Side by side with libpcap's pcap_next_ex on the
 * same file: traffic-bench/scripts/compare-file-read.sh
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.capture.CaptureFileSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Reads a whole pcap file from the page cache with {@link CaptureFileSource}, touching the first byte of every
 * frame as a decoder would; the file is written once in {@link #setup()} (or given with {@code -p file=...}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CaptureFileReadBenchmark
{
    /**
     * Frames of the generated file.
     */
    public static final int FRAMES = 300_000;

    /**
     * The frame sizes of the generated file: {@code 64} or {@code imix}.
     */
    @Param({ "64", "imix" })
    public String mix;

    /**
     * An existing capture file to read instead of a generated one; empty to generate.
     */
    @Param({ "" })
    public String file;

    private final FrameSum handler = new FrameSum();
    private Path path;
    private Path directory;

    /**
     * Frames delivered, reported by JMH as a rate: frames per second.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class FrameCounters
    {
        /**
         * Frames read in the iteration.
         */
        public long frames;

        /**
         * Start each iteration from 0.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            frames = 0;
        }
    }

    /**
     * Write the file (or take the one given) and read it once, which also brings it into the page cache.
     *
     * @throws IOException if the file cannot be written or read.
     */
    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        if (file.isEmpty())
        {
            directory = Files.createTempDirectory("capture-read-bench");
            path = directory.resolve(mix + ".pcap");
            CaptureFileGenerator.write(path, mix, FRAMES);
        }
        else
        {
            path = Paths.get(file);
        }
        readFile(new FrameCounters());
    }

    /**
     * Delete the generated file.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (null != directory)
        {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        }
    }

    /**
     * Read the whole file.
     *
     * @param counters counts the frames.
     * @return a sum over the frames, so that nothing is optimised away.
     * @throws IOException if the file cannot be read.
     */
    @Benchmark
    public long readFile(final FrameCounters counters) throws IOException
    {
        try (CaptureFileSource source = CaptureFileSource.open(path))
        {
            while (!source.isEndOfStream())
            {
                source.poll(handler, 4096);
            }
            counters.frames += source.framesDelivered();
        }
        return handler.sum;
    }

    private static final class FrameSum implements FrameHandler
    {
        long sum;

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            sum += capturedLength + buffer.getByte(offset);
        }
    }
}
