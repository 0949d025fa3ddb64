package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.ExpectedTraffic;
import io.trafficanalyzer.core.sink.RowWriter;

/**
 * A user's own view written against the public SPI only: bytes and packets per DSCP value, for all local hosts
 * together, so several shards produce rows with equal keys that the flush agent must sum.
 */
public final class DscpAggregator implements Aggregator
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
        return table.seal(bucketStartSecond, rows, (dscp, k2, k3, row) -> row.key(dscp));
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
