package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsRow;

import java.net.InetAddress;
import java.net.UnknownHostException;

/*
 * An immutable row the tests feed to the sink; host and peer are kept as the text the test wrote, so that expected
 * view contents are computed from the test's own strings, not from the code under test.
 */
record TestRow(
    String view,
    String host,
    String peer,
    int protocol,
    int port,
    boolean served,
    boolean refused,
    boolean isFolded,
    long inBytes,
    long inPackets,
    long outBytes,
    long outPackets) implements StatsRow
{
    static TestRow host(final String host, final int protocol, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        return new TestRow(HOSTS, host, null, protocol, 0, false, false, false,
            inBytes, inPackets, outBytes, outPackets);
    }

    static TestRow port(final String host, final int protocol, final int port, final boolean served,
        final long inBytes, final long inPackets, final long outBytes, final long outPackets)
    {
        return new TestRow(PORTS, host, null, protocol, port, served, false, false, inBytes, inPackets, outBytes,
            outPackets);
    }

    static TestRow refusedPort(final String host, final int protocol, final int port, final long inBytes,
        final long inPackets, final long outBytes, final long outPackets)
    {
        return new TestRow(PORTS, host, null, protocol, port, true, true, false, inBytes, inPackets, outBytes,
            outPackets);
    }

    static TestRow foldedPort(final String host, final int protocol, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        return new TestRow(PORTS, host, null, protocol, 0, false, false, true,
            inBytes, inPackets, outBytes, outPackets);
    }

    static TestRow peer(final String host, final String peer, final int protocol, final long inBytes,
        final long inPackets, final long outBytes, final long outPackets)
    {
        return new TestRow(PEERS, host, peer, protocol, 0, false, false, false,
            inBytes, inPackets, outBytes, outPackets);
    }

    static TestRow foldedPeer(final String host, final int protocol, final long inBytes, final long inPackets,
        final long outBytes, final long outPackets)
    {
        return new TestRow(PEERS, host, null, protocol, 0, false, false, true,
            inBytes, inPackets, outBytes, outPackets);
    }

    /* The peer as the views must show it. */
    String peerText()
    {
        return isFolded ? "*" : peer;
    }

    /* The served column as the views must show it: 0 client, 1 server, 2 refused. */
    long servedValue()
    {
        return served ? (refused ? 2 : 1) : 0;
    }

    /* The port as the views must show it. */
    int portValue()
    {
        return isFolded ? 0 : port;
    }

    String protocolText()
    {
        switch (protocol)
        {
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 1:
                return "icmp";
            case 58:
                return "icmpv6";
            default:
                return "other";
        }
    }

    public long hostHi()
    {
        return word(host, 0);
    }

    public long hostLo()
    {
        return word(host, 8);
    }

    public long peerHi()
    {
        return peer == null ? 0 : word(peer, 0);
    }

    public long peerLo()
    {
        return peer == null ? 0 : word(peer, 8);
    }

    public long key()
    {
        return 0;
    }

    /*
     * 128-bit form with the JDK's parser: IPv4 becomes IPv4-mapped ::ffff:a.b.c.d, as DecodedPacket has it.
     */
    static long word(final String address, final int offset)
    {
        final byte[] raw;
        try
        {
            raw = InetAddress.getByName(address).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(address, ex);
        }
        final byte[] bytes = new byte[16];
        if (raw.length == 4)
        {
            bytes[10] = (byte)0xFF;
            bytes[11] = (byte)0xFF;
            System.arraycopy(raw, 0, bytes, 12, 4);
        }
        else
        {
            System.arraycopy(raw, 0, bytes, 0, 16);
        }
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
