package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.testing.FrameBuilder;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A live source for the soak run: Ethernet/IPv4 TCP and UDP frames between a fixed set of local hosts in
 * {@code 10.1.0.0/16} and a remote address that changes all the time (a counter walking {@code 11.0.0.0/8}, so tens
 * of millions of distinct peers over an hour), delivered at a steady rate of wall-clock time and stamped with the
 * wall clock. Frames are patched in place in preallocated templates: nothing is allocated per frame.
 */
final class SoakSource implements CaptureSource
{
    private static final int IP_OFFSET = 14;
    private static final int SOURCE_ADDRESS_OFFSET = IP_OFFSET + 12;
    private static final int DESTINATION_ADDRESS_OFFSET = IP_OFFSET + 16;
    private static final int SOURCE_PORT_OFFSET = IP_OFFSET + 20;
    private static final int DESTINATION_PORT_OFFSET = IP_OFFSET + 22;
    private static final int[] PAYLOADS = { 0, 40, 160, 512, 1200 };
    private static final int[] SERVICE_PORTS = { 22, 53, 80, 443, 8080, 3306, 5432, 6379 };
    private static final int REMOTE_BASE = 0x0B00_0000;
    private static final int REMOTE_SPAN = 1 << 24;

    private final long nanosPerFrame;
    private final int localHosts;
    private final int packetsPerPeer;
    private final UnsafeBuffer[] templates = new UnsafeBuffer[2 * PAYLOADS.length];
    private final int[] lengths = new int[templates.length];
    private long startNs;
    private long startEpochNs;
    private volatile long delivered;
    private volatile boolean closed;

    /**
     * A source at a steady rate.
     *
     * @param framesPerSecond the rate.
     * @param localHosts      distinct local hosts.
     * @param packetsPerPeer  packets exchanged with each remote address before the next one.
     */
    SoakSource(final int framesPerSecond, final int localHosts, final int packetsPerPeer)
    {
        this.nanosPerFrame = 1_000_000_000L / framesPerSecond;
        this.localHosts = localHosts;
        this.packetsPerPeer = packetsPerPeer;
        for (int i = 0; i < templates.length; i++)
        {
            final FrameBuilder builder = new FrameBuilder().ethernet().ipv4("10.1.0.1", "11.0.0.1");
            if (0 == i % 2)
            {
                builder.tcp(40_000, 443);
            }
            else
            {
                builder.udp(40_000, 53);
            }
            final byte[] frame = builder.payload(PAYLOADS[i / 2]).build();
            templates[i] = new UnsafeBuffer(new byte[frame.length]);
            templates[i].putBytes(0, frame);
            lengths[i] = frame.length;
        }
    }

    /**
     * Frames delivered so far.
     *
     * @return the count.
     */
    long delivered()
    {
        return delivered;
    }

    /**
     * Distinct remote addresses used so far.
     *
     * @return the count, up to 2^24.
     */
    long distinctPeers()
    {
        return Math.min(REMOTE_SPAN, delivered / packetsPerPeer + 1);
    }

    public String name()
    {
        return "soak";
    }

    public boolean isLive()
    {
        return true;
    }

    /**
     * A live capture's thread sleeps until the kernel hands over a block of frames (see
     * {@code PcapLiveSource.idleStrategy()}); this generator's thread sleeps a millisecond at a time, so it takes the
     * frames due since in one poll instead of waking for each.
     *
     * @return a new idle strategy.
     */
    public IdleStrategy idleStrategy()
    {
        return new SleepingMillisIdleStrategy(1);
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        final long nowNs = System.nanoTime();
        if (0 == startNs)
        {
            startNs = nowNs;
            startEpochNs = System.currentTimeMillis() * 1_000_000L;
        }

        final long due = (nowNs - startNs) / nanosPerFrame;
        long next = delivered;
        int count = 0;
        while (count < limit && next < due && !closed)
        {
            final long h = mix(next);
            final int template = (int)((h >>> 8) % templates.length);
            final UnsafeBuffer frame = templates[template];
            final int local = 0x0A01_0000 + 1 + (int)((h & 0xFFFF_FFFFL) % localHosts);
            final int remote = REMOTE_BASE + (int)((next / packetsPerPeer) % REMOTE_SPAN);
            final boolean outbound = 0 != (h & (1L << 40));
            final int servicePort = SERVICE_PORTS[(int)((h >>> 44) % SERVICE_PORTS.length)];
            final int clientPort = 32_768 + (int)((h >>> 48) % 28_000);
            frame.putInt(SOURCE_ADDRESS_OFFSET, outbound ? local : remote, ByteOrder.BIG_ENDIAN);
            frame.putInt(DESTINATION_ADDRESS_OFFSET, outbound ? remote : local, ByteOrder.BIG_ENDIAN);
            frame.putShort(SOURCE_PORT_OFFSET, (short)(outbound ? clientPort : servicePort), ByteOrder.BIG_ENDIAN);
            frame.putShort(DESTINATION_PORT_OFFSET, (short)(outbound ? servicePort : clientPort), ByteOrder.BIG_ENDIAN);
            final long timestampNs = startEpochNs + next * nanosPerFrame;
            handler.onFrame(frame, 0, lengths[template], lengths[template], LinkType.ETHERNET, timestampNs);
            next++;
            count++;
        }
        delivered = next;

        return count;
    }

    public boolean isEndOfStream()
    {
        return closed;
    }

    public void close()
    {
        closed = true;
    }

    private static long mix(final long i)
    {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
