package io.trafficanalyzer.core.codec;

/**
 * Layout of the BSD loopback header: LINKTYPE_NULL (address family in the byte order of the capturing host) and
 * LINKTYPE_LOOP (address family in network byte order).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Address Family                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * AF_INET is 2 everywhere; AF_INET6 differs by the operating system that wrote the capture.
 */
final class LoopbackDescriptor
{
    static final int FAMILY_OFFSET = 0;
    static final int HEADER_LENGTH = 4;

    /**
     * Every family value is small, so a value with bits in the upper half was written in the other byte order.
     */
    static final int OTHER_BYTE_ORDER_MASK = 0xFFFF_0000;

    static final int AF_INET = 2;
    static final int AF_INET6_LINUX = 10;
    static final int AF_INET6_NETBSD_OPENBSD = 24;
    static final int AF_INET6_FREEBSD = 28;
    static final int AF_INET6_DARWIN = 30;

    private LoopbackDescriptor()
    {
    }
}
