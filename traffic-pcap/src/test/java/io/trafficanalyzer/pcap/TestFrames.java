package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.codec.IpAddresses;

import java.nio.ByteBuffer;

/**
 * Builds Ethernet frames for test flows, byte by byte, so tests know exactly what was captured.
 */
final class TestFrames
{
    static final byte[] SENDER_MAC = { 0x02, 0, 0, 0, 0, 0x0a };
    /** A unicast MAC no interface of the tests has: the receiving kernel drops such frames before IP. */
    static final byte[] FOREIGN_MAC = { 0x02, 0, 0, 0, 0, 0x77 };
    static final int NON_IP_ETHER_TYPE = 0x88B5;

    private TestFrames()
    {
    }

    static byte[] frame(final Flow flow)
    {
        final ByteBuffer frame = ByteBuffer.allocate(flow.frameLength());
        frame.put(FOREIGN_MAC).put(SENDER_MAC).putShort((short)(flow.isIpv6() ? 0x86DD : 0x0800));
        final int ipBytes = flow.ipBytes();
        if (flow.isIpv6())
        {
            frame.putInt(0x6000_0000).putShort((short)(ipBytes - 40)).put((byte)flow.protocol()).put((byte)64);
            putAddress(frame, flow.src());
            putAddress(frame, flow.dst());
        }
        else
        {
            frame.put((byte)0x45).put((byte)0).putShort((short)ipBytes).putShort((short)0).putShort((short)0x4000)
                .put((byte)64).put((byte)flow.protocol()).putShort((short)0);
            putAddress(frame, flow.src());
            putAddress(frame, flow.dst());
        }

        if (flow.protocol() == Flow.TCP || flow.protocol() == Flow.UDP)
        {
            frame.putShort((short)flow.srcPort()).putShort((short)flow.dstPort());
        }
        while (frame.hasRemaining())
        {
            frame.put((byte)frame.position());
        }

        return frame.array();
    }

    static byte[] nonIpFrame(final int length)
    {
        final ByteBuffer frame = ByteBuffer.allocate(length);
        frame.put(FOREIGN_MAC).put(SENDER_MAC).putShort((short)NON_IP_ETHER_TYPE);
        while (frame.hasRemaining())
        {
            frame.put((byte)0x5A);
        }

        return frame.array();
    }

    private static void putAddress(final ByteBuffer frame, final String address)
    {
        final long[] parsed = IpAddresses.parse(address);
        if (address.indexOf(':') >= 0)
        {
            frame.putLong(parsed[0]).putLong(parsed[1]);
        }
        else
        {
            frame.putInt((int)parsed[1]);
        }
    }
}
