/*
 * Run through traffic-bench/scripts/live-capture-benchmark.sh (root, trafgen, tcpdump), which builds a veth pair
 * between two network namespaces, starts this harness and tcpdump -w /dev/null on the same end, feeds the other end
 * with trafgen at a fixed rate and compares CPU time per frame and drops. By hand, inside the capture namespace:
 *   java -cp traffic-bench/target/benchmarks.jar io.trafficanalyzer.bench.LiveCaptureBenchmark IFACE FRAMES
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.pcap.PcapLiveSource;
import io.trafficanalyzer.pcap.PcapReadMode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.trafficanalyzer.core.TrafficAnalyzer.Builder.DEFAULT_FLOW_CACHE_ENTRIES;

/**
 * Live capture harness: captures on an interface with {@link PcapLiveSource} (snapshot length 128, 8 MiB kernel
 * buffer, the defaults) until the link stayed idle for a while after the expected number of frames (or after the
 * last frame), then prints the frames, the kernel's counters and the CPU time the capture thread and the whole JVM
 * spent, per frame. When a poll finds nothing the capture thread waits on the capture socket
 * ({@link PcapLiveSource#idleStrategy(int)}), as tcpdump does, rather than spinning or sleeping on a timer.
 * <p>
 * Arguments: interface, expected frames, [idle seconds before stopping, default 2],
 * [{@code capture}, {@code decode} (also run the {@link FrameDecoder} on every frame) or {@code pipeline} (the
 * whole {@link TrafficAnalyzer}: decode, classify, aggregate the default views into 1 s buckets), default capture],
 * [{@code RING}, {@code DISPATCH} or {@code NEXT_EX}, default RING], [{@code wait} (default), {@code sleep} (1 ms) or
 * {@code backoff} idle strategy].
 */
public final class LiveCaptureBenchmark
{
    private LiveCaptureBenchmark()
    {
    }

    /**
     * Capture and report.
     *
     * @param args interface, expected frames, idle seconds, capture|decode, read mode.
     * @throws Exception when the capture cannot be opened.
     */
    public static void main(final String[] args) throws Exception
    {
        final String interfaceName = args[0];
        final long expected = Long.parseLong(args[1]);
        final long idleNs = (long)(Double.parseDouble(args.length > 2 ? args[2] : "2") * 1e9);
        final boolean decode = args.length > 3 && "decode".equals(args[3]);
        final PcapReadMode readMode = PcapReadMode.valueOf(args.length > 4 ? args[4] : "RING");
        final String idleName = args.length > 5 ? args[5] : "wait";

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        final Counter counter = new Counter(decode);
        if (args.length > 3 && "pipeline".equals(args[3]))
        {
            runPipeline(interfaceName, idleNs, readMode, args.length > 5 ? args[5] : "default", os);
            return;
        }

        try (PcapLiveSource source = PcapLiveSource.builder()
            .interfaces(interfaceName).readMode(readMode).statisticsIntervalMillis(100).build())
        {
            final IdleStrategy idle = idleStrategy(idleName, source);
            final long threadCpuStart = threads.getCurrentThreadCpuTime();
            final long processCpuStart = os.getProcessCpuTime();
            System.out.println("READY " + source.name() + " " + source.readMode() + " " + idle.alias() +
                (decode ? " decode" : ""));
            System.out.flush();

            long lastFrameNs = System.nanoTime();
            while (true)
            {
                final int delivered = source.poll(counter, 1024);
                final long nowNs = System.nanoTime();
                if (delivered > 0)
                {
                    lastFrameNs = nowNs;
                }
                else if (nowNs - lastFrameNs > (counter.frames > 0 || expected == 0 ? idleNs : 120_000_000_000L))
                {
                    break;
                }
                idle.idle(delivered);
            }

            final long threadCpuNs = threads.getCurrentThreadCpuTime() - threadCpuStart;
            final long processCpuNs = os.getProcessCpuTime() - processCpuStart;
            source.close();
            final long frames = Math.max(1, counter.frames);
            System.out.printf(
                "frames=%d received=%d dropped=%d ifdropped=%d decoded=%d captureThreadCpuMs=%.1f " +
                "processCpuMs=%.1f captureThreadNsPerFrame=%.1f processNsPerFrame=%.1f%n",
                counter.frames,
                source.received(),
                source.kernelDrops(),
                source.interfaceDropped(),
                counter.decoded,
                threadCpuNs / 1e6,
                processCpuNs / 1e6,
                threadCpuNs / (double)frames,
                processCpuNs / (double)frames);
        }
    }

    private static void runPipeline(
        final String interfaceName,
        final long idleNs,
        final PcapReadMode readMode,
        final String idleName,
        final com.sun.management.OperatingSystemMXBean os) throws Exception
    {
        final TrafficAnalyzer.Builder builder = TrafficAnalyzer.builder();
        if ("sleep".equals(idleName))
        {
            builder.idleStrategy(() -> new SleepingMillisIdleStrategy(1));
        }
        final PcapLiveSource source = PcapLiveSource.builder()
            .interfaces(interfaceName).readMode(readMode).statisticsIntervalMillis(100).build();
        final List<String> local = source.localPrefixes();
        try (TrafficAnalyzer analyzer = builder
            .source(source)
            .localNetworks(local.toArray(new String[0]))
            .bucket(Duration.ofSeconds(1))
            .flowCacheEntries(Integer.getInteger("traffic.flowCacheEntries", DEFAULT_FLOW_CACHE_ENTRIES))
            .build())
        {
            analyzer.start();
            final Map<String, Long> threadCpuStart = threadCpuTimes();
            final long processCpuStart = os.getProcessCpuTime();
            System.out.println(
                "READY " + source.name() + " " + source.readMode() + " pipeline " + idleName + " " + local);
            System.out.flush();

            long frames = 0;
            long lastChangeNs = System.nanoTime();
            while (frames == 0 || System.nanoTime() - lastChangeNs < idleNs)
            {
                Thread.sleep(100);
                final long now = analyzer.counter(TrafficCounter.FRAMES);
                if (now != frames)
                {
                    frames = now;
                    lastChangeNs = System.nanoTime();
                }
            }

            final long processCpuNs = os.getProcessCpuTime() - processCpuStart;
            final Map<String, Long> threadCpuEnd = threadCpuTimes();
            final StringBuilder perThread = new StringBuilder();
            long javaThreadsNs = 0;
            for (final Map.Entry<String, Long> e : threadCpuEnd.entrySet())
            {
                final long ns = e.getValue() - threadCpuStart.getOrDefault(e.getKey(), 0L);
                javaThreadsNs += ns;
                if (ns >= 1_000_000)
                {
                    perThread.append(' ').append(e.getKey().replace(' ', '_')).append('=')
                        .append(String.format("%.1f", ns / (double)Math.max(1, frames)));
                }
            }
            // the JIT compiler, GC and VM threads are not Java threads: what the process spent beyond those above
            perThread.append(" jit_gc_vm=")
                .append(String.format("%.1f", (processCpuNs - javaThreadsNs) / (double)Math.max(1, frames)));
            System.out.println("threadNsPerFrame" + perThread);
            System.out.printf(
                "frames=%d received=%d dropped=%d ifdropped=%d decoded=%d ringDrops=%d processCpuMs=%.1f " +
                "processNsPerFrame=%.1f%n",
                frames,
                source.received(),
                source.kernelDrops(),
                source.interfaceDropped(),
                analyzer.counter(TrafficCounter.PACKETS),
                analyzer.counter(TrafficCounter.RING_DROPS),
                processCpuNs / 1e6,
                processCpuNs / (double)Math.max(1, frames));
        }
    }

    // CPU time of every live thread by name (threads of the same name summed), to split the process's CPU
    private static Map<String, Long> threadCpuTimes()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Map<String, Long> times = new TreeMap<>();
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (null != info)
            {
                final long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0)
                {
                    times.merge(info.getThreadName(), cpu, Long::sum);
                }
            }
        }
        return times;
    }

    private static IdleStrategy idleStrategy(final String name, final PcapLiveSource source)
    {
        switch (name)
        {
            case "backoff":
                return new BackoffIdleStrategy(100, 10, 1_000, 1_000_000);
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            default:
                return source.idleStrategy(100);
        }
    }

    static final class Counter implements FrameHandler
    {
        private final boolean decode;
        private final FrameDecoder decoder = new FrameDecoder();
        private final DecodedPacket packet = new DecodedPacket();
        long frames;
        long bytes;
        long decoded;

        Counter(final boolean decode)
        {
            this.decode = decode;
        }

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            frames++;
            bytes += wireLength;
            if (decode && decoder.decode(
                buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet) == FrameOutcome.DECODED)
            {
                decoded++;
            }
        }
    }
}
