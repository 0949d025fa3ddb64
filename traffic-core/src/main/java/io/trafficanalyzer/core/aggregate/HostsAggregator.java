package io.trafficanalyzer.core.aggregate;

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

    public void onEntry(
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final boolean folded,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        rows.begin().host(hostHi, hostLo).protocol((int)k1).folded(folded)
            .in(inBytes, inPackets).out(outBytes, outPackets).commit();
    }
}
