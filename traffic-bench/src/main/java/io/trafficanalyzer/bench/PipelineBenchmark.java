/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar PipelineBenchmark
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.TestAnalyzers;
import io.trafficanalyzer.core.ThreadingMode;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.TestFrames;
import io.trafficanalyzer.core.TestPacket;
import io.trafficanalyzer.core.TrafficGenerator;
import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.TrafficCounter;
import org.agrona.concurrent.UnsafeBuffer;
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

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Packets per second end to end: an in-memory capture of generated traffic (IPv4 and IPv6, every direction,
 * 1000 local and 5000 remote hosts, about 20 s of packet time) through capture, the aggregator shards and flush
 * to a sink that does nothing. Each operation replays the whole capture through a new analyzer; the score is
 * packets per second.
 * <p>
 * {@code frames=ethernet}: real Ethernet frames (64 to 1514 bytes) through the real frame decoder, as from a
 * capture; {@code frames=test}: the tests' own fixed-size format whose decoding is a field copy, so the score is
 * that of the pipeline alone.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(PipelineBenchmark.PACKETS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PipelineBenchmark
{
    static final int PACKETS = 1 << 20;
    private static final long T0 = 1_700_000_000_000_000_000L;

    /**
     * Number of aggregator shards.
     */
    @Param({ "1", "2" })
    public int shards;

    /**
     * Threads of the packet path.
     */
    @Param({ "DEDICATED", "SHARED" })
    public ThreadingMode threading;

    /**
     * Frame format: real Ethernet frames, or the tests' own.
     */
    @Param({ "ethernet", "test" })
    public String frames;

    /**
     * Entries of the capture agent's flow cache; 0 sends every packet on its own.
     */
    @Param({ "16384", "0" })
    public int flowCache;

    private final MemorySource source = new MemorySource();
    private TrafficAnalyzer analyzer;

    /**
     * Generate and encode the capture once.
     */
    @Setup(Level.Trial)
    public void generate()
    {
        final List<TestPacket> packets = new TrafficGenerator(42, 1000, 5000).generate(PACKETS, T0, 20_000, 0);
        final boolean ethernet = "ethernet".equals(frames);
        source.allocate(ethernet ? PACKETS * 1536L : PACKETS * (long)TestFrames.LENGTH);
        source.linkType = ethernet ? LinkType.ETHERNET : TestFrames.LINK_TYPE;
        int offset = 0;
        for (int i = 0; i < PACKETS; i++)
        {
            final TestPacket packet = packets.get(i);
            source.offsets[i] = offset;
            source.timestamps[i] = packet.timestampNs();
            if (ethernet)
            {
                offset += packet.toFrame(1400).writeTo(source.frames, offset);
            }
            else
            {
                TestFrames.encode(packet, source.frames, offset);
                offset += TestFrames.LENGTH;
            }
            source.lengths[i] = offset - source.offsets[i];
        }
    }

    /**
     * A new analyzer over the rewound capture, outside the measurement.
     */
    @Setup(Level.Invocation)
    public void build()
    {
        source.rewind();
        analyzer = ("ethernet".equals(frames) ? TrafficAnalyzer.builder() : TestAnalyzers.withTestFrames())
            .source(source)
            .localNetworks("10.0.0.0/8", "fd00::/8")
            .shards(shards)
            .threadingMode(threading)
            .flowCacheEntries(flowCache)
            .sink(new NoOpSink())
            .closeTimeout(Duration.ofMinutes(1))
            .build();
    }

    /**
     * Replay the whole capture.
     *
     * @return packets counted, consumed by JMH.
     */
    @Benchmark
    public long replay()
    {
        analyzer.start();
        analyzer.awaitCompletion();
        return analyzer.counter(TrafficCounter.FRAMES);
    }

    /**
     * Close the analyzer and check that every frame went through.
     */
    @TearDown(Level.Invocation)
    public void close()
    {
        final long frames = analyzer.counter(TrafficCounter.FRAMES);
        analyzer.close();
        if (frames != PACKETS)
        {
            throw new IllegalStateException("replayed " + frames + " of " + PACKETS + " frames");
        }
    }

    static final class MemorySource implements CaptureSource
    {
        final int[] offsets = new int[PACKETS];
        final int[] lengths = new int[PACKETS];
        final long[] timestamps = new long[PACKETS];
        UnsafeBuffer frames;
        int linkType;
        private int next;

        void allocate(final long capacity)
        {
            frames = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.toIntExact(capacity)));
        }

        void rewind()
        {
            next = 0;
        }

        public String name()
        {
            return "memory";
        }

        public boolean isLive()
        {
            return false;
        }

        public int poll(final FrameHandler handler, final int limit)
        {
            final int end = Math.min(PACKETS, next + limit);
            final int count = end - next;
            for (; next < end; next++)
            {
                handler.onFrame(frames, offsets[next], lengths[next], lengths[next], linkType, timestamps[next]);
            }
            return count;
        }

        public boolean isEndOfStream()
        {
            return next == PACKETS;
        }

        public void close()
        {
        }
    }

    static final class NoOpSink implements StatsSink
    {
        long rows;

        public void onBatchStart(final StatsBatch batch)
        {
        }

        public void onRow(final StatsRow row)
        {
            rows++;
        }

        public void onBatchEnd(final StatsBatch batch)
        {
        }
    }
}
