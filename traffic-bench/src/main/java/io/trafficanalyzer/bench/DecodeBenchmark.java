/*
 * Build and run (from the project root):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar DecodeBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link FrameDecoder#decode} per frame, for the common link layers and a malformed frame, over frames
 * preallocated in off-heap buffers as a live capture hands them over; {@code -prof gc} shows no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeBenchmark
{
    private static final long TIMESTAMP_NS = 1_700_000_000_000_000_000L;

    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedPacket packet = new DecodedPacket();
    private final Frame[] frames = new Frame[4];
    private Frame ethernetIpv4Tcp;
    private Frame ethernetVlanIpv6Udp;
    private Frame sll2Ipv4Udp;
    private Frame malformed;
    private int next;

    /**
     * Build the frames once, outside the measurement.
     */
    @Setup
    public void setup()
    {
        ethernetIpv4Tcp = new Frame(new FrameBuilder().ethernet().ipv4("192.168.1.10", "93.184.216.34")
            .tcp(51234, 443).payload(1460).snapLength(128));
        ethernetVlanIpv6Udp = new Frame(new FrameBuilder().ethernet().vlan(100)
            .ipv6("2001:db8::10", "2001:db8:1::53").udp(53124, 53).payload(40));
        sll2Ipv4Udp = new Frame(new FrameBuilder().linuxSll2().ipv4("10.0.0.5", "10.0.0.1").udp(40000, 4789)
            .payload(100));
        // IHL of 4 words: rejected after the link header and the first IP byte
        malformed = new Frame(new FrameBuilder().ethernet().ipv4("192.168.1.10", "93.184.216.34").ihl(4)
            .tcp(51234, 443));

        frames[0] = ethernetIpv4Tcp;
        frames[1] = ethernetVlanIpv6Udp;
        frames[2] = sll2Ipv4Udp;
        frames[3] = malformed;

        for (final Frame frame : frames)
        {
            if (frame.decode(decoder, packet) != (frame == malformed ?
                FrameOutcome.BAD_IP_HEADER_LENGTH : FrameOutcome.DECODED))
            {
                throw new IllegalStateException("benchmark frame does not decode as intended");
            }
        }
    }

    /**
     * Ethernet, IPv4, TCP: the most common frame.
     *
     * @return the outcome, consumed by JMH.
     */
    @Benchmark
    public FrameOutcome ethernetIpv4Tcp()
    {
        return ethernetIpv4Tcp.decode(decoder, packet);
    }

    /**
     * Ethernet, 802.1Q tag, IPv6, UDP.
     *
     * @return the outcome, consumed by JMH.
     */
    @Benchmark
    public FrameOutcome ethernetVlanIpv6Udp()
    {
        return ethernetVlanIpv6Udp.decode(decoder, packet);
    }

    /**
     * Linux cooked v2 ("any" interface capture), IPv4, UDP.
     *
     * @return the outcome, consumed by JMH.
     */
    @Benchmark
    public FrameOutcome sll2Ipv4Udp()
    {
        return sll2Ipv4Udp.decode(decoder, packet);
    }

    /**
     * Ethernet with an IPv4 header length below 20 bytes.
     *
     * @return the outcome, consumed by JMH.
     */
    @Benchmark
    public FrameOutcome malformedIpv4HeaderLength()
    {
        return malformed.decode(decoder, packet);
    }

    /**
     * The four frames in turn, so that branch prediction cannot learn a single path.
     *
     * @return the outcome, consumed by JMH.
     */
    @Benchmark
    public FrameOutcome mixed()
    {
        final Frame frame = frames[next++ & 3];
        return frame.decode(decoder, packet);
    }

    static final class Frame
    {
        final UnsafeBuffer buffer;
        final int capturedLength;
        final int wireLength;
        final int linkType;

        Frame(final FrameBuilder builder)
        {
            final byte[] bytes = builder.build();
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
            buffer.putBytes(0, bytes);
            capturedLength = bytes.length;
            wireLength = builder.wireLength();
            linkType = builder.linkType();
        }

        FrameOutcome decode(final FrameDecoder decoder, final DecodedPacket packet)
        {
            return decoder.decode(buffer, 0, capturedLength, wireLength, linkType, TIMESTAMP_NS, packet);
        }
    }
}
