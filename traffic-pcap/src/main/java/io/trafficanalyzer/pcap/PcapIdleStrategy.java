package io.trafficanalyzer.pcap;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits in {@code poll(2)} on the sockets of a {@link PcapLiveSource} when a poll of the source found no frames:
 * the kernel wakes the thread when a block of frames is ready (or an error is pending), so the capture thread
 * neither spins nor wakes on a timer while the link is quiet. Obtained from
 * {@link PcapLiveSource#idleStrategy(int)}; used by the one thread that polls the source. Allocates nothing.
 */
public final class PcapIdleStrategy implements IdleStrategy
{
    private final LiveChannel[] channels;
    private final int maxWaitMillis;
    private final UnsafeBuffer pollfds;
    private final boolean canPoll;

    PcapIdleStrategy(final LiveChannel[] channels, final int maxWaitMillis)
    {
        if (maxWaitMillis < 1)
        {
            throw new IllegalArgumentException("maxWaitMillis=" + maxWaitMillis + ": must be >= 1");
        }
        this.channels = channels;
        this.maxWaitMillis = maxWaitMillis;
        this.pollfds = new UnsafeBuffer(ByteBuffer.allocateDirect(LibC.POLLFD_SIZE * channels.length));
        this.canPoll = LibC.isAvailable();
    }

    /**
     * Wait for frames unless the last poll found some.
     *
     * @param workCount frames the last poll delivered.
     */
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    /**
     * Wait until a capture socket is readable or the longest wait passed.
     */
    public void idle()
    {
        int count = 0;
        if (canPoll)
        {
            for (final LiveChannel channel : channels)
            {
                final int fd = channel.selectableFd();
                if (fd >= 0)
                {
                    final int offset = count * LibC.POLLFD_SIZE;
                    pollfds.putInt(offset, fd);
                    pollfds.putShort(offset + LibC.POLLFD_EVENTS_OFFSET, LibC.POLLIN);
                    pollfds.putShort(offset + LibC.POLLFD_REVENTS_OFFSET, (short)0);
                    count++;
                }
            }
        }

        if (count > 0)
        {
            LibC.poll(pollfds.addressOffset(), count, maxWaitMillis);
        }
        else
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(maxWaitMillis));
        }
    }

    /**
     * Nothing to reset: every wait is decided afresh.
     */
    public void reset()
    {
    }

    /**
     * {@inheritDoc}
     */
    public String alias()
    {
        return "pcap-poll";
    }
}
