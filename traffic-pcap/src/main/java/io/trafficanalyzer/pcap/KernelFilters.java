package io.trafficanalyzer.pcap;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rewrites a classic BPF program compiled for Linux cooked v2 frames ({@code any}) so that the kernel can run it on
 * a cooked packet socket, which filters the frame from its network header on, without the 20-byte cooked header:
 * loads beyond the header move back by its length, loads of its protocol, interface index, hardware type and packet
 * type become the kernel's ancillary loads of the same facts. A program that reads any other header byte cannot run
 * in the kernel, and the capture is left to libpcap, which then filters in user space.
 */
final class KernelFilters
{
    private static final int INSTRUCTION_SIZE = 8;
    private static final int CODE_OFFSET = 0;
    private static final int K_OFFSET = 4;
    private static final int BPF_LD = 0x00;
    private static final int BPF_LDX = 0x01;
    private static final int BPF_ABS = 0x20;
    private static final int BPF_IND = 0x40;
    private static final int BPF_MSH = 0xa0;

    // linux/filter.h: ancillary data is read at SKF_AD_OFF plus these
    private static final int SKF_AD_OFF = -0x1000;
    private static final int SKF_AD_PROTOCOL = 0;
    private static final int SKF_AD_PKTTYPE = 4;
    private static final int SKF_AD_IFINDEX = 8;
    private static final int SKF_AD_HATYPE = 28;

    // where the cooked v2 header keeps them
    private static final int SLL2_PROTOCOL = 0;
    private static final int SLL2_IFINDEX = 4;
    private static final int SLL2_HATYPE = 8;
    private static final int SLL2_PACKET_TYPE = 10;

    private KernelFilters()
    {
    }

    /**
     * Rewrite, in place, the packet loads of a program compiled for cooked v2 frames.
     *
     * @param program      the instructions, 8 bytes each.
     * @param headerLength the cooked header's length.
     * @return true when every load could be rewritten; the program is then only valid on the cooked socket.
     */
    static boolean toNetworkLayer(final UnsafeBuffer program, final int headerLength)
    {
        for (int offset = 0; offset < program.capacity(); offset += INSTRUCTION_SIZE)
        {
            final int code = program.getShort(offset + CODE_OFFSET) & 0xFFFF;
            final int instructionClass = code & 0x07;
            final int mode = code & 0xe0;
            final boolean isPacketLoad = (BPF_LD == instructionClass && (BPF_ABS == mode || BPF_IND == mode)) ||
                (BPF_LDX == instructionClass && BPF_MSH == mode);
            final int k = program.getInt(offset + K_OFFSET);
            if (!isPacketLoad || k < 0)
            {
                // not a load from the packet, or already an ancillary (negative) offset
                continue;
            }

            if (k >= headerLength)
            {
                program.putInt(offset + K_OFFSET, k - headerLength);
            }
            else if (BPF_ABS == mode && BPF_LD == instructionClass && ancillary(k) != Integer.MIN_VALUE)
            {
                program.putInt(offset + K_OFFSET, SKF_AD_OFF + ancillary(k));
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static int ancillary(final int headerOffset)
    {
        switch (headerOffset)
        {
            case SLL2_PROTOCOL:
                return SKF_AD_PROTOCOL;
            case SLL2_IFINDEX:
                return SKF_AD_IFINDEX;
            case SLL2_HATYPE:
                return SKF_AD_HATYPE;
            case SLL2_PACKET_TYPE:
                return SKF_AD_PKTTYPE;
            default:
                return Integer.MIN_VALUE;
        }
    }
}
