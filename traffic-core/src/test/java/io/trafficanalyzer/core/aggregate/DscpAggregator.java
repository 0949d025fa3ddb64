package io.trafficanalyzer.core.aggregate;

/**
 * A user's own view written against the public SPI only: bytes and packets per DSCP value, for all local hosts
 * together, so several shards produce rows with equal keys that the flush agent must sum.
 */
public final class DscpAggregator implements Aggregator, ViewTable.EntryHandler
{
    public static final AggregatorProvider PROVIDER = new AggregatorProvider()
    {
        public String view()
        {
            return ExpectedTraffic.DSCP_VIEW;
        }

        public Aggregator newAggregator(final AggregatorContext context)
        {
            return new DscpAggregator(context);
        }
    };

    private final ViewTable table;
    private RowWriter rows;

    public DscpAggregator(final AggregatorContext context)
    {
        table = new ViewTable(context.maxKeysPerBucket(), context.openBuckets());
    }

    public void onPacket(final PacketRecordDecoder packet)
    {
        table.add(
            packet.bucketStartSecond(), 0, 0, packet.dscp(), 0, 0, packet.isOutbound(), packet.packets(),
            packet.bytes());
    }

    public long onSeal(final long bucketStartSecond, final RowWriter rows)
    {
        this.rows = rows;
        return table.seal(bucketStartSecond, this);
    }

    public void onEntry(
        final long hostHi,
        final long hostLo,
        final long dscp,
        final long k2,
        final long k3,
        final boolean folded,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        rows.begin().host(hostHi, hostLo).key(dscp).folded(folded).in(inBytes, inPackets).out(outBytes, outPackets)
            .commit();
    }

    public long lostPackets()
    {
        return table.lostPackets();
    }

    public void close()
    {
        table.close();
    }
}
