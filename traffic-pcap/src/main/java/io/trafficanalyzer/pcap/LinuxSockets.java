package io.trafficanalyzer.pcap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library's socket, memory-mapping and interface calls a {@link PacketRing} is made of, mapped directly.
 * Loaded only on Linux, when a ring is opened; setup calls report {@code errno} as a {@link LastErrorException}.
 * None is made per frame.
 */
final class LinuxSockets
{
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_RESERVE = 12;
    static final int PACKET_MR_PROMISC = 1;
    static final int TPACKET_V3 = 2;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1;
    static final int EPERM = 1;
    static final int ENXIO = 6;
    static final int ENODEV = 19;
    static final int EACCES = 13;
    static final int ENETDOWN = 100;

    static
    {
        Native.register(LinuxSockets.class, NativeNames.library(Platform.C_LIBRARY_NAME));
    }

    private LinuxSockets()
    {
    }

    /**
     * Whether packet rings can be used here at all: Linux on a 64-bit JVM, with the calls bound.
     *
     * @return true when {@link PacketRing} may be tried.
     */
    static boolean isAvailable()
    {
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8)
        {
            return false;
        }
        try
        {
            return ifNametoindex("lo") >= 0;
        }
        catch (final LinkageError ex)
        {
            return false;
        }
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, long value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, long value, long lengthAddress)
        throws LastErrorException;

    static native int bind(int fd, long address, int length) throws LastErrorException;

    static native int getsockname(int fd, long address, long lengthAddress) throws LastErrorException;

    static native long mmap(long address, long length, int protection, int flags, int fd, long offset)
        throws LastErrorException;

    static native int munmap(long address, long length);

    static native int close(int fd);

    static native int ifNametoindex(String name);

    static native String strerror(int errno);
}
