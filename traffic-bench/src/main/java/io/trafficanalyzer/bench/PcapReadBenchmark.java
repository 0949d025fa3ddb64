/*
 * Build and run (from the project root; needs libpcap):
 *   mvn -B -o -pl traffic-bench -am package -DskipTests
 *   java -jar traffic-bench/target/benchmarks.jar PcapReadBenchmark -prof gc
 */
package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.pcap.PcapFileSource;
import io.trafficanalyzer.pcap.PcapReadMode;
import org.agrona.DirectBuffer;
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
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Frames per second taken from libpcap over the same capture file three ways: pcap4j's
 * {@code loop(RawPacketListener)} (a {@code byte[]}, a timestamp and a few objects per frame), and
 * {@link PcapFileSource} in {@link PcapReadMode#NEXT_EX} (one direct JNA call per frame) and
 * {@link PcapReadMode#DISPATCH} (one call per batch through {@code pcap_dump} into a memory stream) modes, both
 * reading in place. Every way reads the timestamp, both lengths and one byte of each frame. One operation is one
 * frame; {@code -prof gc} gives the bytes allocated per frame.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(PcapReadBenchmark.FRAMES)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PcapReadBenchmark
{
    static final int FRAMES = 100_000;
    private static final long T0 = 1_700_000_000_000_000_000L;

    /**
     * Snapshot length of the file: 128 as a live capture of headers writes it, 65535 for whole frames.
     */
    @Param({ "128", "65535" })
    public int snaplen;

    private Path file;
    private final Consumer consumer = new Consumer();

    /**
     * Write the capture file once: Ethernet, IPv4, TCP and UDP frames of 64 to 1514 bytes.
     *
     * @throws IOException when the file cannot be written.
     */
    @Setup(Level.Trial)
    public void writeFile() throws IOException
    {
        file = Files.createTempFile("pcap-read-benchmark", ".pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file)
            .magic(PcapFileWriter.MAGIC_NANOSECONDS).linkType(1).snapLength(snaplen))
        {
            final byte[] frame = new byte[1514];
            for (int i = 0; i < FRAMES; i++)
            {
                final int length = 64 + (int)((i * 2654435761L) % 1451);
                fillFrame(frame, length, i);
                writer.record(T0 + i * 1_000L, frame, Math.min(length, snaplen), length);
            }
        }
    }

    /**
     * Remove the capture file.
     *
     * @throws IOException when it cannot be removed.
     */
    @TearDown(Level.Trial)
    public void deleteFile() throws IOException
    {
        Files.deleteIfExists(file);
    }

    /**
     * pcap4j's raw loop: a {@code byte[]} copy, a {@code Timestamp} and a {@code Runnable} per frame.
     *
     * @param blackhole sink for the results.
     * @throws Exception when libpcap fails.
     */
    @Benchmark
    public void pcap4jLoop(final Blackhole blackhole) throws Exception
    {
        final PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try
        {
            final long[] sum = new long[1];
            handle.loop(-1, (RawPacketListener)bytes ->
            {
                sum[0] += bytes.length + bytes[14] + handle.getOriginalLength() + handle.getTimestamp().getNanos();
            });
            blackhole.consume(sum[0]);
        }
        finally
        {
            handle.close();
        }
    }

    /**
     * {@link PcapReadMode#NEXT_EX}: one direct {@code pcap_next_ex} call per frame, read in place.
     *
     * @param blackhole sink for the results.
     * @throws IOException when libpcap fails.
     */
    @Benchmark
    public void nextEx(final Blackhole blackhole) throws IOException
    {
        read(PcapReadMode.NEXT_EX, blackhole);
    }

    /**
     * {@link PcapReadMode#DISPATCH}: one {@code pcap_dispatch} call per batch, read in place.
     *
     * @param blackhole sink for the results.
     * @throws IOException when libpcap fails.
     */
    @Benchmark
    public void dispatch(final Blackhole blackhole) throws IOException
    {
        read(PcapReadMode.DISPATCH, blackhole);
    }

    private void read(final PcapReadMode mode, final Blackhole blackhole) throws IOException
    {
        final Consumer consumer = this.consumer;
        consumer.sum = 0;
        try (PcapFileSource source = PcapFileSource.open(file, null, mode))
        {
            while (!source.isEndOfStream())
            {
                source.poll(consumer, 256);
            }
        }
        blackhole.consume(consumer.sum);
    }

    private static void fillFrame(final byte[] frame, final int length, final int i)
    {
        final ByteBuffer b = ByteBuffer.wrap(frame);
        b.putLong(0x0200_0000_0001_0200L).putInt(0x0000_0002).putShort((short)0x0800);
        b.put((byte)0x45).put((byte)0).putShort((short)(length - 14)).putInt(0).put((byte)64)
            .put((byte)(i % 2 == 0 ? 6 : 17)).putShort((short)0).putInt(0x0A00_0001 + (i & 0xFF)).putInt(0xC633_6407);
        b.putShort((short)(40000 + (i & 0x3FF))).putShort((short)(i % 2 == 0 ? 443 : 53));
    }

    static final class Consumer implements FrameHandler
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
            sum += capturedLength + buffer.getByte(offset + 14) + wireLength + timestampNs;
        }
    }
}
