package io.trafficanalyzer.pcap;

import com.sun.jna.LastErrorException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A packet socket of our own ({@code AF_PACKET}) on one interface, or every one for {@code any}, with the kernel's
 * {@code TPACKET_V3} ring mapped into the process, set up as libpcap would: the BPF filter (compiled by libpcap for
 * the interface, so that {@code vlan} tests use the kernel's tag metadata) and the snapshot length run in the kernel,
 * room is reserved before each frame ({@code PACKET_RESERVE}), promiscuous mode is a membership. It tells a pending
 * error and the kernel's counters ({@code PACKET_STATISTICS}); {@link PacketRing} reads its ring.
 */
final class PacketSocket
{
    /** The link type of the frames of an {@code any} capture, each with a cooked v2 header put in front. */
    static final int DLT_LINUX_SLL2 = 276;
    /** Length of the Linux cooked v2 header, as libpcap writes it. */
    static final int SLL2_LENGTH = 20;
    /** Length of a VLAN tag the kernel may take out of a frame. */
    static final int VLAN_TAG_LENGTH = 4;

    private static final int ETH_P_ALL_NETWORK_ORDER = 0x0300;
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int SOCK_DGRAM = 2;
    private static final int MIN_BLOCK_SIZE = 1 << 18;
    private static final int MAX_BLOCK_SIZE = 1 << 20;
    private static final int BLOCKS_PER_BUFFER = 8;
    private static final int DEFAULT_BUFFER_SIZE = 2 * 1024 * 1024;
    private static final int MIN_BLOCKS = 2;
    private static final int MAX_BLOCKS = Integer.MAX_VALUE / MAX_BLOCK_SIZE;
    private static final int COOKED_RESERVE = SLL2_LENGTH + 4;

    final int fd;
    final UnsafeBuffer ring;
    final int blockSize;
    final int blockCount;
    final int loopbackIndex;
    final boolean isCooked;
    private final String interfaceName;
    private final boolean promiscuous;
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private long interfaceDropsSeen;

    private PacketSocket(
        final String interfaceName,
        final int fd,
        final UnsafeBuffer ring,
        final int blockSize,
        final int blockCount,
        final int loopbackIndex,
        final boolean isCooked,
        final boolean promiscuous)
    {
        this.interfaceName = interfaceName;
        this.fd = fd;
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.loopbackIndex = loopbackIndex;
        this.isCooked = isCooked;
        this.promiscuous = promiscuous;
        this.interfaceDropsSeen = promiscuous ? interfaceDrops(interfaceName) : 0;
    }

    /**
     * Open a packet socket on the interface, set its filter, ring and memberships, map the ring and bind.
     *
     * @param interfaceName the interface, for which {@link PacketRing#canServe} said yes.
     * @param settings      snapshot length, filter, buffer size, timeout, promiscuous mode.
     * @return the socket, owning the mapping; null when the interface is neither Ethernet nor loopback, or the
     *         filter for {@code any} cannot run on the cooked socket (libpcap knows how to read those).
     * @throws PcapException naming the interface and the cause.
     */
    static PacketSocket open(final String interfaceName, final LiveSettings settings) throws PcapException
    {
        // "any": one socket on every interface, reading from the network header; each frame gets a cooked header
        final boolean isAny = LiveCaptureNames.ANY.equals(interfaceName);
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

            final PacketSocket socket = new PacketSocket(
                interfaceName,
                fd,
                new UnsafeBuffer(address, (int)length),
                blockSize,
                blockCount,
                isAny ? LinuxSockets.ifNametoindex("lo") : (ARPHRD_LOOPBACK == hardwareType ? ifindex : -1),
                isAny,
                settings.promiscuous);
            opened = true;

            return socket;
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

    /**
     * Add the kernel's counters since the last call to the sums ({@code PACKET_STATISTICS} resets them as it reads
     * them); in promiscuous mode, also the interface's own drops since the socket was opened, as libpcap does.
     *
     * @param counters the sums.
     */
    void updateStatistics(final KernelCounters counters)
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
        counters.add(scratch.getInt(0) & 0xFFFF_FFFFL, scratch.getInt(4) & 0xFFFF_FFFFL, interfaceDropped);
    }

    void close()
    {
        LinuxSockets.munmap(ring.addressOffset(), ring.capacity());
        LinuxSockets.close(fd);
    }

    /**
     * The error pending on the socket when no block is ready (the interface went down or was removed), worded as
     * libpcap would report it.
     *
     * @return the message, or null when the socket has none.
     */
    String pendingError()
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
                return "The interface went down";
            }
            if (LinuxSockets.ENODEV == error || LinuxSockets.ENXIO == error)
            {
                return "The interface disappeared";
            }

            return "socket error on " + interfaceName + ": " +
                (0 == error ? "poll reported an error" : LinuxSockets.strerror(error));
        }

        return null;
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
