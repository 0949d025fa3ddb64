package io.trafficanalyzer.pcap;

import com.sun.jna.Native;

/**
 * Layout of libpcap's {@code struct pcap_pkthdr} in memory, as {@code pcap_next_ex} hands it out: a
 * {@code struct timeval} of two C longs (seconds, then micro- or nanoseconds by the handle's precision), then the
 * captured and the original length as 32-bit unsigned integers, all in the host's byte order.
 * <pre>
 *   0                   LONG_SIZE            2 * LONG_SIZE     + 4
 *  +--------------------+--------------------+--------------------+-------------+
 *  |  tv_sec            |  tv_usec (or nsec) |  caplen            |  len        |
 *  +--------------------+--------------------+--------------------+-------------+
 * </pre>
 * On LP64 systems a C long is 8 bytes (header of 24 bytes); on Windows it is 4 (16 bytes). macOS declares
 * {@code tv_usec} as a 4-byte int followed by padding, which reads the same in little-endian order.
 */
final class PacketHeaderDescriptor
{
    static final int LONG_SIZE = Native.LONG_SIZE;
    static final int TS_SECONDS_OFFSET = 0;
    static final int TS_FRACTION_OFFSET = LONG_SIZE;
    static final int CAPTURED_LENGTH_OFFSET = 2 * LONG_SIZE;
    static final int WIRE_LENGTH_OFFSET = CAPTURED_LENGTH_OFFSET + 4;
    static final int LENGTH = WIRE_LENGTH_OFFSET + 4;

    private PacketHeaderDescriptor()
    {
    }
}
