package io.trafficanalyzer.core.sink;

/**
 * One row of one view of a bucket: the key dimensions and the in/out measures of a local host.
 * <p>
 * Addresses are in the 128-bit form of {@link io.trafficanalyzer.core.codec.DecodedPacket} (IPv4-mapped for IPv4).
 * Dimensions a view does not key on read as zero.
 */
public interface StatsRow
{
    /** View name of the per-host rows: (host, protocol). */
    String HOSTS = "hosts";
    /** View name of the per-service-port rows: (host, protocol, port, role). */
    String PORTS = "ports";
    /** View name of the per-peer rows: (host, peer, protocol). */
    String PEERS = "peers";

    /** {@link #role()} of a host that is a client of the port. */
    int CLIENT = 0;
    /** {@link #role()} of a host that serves the port. */
    int SERVER = 1;
    /** {@link #role()} of a host that refused connections to its port. */
    int REFUSING = 2;

    /**
     * Name of the view the row belongs to: {@link #HOSTS}, {@link #PORTS}, {@link #PEERS} or a custom one.
     *
     * @return the view name.
     */
    String view();

    /**
     * Local host address, upper 64 bits.
     *
     * @return the bits.
     */
    long hostHi();

    /**
     * Local host address, lower 64 bits.
     *
     * @return the bits.
     */
    long hostLo();

    /**
     * Remote peer address, upper 64 bits ({@link #PEERS} only).
     *
     * @return the bits.
     */
    long peerHi();

    /**
     * Remote peer address, lower 64 bits ({@link #PEERS} only).
     *
     * @return the bits.
     */
    long peerLo();

    /**
     * IP protocol number.
     *
     * @return 0-255.
     */
    int protocol();

    /**
     * Service port ({@link #PORTS} only); 0 on a folded row.
     *
     * @return 0-65535.
     */
    int port();

    /**
     * Whether the local host serves the port ({@link #PORTS} only).
     *
     * @return true for the server side.
     */
    boolean served();

    /**
     * Whether the local host refused connections to the port ({@link #PORTS} only, with {@link #served()}): TCP
     * resets answering connection attempts, as a closed port answers a scan.
     *
     * @return true for the refusing side.
     */
    default boolean refused()
    {
        return false;
    }

    /**
     * The host's role for the port ({@link #PORTS} only), as the stores write it in their {@code served} field.
     *
     * @return {@link #CLIENT}, {@link #SERVER} or {@link #REFUSING}.
     */
    default int role()
    {
        return served() ? (refused() ? REFUSING : SERVER) : CLIENT;
    }

    /**
     * A custom view's own key (e.g. a VLAN id or DSCP value); 0 for the built-in views.
     *
     * @return the key.
     */
    long key();

    /**
     * Whether this is a host's "other" row, holding the keys folded past the view's key limit
     * (port 0 / peer {@code *}).
     *
     * @return true for a folded row.
     */
    boolean isFolded();

    /**
     * Bytes received by the local host.
     *
     * @return the byte count.
     */
    long inBytes();

    /**
     * Packets received by the local host.
     *
     * @return the packet count.
     */
    long inPackets();

    /**
     * Bytes sent by the local host.
     *
     * @return the byte count.
     */
    long outBytes();

    /**
     * Packets sent by the local host.
     *
     * @return the packet count.
     */
    long outPackets();
}
