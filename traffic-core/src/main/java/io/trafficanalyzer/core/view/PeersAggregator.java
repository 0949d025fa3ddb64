package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;

/**
 * The {@code peers} view: key (host, peer, protocol).
 */
final class PeersAggregator extends ViewTableAggregator
{
    PeersAggregator(final AggregatorContext context)
    {
        super(context);
    }

    public void onPacket(final PacketRecordDecoder packet)
    {
        table.add(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.peerHi(), packet.peerLo(),
            packet.protocol(), packet.isOutbound(), packet.packets(), packet.bytes());
    }

    public boolean prefetch(final PacketRecordDecoder packet)
    {
        return table.prefetch(
            packet.bucketStartSecond(), packet.hostHi(), packet.hostLo(), packet.peerHi(), packet.peerLo(),
            packet.protocol());
    }

    public void writeKey(final long k1, final long k2, final long k3, final RowWriter row)
    {
        row.peer(k1, k2).protocol((int)k3);
    }
}
