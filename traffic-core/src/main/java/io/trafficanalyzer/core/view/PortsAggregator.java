package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * The {@code ports} view: key (host, protocol, service port, role); only packets with ports. The role is
 * {@link #CLIENT}, {@link #SERVER} or {@link #REFUSING}.
 */
final class PortsAggregator extends ViewTableAggregator
{
    /** Role of a host that is the client of the port. */
    static final int CLIENT = 0;
    /** Role of a host that serves the port. */
    static final int SERVER = 1;
    /** Role of a host that refused connections to its port. */
    static final int REFUSING = 2;

    PortsAggregator(final AggregatorContext context)
    {
        super(context);
    }

    public void onPacket(final PacketRecordDecoder packet)
    {
        if (packet.hasPort())
        {
            table.add(
                packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.protocol(), packet.servicePort(),
                role(packet), packet.isOutbound(), packet.packets(), packet.bytes());
        }
    }

    public boolean prefetch(final PacketRecordDecoder packet)
    {
        return !packet.hasPort() || table.prefetch(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.protocol(), packet.servicePort(),
            role(packet));
    }

    public void writeKey(final long k1, final long k2, final long k3, final RowWriter row)
    {
        row.protocol((int)k1).port((int)k2, CLIENT != k3).refused(REFUSING == k3);
    }

    private static int role(final PacketRecordDecoder packet)
    {
        return packet.isServed() ? (packet.isRefused() ? REFUSING : SERVER) : CLIENT;
    }
}
