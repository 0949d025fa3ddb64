package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;
import io.trafficanalyzer.core.sink.StatsRow;

import static io.trafficanalyzer.core.sink.StatsRow.CLIENT;
import static io.trafficanalyzer.core.sink.StatsRow.REFUSING;
import static io.trafficanalyzer.core.sink.StatsRow.SERVER;

/**
 * The {@code ports} view: key (host, protocol, service port, role); only packets with ports. The role is
 * {@link StatsRow#CLIENT}, {@link StatsRow#SERVER} or {@link StatsRow#REFUSING}.
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
