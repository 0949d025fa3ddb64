package io.trafficanalyzer.pcap;

/**
 * The kernel's counters of one interface's capture, summed over every capture opened on it: a {@link FrameReader}
 * adds what the kernel counted since its last reading. Written and read by the capture thread only.
 */
final class KernelCounters
{
    private long received;
    private long dropped;
    private long interfaceDropped;

    /**
     * Add counters read as differences.
     *
     * @param receivedDelta         frames the kernel received for the capture, drops included.
     * @param droppedDelta          frames it dropped for want of buffer space.
     * @param interfaceDroppedDelta frames the interface dropped.
     */
    void add(final long receivedDelta, final long droppedDelta, final long interfaceDroppedDelta)
    {
        received += receivedDelta;
        dropped += droppedDelta;
        interfaceDropped += interfaceDroppedDelta;
    }

    long received()
    {
        return received;
    }

    long dropped()
    {
        return dropped;
    }

    long interfaceDropped()
    {
        return interfaceDropped;
    }
}
