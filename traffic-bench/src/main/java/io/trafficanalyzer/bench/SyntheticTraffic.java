package io.trafficanalyzer.bench;

/**
 * The packets of the synthetic capture, one at a time: the local hosts of 10.77.0.0/24 and fd77::/64 hold
 * conversations (flows of a few to a few hundred packets, both directions) with a population of remote addresses,
 * a slice of them with each other, over TCP, UDP and ICMP (ICMPv6 for IPv6), some VLAN-tagged. A fixed number of
 * flows is open at any time and packets are drawn among them, so a time bucket holds a bounded set of keys while
 * the whole capture reaches tens of thousands of remote addresses.
 * <p>
 * Deterministic for a given seed and packet count; no allocation per packet.
 */
final class SyntheticTraffic
{
    /** Local hosts: 10.77.0.1 to 10.77.0.250 and fd77::1 to fd77::fa. */
    static final int LOCAL_HOSTS = 250;

    /** The local networks of the capture, for the analyzer's configuration. */
    static final String[] LOCAL_NETWORKS = { "10.77.0.0/24", "fd77::/64" };

    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    static final long IPV4_MAPPED_LO = 0xFFFF_0000_0000L;
    static final long LOCAL_IPV6_HI = 0xFD77_0000_0000_0000L;
    static final long REMOTE_IPV6_HI = 0x2001_0DB8_0000_0000L;

    private static final int[] TCP_SERVICES = { 443, 443, 443, 80, 22, 25, 993, 3306, 5432, 8080 };
    private static final int[] UDP_SERVICES = { 53, 53, 123, 443, 5353, 51820 };
    private static final int[] LOCAL_SERVICES = { 22, 443, 8080 };
    private static final int MEAN_FLOW_PACKETS = 48;
    private static final int FLAG_IPV6 = 1;
    private static final int FLAG_PEER_LOCAL = 2;

    private final int remotes;
    private final int slots;
    private final int[] slotRemaining;
    private final int[] slotLocal;
    private final int[] slotPeer;
    private final int[] slotFlags;
    private final int[] slotLocalPort;
    private final int[] slotPeerPort;
    private final int[] slotVlan;
    private long state;

    private int ipVersion;
    private int protocol;
    private boolean outbound;
    private boolean peerLocal;
    private int localHost;
    private int peer;
    private int localPort;
    private int peerPort;
    private int vlanId;

    /*
     * Traffic for a capture of the given size.
     *
     * @param packets the number of packets the capture will have; sizes the remote population and the open flows.
     * @param seed    the seed of the pseudo-random sequence.
     */
    SyntheticTraffic(final long packets, final long seed)
    {
        remotes = (int)Math.max(64, Math.min(60_000, packets / 64));
        slots = (int)Math.max(16, Math.min(4096, packets / 256));
        slotRemaining = new int[slots];
        slotLocal = new int[slots];
        slotPeer = new int[slots];
        slotFlags = new int[slots];
        slotLocalPort = new int[slots];
        slotPeerPort = new int[slots];
        slotVlan = new int[slots];
        state = seed ^ 0x5DEE_CE66_DL;
        if (0 == state)
        {
            state = 1;
        }
    }

    /*
     * Size of the remote address population (IPv4 and IPv6 each).
     *
     * @return the number of remote addresses of each version.
     */
    int remotes()
    {
        return remotes;
    }

    /*
     * Advance to the next packet.
     */
    void next()
    {
        final int slot = (int)(Long.remainderUnsigned(nextRandom(), slots));
        if (0 == slotRemaining[slot])
        {
            openFlow(slot);
        }
        slotRemaining[slot]--;

        final int flags = slotFlags[slot];
        ipVersion = 0 != (flags & FLAG_IPV6) ? 6 : 4;
        protocol = flags >>> 8;
        peerLocal = 0 != (flags & FLAG_PEER_LOCAL);
        localHost = slotLocal[slot];
        peer = slotPeer[slot];
        localPort = slotLocalPort[slot];
        peerPort = slotPeerPort[slot];
        vlanId = slotVlan[slot];
        // a little more downstream than upstream, as on most access links
        outbound = (nextRandom() & 0xFF) < 112;
    }

    private void openFlow(final int slot)
    {
        final long r = nextRandom();
        // skewed towards low host numbers, so that there are top talkers
        final long u = (r & 0xFFFF) * (r & 0xFFFF);
        final int local = (int)(u * LOCAL_HOSTS >>> 32);
        final boolean ipv6 = ((r >>> 16) & 0xFF) < 77;
        final boolean peerLocal = ((r >>> 24) & 0x1F) == 0;
        final int kind = (int)((r >>> 29) & 0xFF);
        final int protocol = kind < 166 ? TCP : kind < 243 ? UDP : ipv6 ? ICMPV6 : ICMP;

        int peer;
        if (peerLocal)
        {
            peer = (int)Long.remainderUnsigned(r >>> 37, LOCAL_HOSTS);
            if (peer == local)
            {
                peer = (peer + 1) % LOCAL_HOSTS;
            }
        }
        else
        {
            peer = (int)Long.remainderUnsigned(nextRandom(), remotes);
        }

        final long s = nextRandom();
        final boolean served = (s & 0x7) == 0;
        int localPort = 0;
        int peerPort = 0;
        if (TCP == protocol || UDP == protocol)
        {
            final int client = 32768 + (int)((s >>> 3) % 28232);
            final int service;
            if (served)
            {
                service = LOCAL_SERVICES[(int)((s >>> 20) % LOCAL_SERVICES.length)];
            }
            else if (TCP == protocol)
            {
                service = TCP_SERVICES[(int)((s >>> 20) % TCP_SERVICES.length)];
            }
            else
            {
                service = UDP_SERVICES[(int)((s >>> 20) % UDP_SERVICES.length)];
            }
            localPort = served ? service : client;
            peerPort = served ? client : service;
        }
        else
        {
            // ICMP echo: identifier in the local port, sequence start in the peer port
            localPort = (int)((s >>> 3) & 0xFFFF);
            peerPort = (int)((s >>> 19) & 0xFFFF);
        }

        slotRemaining[slot] = 1 + (int)((s >>> 40) % (2 * MEAN_FLOW_PACKETS - 1));
        slotLocal[slot] = local;
        slotPeer[slot] = peer;
        slotFlags[slot] = (protocol << 8) | (ipv6 ? FLAG_IPV6 : 0) | (peerLocal ? FLAG_PEER_LOCAL : 0);
        slotLocalPort[slot] = localPort;
        slotPeerPort[slot] = peerPort;
        slotVlan[slot] = ((s >>> 56) & 0x7) == 0 ? 100 + (local & 0x7) : 0;
    }

    private long nextRandom()
    {
        // xorshift64*
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545_F491_4F6C_DD1DL;
    }

    int ipVersion()
    {
        return ipVersion;
    }

    int protocol()
    {
        return protocol;
    }

    /*
     * Whether the local host sends this packet; false when it receives it.
     */
    boolean outbound()
    {
        return outbound;
    }

    /*
     * Whether the peer is another local host.
     */
    boolean peerLocal()
    {
        return peerLocal;
    }

    /*
     * Index of the local host, 0 to {@link #LOCAL_HOSTS} - 1.
     */
    int localHost()
    {
        return localHost;
    }

    /*
     * Index of the peer: a local host when {@link #peerLocal()}, else a remote address.
     */
    int peer()
    {
        return peer;
    }

    int localPort()
    {
        return localPort;
    }

    int peerPort()
    {
        return peerPort;
    }

    /*
     * The 802.1Q VLAN id, 0 for an untagged frame.
     */
    int vlanId()
    {
        return vlanId;
    }

    /*
     * The IPv4 address of local host i: 10.77.0.(i + 1).
     */
    static int localIpv4(final int host)
    {
        return 0x0A4D_0000 | (host + 1);
    }

    /*
     * The IPv6 address of local host i, lower 64 bits: fd77::(i + 1).
     */
    static long localIpv6Lo(final int host)
    {
        return host + 1;
    }

    /*
     * The IPv4 address of remote r: spread over 11.0.0.0 to 26.255.255.255, distinct for each r.
     */
    static int remoteIpv4(final int remote)
    {
        return 0x0B00_0000 + (remote * 0x9E37_79B1 & 0x0FFF_FFFF);
    }

    /*
     * The IPv6 address of remote r, upper 64 bits: 2001:db8:xxxx:xxxx::/64, distinct for each r.
     */
    static long remoteIpv6Hi(final int remote)
    {
        return REMOTE_IPV6_HI | (remote * 0x9E37_79B1L & 0xFFFF_FFFFL);
    }

    /*
     * The IPv6 address of remote r, lower 64 bits.
     */
    static long remoteIpv6Lo(final int remote)
    {
        return 1;
    }
}
