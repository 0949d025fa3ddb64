/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar CaptureBenchmark -prof gc
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.CaptureHarness;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.TrafficGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost per frame of the capture agent alone, on its thread: the tests' own frame format (decoding is a field copy),
 * bucket assignment, the flow cache (16 384 entries) and the records it writes to two shards' rings, which are read
 * and dropped after each batch of {@value #BATCH} frames. The generated traffic (1000 local and 5000 remote hosts, IP
 * and other frames) replays over and over, moved on in time each pass, so buckets keep being sealed.
 * {@code jitter=0}: timestamps only advance; {@code jitter=3000000000}: one frame in twenty steps back by up to 3 s,
 * beyond the 2 s lateness at times, so the late path is taken. {@code -prof gc} shows no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CaptureBenchmark.BATCH)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CaptureBenchmark
{
    static final int BATCH = 256;
    private static final int FRAMES = 1 << 18;
    private static final long T0 = 1_700_000_000_000_000_000L;

    /**
     * Largest step back of the one frame in twenty that steps back, in nanoseconds.
     */
    @Param({ "0", "3000000000" })
    public long jitter;

    private CaptureHarness harness;

    /**
     * Generate the frames, outside the measurement.
     */
    @Setup(Level.Trial)
    public void setup()
    {
        harness = new CaptureHarness(
            new TrafficGenerator(42, 1000, 5000).generate(FRAMES, T0, 20_000, jitter), 2,
            TrafficAnalyzer.Builder.DEFAULT_FLOW_CACHE_ENTRIES);
    }

    /**
     * Release the agent's memory.
     */
    @TearDown(Level.Trial)
    public void close()
    {
        harness.close();
    }

    /**
     * One batch of frames through the capture agent.
     *
     * @return the frames handed over.
     */
    @Benchmark
    public int onFrame()
    {
        return harness.run(BATCH);
    }
}
