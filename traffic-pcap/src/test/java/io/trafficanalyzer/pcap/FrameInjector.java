package io.trafficanalyzer.pcap;

import com.sun.jna.Native;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Sends raw Ethernet frames on an interface through libpcap ({@code pcap_sendpacket}), so the tests know every byte
 * that crosses the wire.
 */
public final class FrameInjector implements AutoCloseable
{
    static
    {
        Native.register(FrameInjector.class, NativeNames.library(NativeNames.pcapLibraryName()));
    }

    private final long pcap;
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));

    /**
     * Opens the interface for sending.
     *
     * @param interfaceName the interface, in the calling thread's namespace.
     * @throws PcapException when it cannot be opened.
     */
    public FrameInjector(final String interfaceName) throws PcapException
    {
        PcapHandles.loadLibrary();
        final UnsafeBuffer errbuf = PcapHandles.errorBuffer();
        pcap = LibPcap.pcapCreate(interfaceName, errbuf.addressOffset());
        final int rc = LibPcap.pcapActivate(pcap);
        if (rc < 0)
        {
            final String error = LibPcap.pcapGeterr(pcap);
            LibPcap.pcapClose(pcap);
            throw new PcapException(PcapException.Reason.OPEN_FAILED, "cannot send on " + interfaceName + ": " + error);
        }
    }

    /**
     * Sends a frame a number of times.
     *
     * @param bytes the whole frame, up to 2048 bytes.
     * @param count how many times.
     */
    public void send(final byte[] bytes, final int count)
    {
        frame.putBytes(0, bytes);
        for (int i = 0; i < count; i++)
        {
            if (pcapSendpacket(pcap, frame.addressOffset(), bytes.length) != 0)
            {
                throw new IllegalStateException("pcap_sendpacket failed: " + LibPcap.pcapGeterr(pcap));
            }
        }
    }

    /**
     * Closes the interface.
     */
    public void close()
    {
        LibPcap.pcapClose(pcap);
    }

    static native int pcapSendpacket(long pcap, long buffer, int size);
}
