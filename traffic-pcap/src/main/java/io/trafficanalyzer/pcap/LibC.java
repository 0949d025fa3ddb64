package io.trafficanalyzer.pcap;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The C library's memory streams and {@code poll}, mapped directly: {@code pcap_dispatch} writes frames with
 * {@code pcap_dump} into a stream over our own buffer, and {@link PcapIdleStrategy} waits on the capture sockets.
 * Kept apart from {@link LibPcap} so that a C library without them only disables those two (falling back to
 * {@link PcapReadMode#NEXT_EX} and to sleeping), not the capture.
 */
final class LibC
{
    static final int SEEK_SET = 0;

    /** Size of a {@code struct pollfd}: int fd, short events, short revents. */
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS_OFFSET = 4;
    static final int POLLFD_REVENTS_OFFSET = 6;
    static final short POLLIN = 1;
    static final short POLLERR = 8;
    static final short POLLHUP = 16;
    static final short POLLNVAL = 32;

    /** {@code FSETLOCKING_BYCALLER} of {@code stdio_ext.h}: the stream takes no lock of its own. */
    static final int FSETLOCKING_BYCALLER = 2;

    private static final boolean REGISTERED;

    static
    {
        Native.register(LibC.class, NativeNames.library(Platform.C_LIBRARY_NAME));
        REGISTERED = true;
    }

    private LibC()
    {
    }

    /**
     * Whether the memory streams are available.
     *
     * @return true when {@code fmemopen} and friends could be bound.
     */
    static boolean isAvailable()
    {
        try
        {
            return Native.POINTER_SIZE == 8 && !Platform.isWindows() && REGISTERED;
        }
        catch (final LinkageError ex)
        {
            return false;
        }
    }

    static native long fmemopen(long buffer, long size, String mode);

    static native int fseek(long stream, long offset, int whence);

    static native long ftell(long stream);

    static native int fflush(long stream);

    static native int fclose(long stream);

    static native int poll(long fds, long count, int timeoutMillis);

    /**
     * Tell the C library that only one thread uses a stream, so that its calls take no lock: {@code pcap_dump}
     * makes three calls per frame ({@code ferror} and two {@code fwrite}), each locking the stream otherwise, since a
     * JVM is multi-threaded. Called once per stream, off the packet path; a C library without
     * {@code __fsetlocking} (glibc and musl have it) keeps its locks.
     *
     * @param stream a stream only the calling thread will use.
     * @return true when the locks are off.
     */
    static boolean lockByCaller(final long stream)
    {
        try
        {
            final Function function = NativeNames.library(Platform.C_LIBRARY_NAME).getFunction("__fsetlocking");
            function.invokeInt(new Object[]{ new Pointer(stream), FSETLOCKING_BYCALLER });
            return true;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            return false;
        }
    }
}
