package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * The {@code hosts} view: key (host, protocol).
 */
final class HostsAggregator extends ViewTableAggregator
{
    HostsAggregator(final AggregatorContext context)
    {
        super(context);
    }

    public void onPacket(final PacketRecordDecoder packet)
    {
        table.add(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.protocol(), 0, 0,
            packet.isOutbound(), packet.packets(), packet.bytes());
    }

    public boolean prefetch(final PacketRecordDecoder packet)
    {
        return table.prefetch(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.protocol(), 0, 0);
    }

    public void writeKey(final long k1, final long k2, final long k3, final RowWriter row)
    {
        row.protocol((int)k1);
    }
}
