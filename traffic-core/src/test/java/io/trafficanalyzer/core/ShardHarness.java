package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.Aggregator;
import io.trafficanalyzer.core.view.AggregatorContext;
import io.trafficanalyzer.core.view.AggregatorProvider;
import io.trafficanalyzer.core.view.PacketRecordDecoder;
import io.trafficanalyzer.core.view.PacketRecordDescriptor;
import io.trafficanalyzer.core.codec.DecodedPacket;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * One aggregator shard outside a pipeline, for benchmarks: packet records go straight to its message handler, as
 * its ring buffer would hand them over.
 */
public final class ShardHarness implements AutoCloseable
{
    public static final int RECORD_LENGTH = PacketRecordDescriptor.PACKET_LENGTH;

    private final AggregatorAgent agent;
    private final PacketRecordEncoder encoder = new PacketRecordEncoder();
    private final PacketRecordDecoder decoder = new PacketRecordDecoder();
    private final OneToOneRingBuffer cacheRing = ring(1 << 24);
    private final DecodedPacket cachePacket = new DecodedPacket().reset();
    private FlowCache cache;

    public ShardHarness(final List<AggregatorProvider> views, final int maxKeysPerBucket, final int openBuckets)
    {
        final List<String> names = new ArrayList<>();
        final Aggregator[] aggregators = new Aggregator[views.size()];
        final AggregatorContext context = new AggregatorContext(0, 1, maxKeysPerBucket, openBuckets, 10);
        for (int i = 0; i < aggregators.length; i++)
        {
            names.add(views.get(i).view());
            aggregators[i] = views.get(i).newAggregator(context);
        }

        agent = new AggregatorAgent(
            new Context().errorHandler(Throwable::printStackTrace).clock(() -> 0).liveIntervalNs(Long.MAX_VALUE), 0,
            ring(4096), new RecordWriter(ring(1 << 20), 1 << 16), aggregators, openBuckets, null);
    }

    public void encodePacket(
        final MutableDirectBuffer buffer,
        final int offset,
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final int protocol,
        final int servicePort,
        final boolean outbound,
        final boolean served,
        final int bytes)
    {
        encoder.wrap(buffer, offset)
            .bucketStartSecond(bucketStartSecond)
            .host(hostHi, hostLo)
            .peer(peerHi, peerLo)
            .packets(1)
            .bytes(bytes)
            .servicePort(servicePort)
            .vlanId(-1)
            .protocol(protocol)
            .flags((outbound ? PacketRecordDescriptor.OUTBOUND_FLAG : 0) |
                (served ? PacketRecordDescriptor.SERVED_FLAG : 0))
            .ipVersion(hostHi == 0 ? 4 : 6)
            .dscp(0);
    }

    // consecutive packet records, handed over as one read of the ring buffer would, then the end of that read
    public void onPackets(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        for (int i = 0, recordOffset = offset; i < count; i++, recordOffset += RECORD_LENGTH)
        {
            agent.onMessage(PacketRecordDescriptor.PACKET_MSG_TYPE_ID, buffer, recordOffset, RECORD_LENGTH);
        }
        agent.countGroup();
    }

    /**
     * Put a capture agent's flow cache in front of the shard, classifying 10.0.0.0/8 as local, for
     * {@link #onPacketsThroughCache}.
     *
     * @param entries of the cache.
     * @return this.
     */
    public ShardHarness flowCache(final int entries)
    {
        cache = new FlowCache(entries, new RecordWriter[]{ new RecordWriter(cacheRing, 1 << 16) }, false,
            io.trafficanalyzer.core.classify.LocalNetworks.of("10.0.0.0/8"));
        return this;
    }

    // packets, given as one-packet records of local hosts in 10/8, counted by the flow cache as the capture agent
    // would count them, then whatever records left it handed to the shard as one read of its ring
    public void onPacketsThroughCache(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        final FlowCache cache = this.cache;
        final PacketRecordDecoder packet = decoder;
        for (int i = 0, recordOffset = offset; i < count; i++, recordOffset += RECORD_LENGTH)
        {
            packet.wrap(buffer, recordOffset);
            final boolean outbound = packet.isOutbound();
            final DecodedPacket decoded = cachePacket;
            decoded.srcHi = outbound ? packet.hostHi() : packet.peerHi();
            decoded.srcLo = outbound ? packet.hostLo() : packet.peerLo();
            decoded.dstHi = outbound ? packet.peerHi() : packet.hostHi();
            decoded.dstLo = outbound ? packet.peerLo() : packet.hostLo();
            // the service port on the side that serves it, an ephemeral port above it on the other
            final int servicePort = packet.servicePort();
            final boolean atSource = packet.isServed() == outbound;
            decoded.srcPort = DecodedPacket.NO_PORT == servicePort || atSource ? servicePort : 65_535;
            decoded.dstPort = DecodedPacket.NO_PORT == servicePort || !atSource ? servicePort : 65_535;
            decoded.vlanId = packet.vlanId();
            decoded.protocol = packet.protocol();
            decoded.fragment = packet.isFragment();
            decoded.ipVersion = packet.ipVersion();
            decoded.dscp = packet.dscp();
            decoded.ipBytes = (int)packet.bytes();
            cache.add(packet.bucketStartSecond(), decoded);
        }

        if (cacheRing.size() > 0)
        {
            while (cacheRing.read(agent) > 0)
            {
                // the ring hands over what lies before its end, then the rest
            }
            agent.countGroup();
        }
    }

    /**
     * Write what the flow cache holds to the shard.
     */
    public void flushFlowCache()
    {
        cache.flush(Long.MAX_VALUE);
        while (cacheRing.read(agent) > 0)
        {
            // read on
        }
        agent.countGroup();
    }

    public void close()
    {
        agent.onClose();
        if (null != cache)
        {
            cache.close();
        }
    }

    private static OneToOneRingBuffer ring(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }
}
