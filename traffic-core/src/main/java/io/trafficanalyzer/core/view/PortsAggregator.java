package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * The {@code ports} view: key (host, protocol, service port, served); only packets with ports.
 */
final class PortsAggregator extends ViewTableAggregator
{
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
                packet.isServed() ? 1 : 0, packet.isOutbound(), packet.packets(), packet.bytes());
        }
    }

    public boolean prefetch(final PacketRecordDecoder packet)
    {
        return !packet.hasPort() || table.prefetch(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.protocol(), packet.servicePort(),
            packet.isServed() ? 1 : 0);
    }

    public void writeKey(final long k1, final long k2, final long k3, final RowWriter row)
    {
        row.protocol((int)k1).port((int)k2, k3 != 0);
    }
}
