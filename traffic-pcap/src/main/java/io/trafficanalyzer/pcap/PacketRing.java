package io.trafficanalyzer.pcap;

import com.sun.jna.LastErrorException;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * {@link PcapReadMode#RING}: a packet socket of our own with the kernel's {@code TPACKET_V3} ring mapped into the
 * process, read where the kernel wrote each frame. libpcap does the same internally, then copies every frame out
 * (into {@code pcap_dump}'s stream, or its own buffer): here a frame is decoded in the ring and its block handed back
 * to the kernel once read, so a busy capture makes no call into C and copies nothing.
 * <p>
 * What libpcap would do for such a socket is done here too: the BPF filter (compiled by libpcap for the interface,
 * so that {@code vlan} tests use the kernel's tag metadata) and the snapshot length run in the kernel; VLAN tags the
 * kernel took out of the frame are put back in place, in room it leaves before each frame ({@code PACKET_RESERVE}),
 * as is the cooked header of an {@code any} capture; on loopback the copy of each frame seen going out is skipped;
 * the kernel's counters are read with {@code PACKET_STATISTICS}; a socket error (interface down or removed) fails
 * the reader like a libpcap error. Serves Ethernet and loopback interfaces, and {@code any}, on Linux; {@link #open}
 * returns null otherwise and the channel uses libpcap.
 */
final class PacketRing extends FrameReader
{
    private static final int ETH_P_ALL_NETWORK_ORDER = 0x0300;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int DLT_EN10MB = 1;
    private static final int DLT_LINUX_SLL2 = 276;
    private static final int SOCK_DGRAM = 2;
    private static final int MIN_BLOCK_SIZE = 1 << 18;
    private static final int MAX_BLOCK_SIZE = 1 << 20;
    private static final int BLOCKS_PER_BUFFER = 8;
    private static final int DEFAULT_BUFFER_SIZE = 2 * 1024 * 1024;
    private static final int MIN_BLOCKS = 2;
    private static final int MAX_BLOCKS = Integer.MAX_VALUE / MAX_BLOCK_SIZE;

    // struct tpacket_block_desc: version, offset_to_priv, then struct tpacket_hdr_v1
    private static final int BLOCK_STATUS_OFFSET = 8;
    private static final int BLOCK_PACKETS_OFFSET = 12;
    private static final int BLOCK_FIRST_PACKET_OFFSET = 16;

    // struct tpacket3_hdr, then struct sockaddr_ll at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) = 48
    private static final int NEXT_OFFSET = 0;
    private static final int SECONDS_OFFSET = 4;
    private static final int NANOS_OFFSET = 8;
    private static final int CAPTURED_LENGTH_OFFSET = 12;
    private static final int WIRE_LENGTH_OFFSET = 16;
    private static final int STATUS_OFFSET = 20;
    private static final int MAC_OFFSET = 24;
    private static final int VLAN_TCI_OFFSET = 32;
    private static final int VLAN_TPID_OFFSET = 36;
    private static final int NET_OFFSET = 26;
    private static final int ADDRESS_OFFSET = 48;
    private static final int ADDRESS_PROTOCOL_OFFSET = ADDRESS_OFFSET + 2;
    private static final int ADDRESS_IFINDEX_OFFSET = ADDRESS_OFFSET + 4;
    private static final int ADDRESS_HATYPE_OFFSET = ADDRESS_OFFSET + 8;
    private static final int PACKET_TYPE_OFFSET = ADDRESS_OFFSET + 10;
    private static final int ADDRESS_LENGTH_OFFSET = ADDRESS_OFFSET + 11;
    private static final int ADDRESS_BYTES_OFFSET = ADDRESS_OFFSET + 12;

    // the Linux cooked v2 header written in front of each frame of an "any" capture, as libpcap writes it
    private static final int SLL2_LENGTH = 20;
    private static final int SLL2_IFINDEX_OFFSET = 4;
    private static final int SLL2_HATYPE_OFFSET = 8;
    private static final int SLL2_PACKET_TYPE_OFFSET = 10;
    private static final int SLL2_ADDRESS_LENGTH_OFFSET = 11;
    private static final int SLL2_ADDRESS_OFFSET = 12;
    private static final int COOKED_RESERVE = SLL2_LENGTH + 4;


    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_VLAN_VALID = 0x10;
    private static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    private static final int PACKET_OUTGOING = 4;
    private static final int VLAN_TAG_LENGTH = 4;
    private static final int ETHERNET_ADDRESSES_LENGTH = 12;
    private static final short ETH_P_8021Q = (short)0x8100;

    private final String interfaceName;
    private final int fd;
    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int blockCount;
    private final int loopbackIndex;
    private final boolean isCooked;
    private final boolean truncateToMicros;
    private final boolean promiscuous;
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private long interfaceDropsSeen;
    private int block;
    private int blockOffset = -1;
    private int packetsLeft;
    private int packetOffset;

    private PacketRing(
        final String interfaceName,
        final int fd,
        final UnsafeBuffer ring,
        final int blockSize,
        final int blockCount,
        final int loopbackIndex,
        final boolean isCooked,
        final LiveSettings settings)
    {
        super(isCooked ? DLT_LINUX_SLL2 : DLT_EN10MB, 1);
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.loopbackIndex = loopbackIndex;
        this.isCooked = isCooked;
        this.truncateToMicros = !settings.nanosecondTimestamps;
        this.promiscuous = settings.promiscuous;
        this.interfaceDropsSeen = promiscuous ? interfaceDrops(interfaceName) : 0;
    }

    /**
     * Whether a ring may serve this interface with these settings: Linux, not immediate mode (a ring hands frames over
     * a block at a time), not {@code any} in promiscuous mode (which libpcap refuses too). Whether the interface is
     * Ethernet or loopback is known once bound, see {@link #open}.
     *
     * @param interfaceName the interface.
     * @param settings      the capture's settings.
     * @return true when {@link #open} may be called.
     */
    static boolean canServe(final String interfaceName, final LiveSettings settings)
    {
        if (settings.immediateMode || (settings.promiscuous && PcapLiveSource.ANY.equals(interfaceName)) ||
            !LinuxSockets.isAvailable())
        {
            return false;
        }

        return true;
    }

    /**
     * Open a packet socket on the interface, set its filter, ring and memberships, map the ring and bind.
     *
     * @param interfaceName the interface, for which {@link #canServe} said yes.
     * @param settings      snapshot length, filter, buffer size, timeout, promiscuous mode.
     * @return the reader, owning the socket and the mapping; null when the interface is neither Ethernet nor
     *         loopback, or the filter for {@code any} cannot run on the cooked socket (libpcap knows how to read
     *         those).
     * @throws PcapException naming the interface and the cause.
     */
    static PacketRing open(final String interfaceName, final LiveSettings settings) throws PcapException
    {
        // "any": one socket on every interface, reading from the network header; each frame gets a cooked header
        final boolean isAny = PcapLiveSource.ANY.equals(interfaceName);
        final int ifindex = isAny ? 0 : LinuxSockets.ifNametoindex(interfaceName);
        if (ifindex <= 0 && !isAny)
        {
            throw new PcapException(PcapException.Reason.NO_SUCH_INTERFACE, "no interface " + interfaceName);
        }
        final UnsafeBuffer program = PcapHandles.kernelFilter(interfaceName, settings, isAny ? DLT_LINUX_SLL2 : -1);
        if (null == program || (isAny && !KernelFilters.toNetworkLayer(program, SLL2_LENGTH)))
        {
            return null;
        }

        final int fd = socket(interfaceName, isAny ? SOCK_DGRAM : LinuxSockets.SOCK_RAW);

        long address = LinuxSockets.MAP_FAILED;
        long length = 0;
        boolean opened = false;
        try
        {
            final UnsafeBuffer args = new UnsafeBuffer(ByteBuffer.allocateDirect(32));
            final int bufferSize = settings.bufferSize > 0 ? settings.bufferSize : DEFAULT_BUFFER_SIZE;
            final int blockSize = blockSize(bufferSize);
            final int blockCount = (int)Math.min(
                MAX_BLOCKS, Math.max(MIN_BLOCKS, ((long)bufferSize + blockSize - 1) / blockSize));
            setUpRing(fd, program, blockSize, blockCount, settings.timeoutMillis,
                isAny ? COOKED_RESERVE : VLAN_TAG_LENGTH, args);
            length = (long)blockSize * blockCount;
            address = LinuxSockets.mmap(
                0, length, LinuxSockets.PROT_READ | LinuxSockets.PROT_WRITE, LinuxSockets.MAP_SHARED, fd, 0);
            bind(fd, ifindex, settings.promiscuous && !isAny, args);
            final int hardwareType = isAny ? ARPHRD_ETHER : hardwareType(fd, args);
            if (ARPHRD_ETHER != hardwareType && ARPHRD_LOOPBACK != hardwareType)
            {
                return null;
            }

            // binding to an interface that is down succeeds and leaves the error on the socket
            final int error = socketError(fd, args);
            if (LinuxSockets.ENETDOWN == error)
            {
                throw new PcapException(
                    PcapException.Reason.INTERFACE_DOWN, "interface " + interfaceName + " is not up");
            }
            if (0 != error)
            {
                throw new PcapException(
                    PcapException.Reason.OPEN_FAILED,
                    "cannot capture on " + interfaceName + ": " + LinuxSockets.strerror(error));
            }

            final PacketRing ring = new PacketRing(
                interfaceName,
                fd,
                new UnsafeBuffer(address, (int)length),
                blockSize,
                blockCount,
                isAny ? LinuxSockets.ifNametoindex("lo") : (ARPHRD_LOOPBACK == hardwareType ? ifindex : -1),
                isAny,
                settings);
            opened = true;

            return ring;
        }
        catch (final LastErrorException ex)
        {
            if (ex.getErrorCode() == LinuxSockets.EPERM || ex.getErrorCode() == LinuxSockets.EACCES)
            {
                throw PcapException.permissionDenied(interfaceName, describe(ex));
            }
            if (ex.getErrorCode() == LinuxSockets.ENODEV || ex.getErrorCode() == LinuxSockets.ENXIO)
            {
                throw new PcapException(
                    PcapException.Reason.NO_SUCH_INTERFACE, "no interface " + interfaceName + ": " + describe(ex));
            }
            throw failure(interfaceName, "packet ring", ex);
        }
        finally
        {
            if (!opened)
            {
                if (LinuxSockets.MAP_FAILED != address)
                {
                    LinuxSockets.munmap(address, length);
                }
                LinuxSockets.close(fd);
            }
        }
    }

    int read(final FrameHandler handler, final int limit)
    {
        final UnsafeBuffer ring = this.ring;
        int delivered = 0;
        while (delivered < limit && status == READY)
        {
            if (packetsLeft == 0)
            {
                final int blockOffset = block * blockSize;
                if ((ring.getIntVolatile(blockOffset + BLOCK_STATUS_OFFSET) & TP_STATUS_USER) == 0)
                {
                    if (0 == delivered)
                    {
                        checkSocket();
                    }
                    break;
                }
                this.blockOffset = blockOffset;
                packetsLeft = ring.getInt(blockOffset + BLOCK_PACKETS_OFFSET);
                packetOffset = blockOffset + ring.getInt(blockOffset + BLOCK_FIRST_PACKET_OFFSET);
                if (0 == packetsLeft)
                {
                    releaseBlock();
                    continue;
                }
            }

            final int packet = packetOffset;
            packetOffset = packet + ring.getInt(packet + NEXT_OFFSET);
            delivered += deliver(handler, ring, packet);
            if (--packetsLeft == 0)
            {
                // the block goes back once its last frame has been handed over
                releaseBlock();
            }
        }

        return delivered;
    }

    PcapReadMode mode()
    {
        return PcapReadMode.RING;
    }

    /**
     * Add the kernel's counters since the last call to the channel's sums ({@code PACKET_STATISTICS} resets them as
     * it reads them); in promiscuous mode, also the interface's own drops since the ring was opened, as libpcap does.
     *
     * @param channel the sums.
     */
    void updateStatistics(final LiveChannel channel)
    {
        scratch.putInt(12, 12);
        try
        {
            LinuxSockets.getsockopt(
                fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_STATISTICS, scratch.addressOffset(),
                scratch.addressOffset() + 12);
        }
        catch (final LastErrorException ex)
        {
            return;
        }

        // struct tpacket_stats_v3: tp_packets (drops included), tp_drops, tp_freeze_q_cnt
        long interfaceDropped = 0;
        if (promiscuous)
        {
            final long drops = interfaceDrops(interfaceName);
            if (drops >= interfaceDropsSeen && interfaceDropsSeen >= 0)
            {
                interfaceDropped = drops - interfaceDropsSeen;
            }
            interfaceDropsSeen = drops;
        }
        channel.count(scratch.getInt(0) & 0xFFFF_FFFFL, scratch.getInt(4) & 0xFFFF_FFFFL, interfaceDropped);
    }

    int fd()
    {
        return fd;
    }

    void close()
    {
        LinuxSockets.munmap(ring.addressOffset(), ring.capacity());
        LinuxSockets.close(fd);
    }

    private int deliver(final FrameHandler handler, final UnsafeBuffer ring, final int packet)
    {
        final int status = ring.getInt(packet + STATUS_OFFSET);
        if ((ring.getByte(packet + PACKET_TYPE_OFFSET) & 0xFF) == PACKET_OUTGOING &&
            ring.getInt(packet + ADDRESS_IFINDEX_OFFSET) == loopbackIndex)
        {
            // loopback shows each frame twice, going out and coming in: libpcap keeps the second
            return 0;
        }

        // what the kernel took out of the frame goes back in the room it reserved before it (PACKET_RESERVE)
        final int capturedLength = ring.getInt(packet + CAPTURED_LENGTH_OFFSET);
        final int data = packet + (ring.getShort(packet + (isCooked ? NET_OFFSET : MAC_OFFSET)) & 0xFFFF);
        int start = data;
        if (isCooked)
        {
            start = putCookedHeader(ring, packet, data, status);
        }
        else if ((status & TP_STATUS_VLAN_VALID) != 0 && capturedLength >= ETHERNET_ADDRESSES_LENGTH)
        {
            start = putTagBack(ring, packet, data, status);
        }

        final long seconds = ring.getInt(packet + SECONDS_OFFSET) & 0xFFFF_FFFFL;
        long nanos = ring.getInt(packet + NANOS_OFFSET) & 0xFFFF_FFFFL;
        if (truncateToMicros)
        {
            nanos -= nanos % 1000;
        }
        final int added = data - start;
        handler.onFrame(ring, start, capturedLength + added, ring.getInt(packet + WIRE_LENGTH_OFFSET) + added,
            linkType, seconds * 1_000_000_000L + nanos);

        return 1;
    }

    // the two Ethernet addresses move 4 bytes forward and the tag goes after them; returns where the frame starts
    private static int putTagBack(final UnsafeBuffer ring, final int packet, final int data, final int status)
    {
        final int start = data - VLAN_TAG_LENGTH;
        final long addresses = ring.getLong(data);
        final int addressesTail = ring.getInt(data + Long.BYTES);
        ring.putLong(start, addresses);
        ring.putInt(start + Long.BYTES, addressesTail);
        ring.putShort(start + ETHERNET_ADDRESSES_LENGTH, tpid(ring, packet, status), BIG_ENDIAN);
        ring.putShort(start + ETHERNET_ADDRESSES_LENGTH + 2, (short)ring.getInt(packet + VLAN_TCI_OFFSET), BIG_ENDIAN);

        return start;
    }

    // an "any" frame starts at its network header: a cooked v2 header goes before it, and the tag, if the kernel
    // took one out, between the two as libpcap puts it; returns where the frame starts
    private static int putCookedHeader(final UnsafeBuffer ring, final int packet, final int data, final int status)
    {
        final short protocol = ring.getShort(packet + ADDRESS_PROTOCOL_OFFSET);
        final int header;
        if ((status & TP_STATUS_VLAN_VALID) == 0)
        {
            header = data - SLL2_LENGTH;
            ring.putShort(header, protocol);
        }
        else
        {
            header = data - SLL2_LENGTH - VLAN_TAG_LENGTH;
            ring.putShort(header, tpid(ring, packet, status), BIG_ENDIAN);
            ring.putShort(header + SLL2_LENGTH, (short)ring.getInt(packet + VLAN_TCI_OFFSET), BIG_ENDIAN);
            ring.putShort(header + SLL2_LENGTH + 2, protocol);
        }
        ring.putShort(header + 2, (short)0);
        ring.putInt(header + SLL2_IFINDEX_OFFSET, ring.getInt(packet + ADDRESS_IFINDEX_OFFSET), BIG_ENDIAN);
        ring.putShort(header + SLL2_HATYPE_OFFSET, ring.getShort(packet + ADDRESS_HATYPE_OFFSET), BIG_ENDIAN);
        ring.putByte(header + SLL2_PACKET_TYPE_OFFSET, ring.getByte(packet + PACKET_TYPE_OFFSET));
        ring.putByte(header + SLL2_ADDRESS_LENGTH_OFFSET, ring.getByte(packet + ADDRESS_LENGTH_OFFSET));
        ring.putLong(header + SLL2_ADDRESS_OFFSET, ring.getLong(packet + ADDRESS_BYTES_OFFSET));

        return header;
    }

    private static short tpid(final UnsafeBuffer ring, final int packet, final int status)
    {
        return (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? ring.getShort(packet + VLAN_TPID_OFFSET) : ETH_P_8021Q;
    }

    private void releaseBlock()
    {
        ring.putIntOrdered(blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        if (++block == blockCount)
        {
            block = 0;
        }
    }

    // no block ready: an error pending on the socket (interface down or removed) is what libpcap would report
    private void checkSocket()
    {
        scratch.putInt(0, fd);
        scratch.putShort(LibC.POLLFD_EVENTS_OFFSET, LibC.POLLIN);
        scratch.putShort(LibC.POLLFD_REVENTS_OFFSET, (short)0);
        if (LibC.poll(scratch.addressOffset(), 1, 0) > 0 &&
            (scratch.getShort(LibC.POLLFD_REVENTS_OFFSET) & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0)
        {
            final int error = socketError(fd, scratch);
            if (LinuxSockets.ENETDOWN == error)
            {
                fail("The interface went down");
            }
            else if (LinuxSockets.ENODEV == error || LinuxSockets.ENXIO == error)
            {
                fail("The interface disappeared");
            }
            else
            {
                fail("socket error on " + interfaceName + ": " +
                    (0 == error ? "poll reported an error" : LinuxSockets.strerror(error)));
            }
        }
    }

    private static int socket(final String interfaceName, final int type) throws PcapException
    {
        try
        {
            // protocol 0: the socket receives nothing until bound, by which time its filter is in place
            return LinuxSockets.socket(LinuxSockets.AF_PACKET, type, 0);
        }
        catch (final LastErrorException ex)
        {
            if (ex.getErrorCode() == LinuxSockets.EPERM || ex.getErrorCode() == LinuxSockets.EACCES)
            {
                throw PcapException.permissionDenied(interfaceName, "socket(AF_PACKET): " + describe(ex));
            }
            throw failure(interfaceName, "socket(AF_PACKET)", ex);
        }
    }

    // the kernel wakes the capture thread once per block: the largest blocks that still split the buffer in 8,
    // from 256 KiB (libpcap's size) to 1 MiB; 1 MiB blocks took a tenth off the whole analyzer's CPU per frame
    // at 400 000 frames/s, against 256 KiB, by waking it a quarter as often
    private static int blockSize(final int bufferSize)
    {
        int blockSize = MIN_BLOCK_SIZE;
        while (blockSize < MAX_BLOCK_SIZE && (long)blockSize * 2 * BLOCKS_PER_BUFFER <= bufferSize)
        {
            blockSize <<= 1;
        }

        return blockSize;
    }

    private static void setUpRing(
        final int fd,
        final UnsafeBuffer program,
        final int blockSize,
        final int blockCount,
        final int timeoutMillis,
        final int reserve,
        final UnsafeBuffer args)
    {
        // struct sock_fprog: unsigned short len, then the pointer to the instructions
        args.setMemory(0, 32, (byte)0);
        args.putShort(0, (short)(program.capacity() / 8));
        args.putLong(8, program.addressOffset());
        LinuxSockets.setsockopt(
            fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_ATTACH_FILTER, args.addressOffset(), 16);

        args.putInt(0, LinuxSockets.TPACKET_V3);
        LinuxSockets.setsockopt(fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_VERSION, args.addressOffset(), 4);
        // room before each frame for what goes back in front of it (a tag, a cooked header), set before the ring
        args.putInt(0, reserve);
        LinuxSockets.setsockopt(fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_RESERVE, args.addressOffset(), 4);

        // struct tpacket_req3: one "frame" per block, as the kernel packs frames into blocks itself in V3
        args.setMemory(0, 32, (byte)0);
        args.putInt(0, blockSize);
        args.putInt(4, blockCount);
        args.putInt(8, blockSize);
        args.putInt(12, blockCount);
        args.putInt(16, timeoutMillis);
        LinuxSockets.setsockopt(
            fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_RX_RING, args.addressOffset(), 28);
    }

    private static void bind(final int fd, final int ifindex, final boolean promiscuous, final UnsafeBuffer args)
    {
        // struct sockaddr_ll
        args.setMemory(0, 32, (byte)0);
        args.putShort(0, (short)LinuxSockets.AF_PACKET);
        args.putShort(2, (short)ETH_P_ALL_NETWORK_ORDER);
        args.putInt(4, ifindex);
        LinuxSockets.bind(fd, args.addressOffset(), 20);

        if (promiscuous)
        {
            // struct packet_mreq: the membership ends with the socket
            args.setMemory(0, 32, (byte)0);
            args.putInt(0, ifindex);
            args.putShort(4, (short)LinuxSockets.PACKET_MR_PROMISC);
            LinuxSockets.setsockopt(
                fd, LinuxSockets.SOL_PACKET, LinuxSockets.PACKET_ADD_MEMBERSHIP, args.addressOffset(), 16);
        }
    }

    private static int socketError(final int fd, final UnsafeBuffer scratch)
    {
        scratch.putInt(8, 0);
        scratch.putInt(12, 4);
        try
        {
            LinuxSockets.getsockopt(
                fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_ERROR, scratch.addressOffset() + 8,
                scratch.addressOffset() + 12);
            return scratch.getInt(8);
        }
        catch (final LastErrorException ex)
        {
            return ex.getErrorCode();
        }
    }

    // the bound interface's ARPHRD_* type, from the socket's own address (struct sockaddr_ll: sll_hatype at 8)
    private static int hardwareType(final int fd, final UnsafeBuffer args)
    {
        args.setMemory(0, 32, (byte)0);
        args.putInt(24, 20);
        LinuxSockets.getsockname(fd, args.addressOffset(), args.addressOffset() + 24);
        return args.getShort(8) & 0xFFFF;
    }

    // the "drop" column of the interface in the calling thread's network namespace, as libpcap reads it; -1 if absent
    private static long interfaceDrops(final String interfaceName)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/thread-self/net/dev"), StandardCharsets.UTF_8))
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(interfaceName))
                {
                    return Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[3]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }

        return -1;
    }

    private static String describe(final LastErrorException ex)
    {
        return LinuxSockets.strerror(ex.getErrorCode());
    }

    private static PcapException failure(final String interfaceName, final String step, final LastErrorException ex)
    {
        return new PcapException(
            PcapException.Reason.OPEN_FAILED, "cannot capture on " + interfaceName + ": " + step + ": " + describe(ex));
    }
}
