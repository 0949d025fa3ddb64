package io.trafficanalyzer.core.live;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Per-second totals of the last seconds of packet time, written by the capture agent and read by any thread for
 * the live rates. One 64-byte slot per second in a ring of slots, and one more for the latest second and the times
 * of the stream's first and latest packets; values are published with ordered writes, so a reader sees each count
 * whole, though the counts of one second may be read mid-update. The packets of the current second are summed in
 * plain fields and published by {@link #publish()}, which the capture agent calls once per poll, and when the second
 * changes: a packet costs a few additions, not a store to shared memory.
 */
public final class LiveRates
{
    static final int SECOND_OFFSET = 0;
    static final int PACKETS_OFFSET = 8;
    static final int BYTES_OFFSET = 16;
    static final int IN_PACKETS_OFFSET = 24;
    static final int IN_BYTES_OFFSET = 32;
    static final int OUT_PACKETS_OFFSET = 40;
    static final int OUT_BYTES_OFFSET = 48;
    static final int SLOT_LENGTH = 64;
    static final int LATEST_SECOND_OFFSET = 0;
    static final int FIRST_NS_OFFSET = 8;
    static final int LATEST_NS_OFFSET = 16;
    static final long NO_TIME = Long.MIN_VALUE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NO_SECOND = Long.MIN_VALUE;

    private final boolean enabled;
    private final int slots;
    private final int mask;
    private final UnsafeBuffer buffer;
    private final int latestOffset;
    private long currentSecond = NO_SECOND;
    private long currentStartNs;
    private int currentOffset;
    private long latestNs = NO_TIME;
    private long pendingPackets;
    private long pendingBytes;
    private long pendingInPackets;
    private long pendingInBytes;
    private long pendingOutPackets;
    private long pendingOutBytes;

    /**
     * Rates over a window of seconds.
     *
     * @param enabled       false to count nothing, for an analyzer without a live view.
     * @param windowSeconds the longest window a reader may ask for.
     */
    public LiveRates(final boolean enabled, final int windowSeconds)
    {
        this.enabled = enabled;
        this.slots = BitUtil.findNextPositivePowerOfTwo(Math.max(2, windowSeconds + 2));
        this.mask = slots - 1;
        this.latestOffset = slots * SLOT_LENGTH;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned((slots + 1) * SLOT_LENGTH, SLOT_LENGTH));
        for (int i = 0; i < slots; i++)
        {
            buffer.putLong(i * SLOT_LENGTH + SECOND_OFFSET, NO_SECOND);
        }
        buffer.putLong(latestOffset + FIRST_NS_OFFSET, NO_TIME);
        buffer.putLong(latestOffset + LATEST_NS_OFFSET, NO_TIME);
        buffer.putLongVolatile(latestOffset + LATEST_SECOND_OFFSET, NO_SECOND);
    }

    int maxWindowSeconds()
    {
        return slots - 2;
    }

    /**
     * Count one packet in the second of its timestamp.
     *
     * @param timestampNs the packet's time.
     * @param bytes       its IP bytes.
     * @param inbound     whether a local host received it.
     * @param outbound    whether a local host sent it.
     */
    public void onPacket(final long timestampNs, final int bytes, final boolean inbound, final boolean outbound)
    {
        if (!enabled)
        {
            return;
        }

        if (NO_SECOND != currentSecond && timestampNs >= currentStartNs &&
            timestampNs - currentStartNs < NANOS_PER_SECOND)
        {
            latestNs = Math.max(latestNs, timestampNs);
            pendingPackets++;
            pendingBytes += bytes;
            if (inbound)
            {
                pendingInPackets++;
                pendingInBytes += bytes;
            }
            if (outbound)
            {
                pendingOutPackets++;
                pendingOutBytes += bytes;
            }
            return;
        }

        onOtherSecond(timestampNs, bytes, inbound, outbound);
    }

    /**
     * Publish the counts of the current second summed since the last call.
     */
    public void publish()
    {
        if (0 == pendingPackets)
        {
            return;
        }

        final int offset = currentOffset;
        add(offset + PACKETS_OFFSET, pendingPackets);
        add(offset + BYTES_OFFSET, pendingBytes);
        add(offset + IN_PACKETS_OFFSET, pendingInPackets);
        add(offset + IN_BYTES_OFFSET, pendingInBytes);
        add(offset + OUT_PACKETS_OFFSET, pendingOutPackets);
        add(offset + OUT_BYTES_OFFSET, pendingOutBytes);
        pendingPackets = 0;
        pendingBytes = 0;
        pendingInPackets = 0;
        pendingInBytes = 0;
        pendingOutPackets = 0;
        pendingOutBytes = 0;
        buffer.putLongOrdered(latestOffset + LATEST_NS_OFFSET, latestNs);
    }

    /**
     * A new capture stream begins, with a clock of its own: its first packet starts the seconds again, even when
     * it is older than the seconds seen so far.
     */
    public void restart()
    {
        publish();
        currentSecond = NO_SECOND;
        currentStartNs = 0;
    }

    private void onOtherSecond(final long timestampNs, final int bytes, final boolean inbound, final boolean outbound)
    {
        final int offset;
        final long second = Math.floorDiv(timestampNs, NANOS_PER_SECOND);
        if (second > currentSecond)
        {
            publish();
            offset = (int)(second & mask) * SLOT_LENGTH;
            buffer.putLongOrdered(offset + SECOND_OFFSET, NO_SECOND);
            buffer.setMemory(offset + PACKETS_OFFSET, SLOT_LENGTH - PACKETS_OFFSET, (byte)0);
            buffer.putLongOrdered(offset + SECOND_OFFSET, second);
            if (NO_SECOND == currentSecond)
            {
                buffer.putLongOrdered(latestOffset + FIRST_NS_OFFSET, timestampNs);
            }
            buffer.putLongOrdered(latestOffset + LATEST_SECOND_OFFSET, second);
            latestNs = timestampNs;
            currentSecond = second;
            currentStartNs = second * NANOS_PER_SECOND;
            currentOffset = offset;
        }
        else
        {
            final int lateOffset = (int)(second & mask) * SLOT_LENGTH;
            if (buffer.getLong(lateOffset + SECOND_OFFSET) != second)
            {
                return;
            }
            offset = lateOffset;
        }

        add(offset + PACKETS_OFFSET, 1);
        add(offset + BYTES_OFFSET, bytes);
        if (inbound)
        {
            add(offset + IN_PACKETS_OFFSET, 1);
            add(offset + IN_BYTES_OFFSET, bytes);
        }
        if (outbound)
        {
            add(offset + OUT_PACKETS_OFFSET, 1);
            add(offset + OUT_BYTES_OFFSET, bytes);
        }
        buffer.putLongOrdered(latestOffset + LATEST_NS_OFFSET, latestNs);
    }

    /**
     * The latest second of packet time counted.
     *
     * @return the second, or {@link Long#MIN_VALUE} before the first packet.
     */
    long latestSecond()
    {
        return buffer.getLongVolatile(latestOffset + LATEST_SECOND_OFFSET);
    }

    /**
     * The time of the latest packet counted, late packets aside.
     *
     * @return nanoseconds, or {@link #NO_TIME} before the first packet.
     */
    long latestNs()
    {
        return buffer.getLongVolatile(latestOffset + LATEST_NS_OFFSET);
    }

    /**
     * Sum the seconds of the current stream that lie whole within the window {@code (endNs - seconds, endNs]} into
     * {@code totals}: packets, bytes, in packets, in bytes, out packets, out bytes.
     *
     * @param endNs   end of the window.
     * @param seconds length of the window, at most {@link #maxWindowSeconds()}.
     * @param totals  six counts, overwritten.
     * @return the nanoseconds the sums cover: from the start of the oldest second summed, or from the stream's first
     * packet when that is later, to {@code endNs}; 0 before the first packet.
     */
    long read(final long endNs, final int seconds, final long[] totals)
    {
        Arrays.fill(totals, 0);
        final long firstNs = buffer.getLongVolatile(latestOffset + FIRST_NS_OFFSET);
        if (NO_TIME == firstNs)
        {
            return 0;
        }

        final int window = Math.min(seconds, maxWindowSeconds());
        // the oldest second that lies whole within the window, so that the sums and the time they cover match
        final long oldestSecond = Math.floorDiv(endNs - window * NANOS_PER_SECOND, NANOS_PER_SECOND) + 1;
        final long lastSecond = Math.floorDiv(endNs, NANOS_PER_SECOND);
        // the seconds before the stream's first packet may hold an earlier stream's counts
        for (long second = Math.max(oldestSecond, Math.floorDiv(firstNs, NANOS_PER_SECOND)); second <= lastSecond;
            second++)
        {
            final int offset = (int)(second & mask) * SLOT_LENGTH;
            if (buffer.getLongVolatile(offset + SECOND_OFFSET) == second)
            {
                for (int i = 0; i < 6; i++)
                {
                    totals[i] += buffer.getLongVolatile(offset + PACKETS_OFFSET + i * 8);
                }
            }
        }

        return Math.max(0, endNs - Math.max(oldestSecond * NANOS_PER_SECOND, firstNs));
    }

    private void add(final int offset, final long delta)
    {
        buffer.putLongOrdered(offset, buffer.getLong(offset) + delta);
    }
}
