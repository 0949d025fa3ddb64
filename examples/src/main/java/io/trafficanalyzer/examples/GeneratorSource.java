package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * An example of a custom capture source: synthesises IPv4/TCP frames with a fixed pattern, e.g. to load-test a
 * sink or to demonstrate the pipeline without a capture file.
 * <p>
 * Packet {@code i} belongs to local host {@code h = i % hosts}, whose address is {@code 10.0.0.1} plus {@code h};
 * in even rounds ({@code i / hosts} even) the host sends to {@code 192.0.2.1} port 443 from port
 * {@code 49152 + h % 16384}, in odd rounds it receives the reply. Every packet has {@code size} IP bytes and is
 * stamped {@code start + i / pps} seconds. Only the 40 header bytes are "captured", as with a short snap length:
 * the byte counts come from the IP header. One buffer is rewritten for every frame: nothing is allocated per frame.
 */
public final class GeneratorSource implements CaptureSource
{
    /** Bytes handed over per frame: the IPv4 and TCP headers. */
    public static final int CAPTURED_LENGTH = 40;
    /** The remote peer of every host. */
    public static final String REMOTE = "192.0.2.1";
    /** The service port on the remote peer. */
    public static final int SERVICE_PORT = 443;

    private static final int LOCAL_BASE = 0x0A000001;
    private static final int REMOTE_ADDRESS = 0xC0000201;
    private static final int SOURCE_OFFSET = 12;
    private static final int DESTINATION_OFFSET = 16;
    private static final int SOURCE_PORT_OFFSET = 20;
    private static final int DESTINATION_PORT_OFFSET = 22;

    private final long packets;
    private final int hosts;
    private final int size;
    private final long startNs;
    private final long pps;
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(CAPTURED_LENGTH));
    private long next;
    private boolean closed;

    /**
     * A generator.
     *
     * @param packets how many packets in all.
     * @param hosts   how many local hosts, 1 to 65536.
     * @param size    IP bytes of each packet, 40 to 65535.
     * @param pps     packets per second of packet time, at least 1.
     * @param start   timestamp of the first packet.
     * @throws IllegalArgumentException naming a setting out of range.
     */
    public GeneratorSource(final long packets, final int hosts, final int size, final long pps, final Instant start)
    {
        check("packets", packets, 0, Long.MAX_VALUE);
        check("hosts", hosts, 1, 65_536);
        check("size", size, CAPTURED_LENGTH, 65_535);
        check("pps", pps, 1, 1_000_000_000L);
        this.packets = packets;
        this.hosts = hosts;
        this.size = size;
        this.pps = pps;
        this.startNs = Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L) + start.getNano();

        frame.putByte(0, (byte)0x45);
        frame.putShort(2, (short)size, ByteOrder.BIG_ENDIAN);
        frame.putByte(8, (byte)64);
        frame.putByte(9, (byte)6);
        frame.putByte(32, (byte)0x50);
    }

    /**
     * The source's name.
     *
     * @return "generator".
     */
    public String name()
    {
        return "generator";
    }

    /**
     * Synthetic frames come as fast as they are taken, like a file's.
     *
     * @return false.
     */
    public boolean isLive()
    {
        return false;
    }

    /**
     * Deliver up to {@code limit} frames.
     *
     * @param handler receives each frame.
     * @param limit   the maximum number of frames.
     * @return the frames delivered.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && next < packets && !closed)
        {
            final int host = (int)(next % hosts);
            final int local = LOCAL_BASE + host;
            final int clientPort = 49152 + host % 16384;
            final boolean outbound = ((next / hosts) & 1) == 0;
            frame.putInt(SOURCE_OFFSET, outbound ? local : REMOTE_ADDRESS, ByteOrder.BIG_ENDIAN);
            frame.putInt(DESTINATION_OFFSET, outbound ? REMOTE_ADDRESS : local, ByteOrder.BIG_ENDIAN);
            frame.putShort(SOURCE_PORT_OFFSET, (short)(outbound ? clientPort : SERVICE_PORT), ByteOrder.BIG_ENDIAN);
            frame.putShort(DESTINATION_PORT_OFFSET, (short)(outbound ? SERVICE_PORT : clientPort),
                ByteOrder.BIG_ENDIAN);
            final long timestampNs = startNs + next / pps * 1_000_000_000L + next % pps * 1_000_000_000L / pps;
            handler.onFrame(frame, 0, CAPTURED_LENGTH, size, LinkType.RAW, timestampNs);
            next++;
            count++;
        }

        return count;
    }

    /**
     * Whether every packet was delivered.
     *
     * @return true at the end.
     */
    public boolean isEndOfStream()
    {
        return next >= packets || closed;
    }

    /**
     * Stop generating.
     */
    public void close()
    {
        closed = true;
    }

    private static void check(final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + "=" + value + ": must be from " + min + " to " + max);
        }
    }
}
