package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * {@link PcapReadMode#RING}: the kernel's {@code TPACKET_V3} ring of a {@link PacketSocket} of our own, read where the
 * kernel wrote each frame, each block handed back once read: a busy capture makes no call into C and copies nothing
 * (libpcap reads the same ring, then copies every frame out). As libpcap does, it puts the VLAN tags the kernel took
 * out of a frame back in place, in the room reserved before it, and the cooked header of an {@code any} capture;
 * skips on loopback the copy of each frame seen going out; and fails on a socket error like a libpcap error.
 * Serves Ethernet and loopback interfaces, and {@code any}, on Linux; {@link #open} returns null otherwise.
 */
final class PacketRing implements FrameReader
{
    private static final int DLT_EN10MB = 1;

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
    private static final int SLL2_LENGTH = PacketSocket.SLL2_LENGTH;
    private static final int SLL2_IFINDEX_OFFSET = 4;
    private static final int SLL2_HATYPE_OFFSET = 8;
    private static final int SLL2_PACKET_TYPE_OFFSET = 10;
    private static final int SLL2_ADDRESS_LENGTH_OFFSET = 11;
    private static final int SLL2_ADDRESS_OFFSET = 12;

    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_VLAN_VALID = 0x10;
    private static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    private static final int PACKET_OUTGOING = 4;
    private static final int VLAN_TAG_LENGTH = PacketSocket.VLAN_TAG_LENGTH;
    private static final int ETHERNET_ADDRESSES_LENGTH = 12;
    private static final short ETH_P_8021Q = (short)0x8100;

    private final PacketSocket socket;
    // the socket's ring and its shape in this reader's own fields, read once per frame
    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int blockCount;
    private final int loopbackIndex;
    private final boolean isCooked;
    private final int linkType;
    private final boolean truncateToMicros;
    private int status = READY;
    private String error;
    private int block;
    private int blockOffset = -1;
    private int packetsLeft;
    private int packetOffset;

    private PacketRing(final PacketSocket socket, final LiveSettings settings)
    {
        this.socket = socket;
        this.ring = socket.ring;
        this.blockSize = socket.blockSize;
        this.blockCount = socket.blockCount;
        this.loopbackIndex = socket.loopbackIndex;
        this.isCooked = socket.isCooked;
        this.linkType = isCooked ? PacketSocket.DLT_LINUX_SLL2 : DLT_EN10MB;
        this.truncateToMicros = !settings.nanosecondTimestamps;
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
        if (settings.immediateMode || (settings.promiscuous && LiveCaptureNames.ANY.equals(interfaceName)) ||
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
     * @return the reader, owning the socket and its mapping; null when the interface is neither Ethernet nor
     *         loopback, or the filter for {@code any} cannot run on the cooked socket (libpcap knows how to read
     *         those).
     * @throws PcapException naming the interface and the cause.
     */
    static PacketRing open(final String interfaceName, final LiveSettings settings) throws PcapException
    {
        final PacketSocket socket = PacketSocket.open(interfaceName, settings);

        return null == socket ? null : new PacketRing(socket, settings);
    }

    public int read(final FrameHandler handler, final int limit)
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

    public PcapReadMode mode()
    {
        return PcapReadMode.RING;
    }

    public void updateStatistics(final KernelCounters counters)
    {
        socket.updateStatistics(counters);
    }

    public int status()
    {
        return status;
    }

    public String error()
    {
        return error;
    }

    int fd()
    {
        return socket.fd;
    }

    public void close()
    {
        socket.close();
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
        final String pending = socket.pendingError();
        if (null != pending)
        {
            status = FAILED;
            error = pending;
        }
    }
}
