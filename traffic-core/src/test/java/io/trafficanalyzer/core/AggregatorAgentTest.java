package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.Aggregator;
import io.trafficanalyzer.core.view.PacketRecordDecoder;
import io.trafficanalyzer.core.sink.RowWriter;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregatorAgentTest
{
    private static final long BUCKET_A = 1_700_000_000L;
    private static final long BUCKET_B = 1_700_000_010L;

    private final List<String> events = new ArrayList<>();
    private int prefetchesWanted = Integer.MAX_VALUE;
    private final OneToOneRingBuffer input = ring(256 * 1024);
    private final PacketRecordEncoder encoder = new PacketRecordEncoder();
    private final AggregatorAgent agent = new AggregatorAgent(
        new Context().clock(() -> 0).liveIntervalNs(Long.MAX_VALUE).errorHandler((ex) ->
        {
            throw new AssertionError(ex);
        }),
        0, input, new RecordWriter(ring(64 * 1024), 1024), new Aggregator[]{ new RecordingAggregator() }, 4, null);

    @Test
    void shouldCountEveryPacketBeforeTheSealThatFollowsItWhenBothArriveInOneRead()
    {
        final int beforeSeal = AggregatorAgent.GROUP_SIZE + 6;
        for (int i = 0; i < beforeSeal; i++)
        {
            writePacket(BUCKET_A, i);
        }
        writeSeal(BUCKET_A);
        for (int i = beforeSeal; i < beforeSeal + 5; i++)
        {
            writePacket(BUCKET_B, i);
        }

        agent.doWork();

        final int seal = events.indexOf("seal " + BUCKET_A);
        for (int i = 0; i < beforeSeal + 5; i++)
        {
            final int prefetched = events.indexOf("prefetch " + i);
            final int counted = events.indexOf("count " + i);
            assertTrue(prefetched >= 0 && prefetched < counted, "packet " + i + " in " + events);
            assertEquals(counted, events.lastIndexOf("count " + i));
            assertTrue(i < beforeSeal ? counted < seal : counted > seal, "packet " + i + " in " + events);
        }
        assertEquals(2 * (beforeSeal + 5) + 1, events.size());
    }

    @Test
    void shouldFindTheEntriesOfAWholeGroupBeforeCountingAnyOfIt()
    {
        for (int i = 0; i < 2 * AggregatorAgent.GROUP_SIZE; i++)
        {
            writePacket(BUCKET_A, i);
        }

        agent.doWork();

        final int size = AggregatorAgent.GROUP_SIZE;
        for (int group = 0; group < 2; group++)
        {
            final int first = group * size;
            assertTrue(events.indexOf("prefetch " + (first + size - 1)) < events.indexOf("count " + first));
        }
        assertTrue(events.indexOf("count " + (size - 1)) < events.indexOf("prefetch " + size));
    }

    @Test
    void shouldCountAGroupThatIsNotFullWhenTheReadEnds()
    {
        for (int i = 0; i < 3; i++)
        {
            writePacket(BUCKET_A, i);
        }

        assertEquals(3, agent.doWork());

        assertEquals(List.of("prefetch 0", "prefetch 1", "prefetch 2", "count 0", "count 1", "count 2"), events);
    }

    @Test
    void shouldSpareAViewTheRestOfAGroupsPrefetchesOnceItDeclinesThem()
    {
        prefetchesWanted = 2;
        for (int i = 0; i < 5; i++)
        {
            writePacket(BUCKET_A, i);
        }

        agent.doWork();

        assertEquals(
            List.of("prefetch 0", "prefetch 1", "count 0", "count 1", "count 2", "count 3", "count 4"), events);
    }

    @Test
    void shouldCountPacketsAsTheyComeForAWhileWhenNoViewPrefetches()
    {
        prefetchesWanted = 0;
        for (int i = 0; i < 3; i++)
        {
            writePacket(BUCKET_A, i);
        }
        agent.doWork();
        assertEquals(List.of("prefetch 0", "count 0", "count 1", "count 2"), events);
        events.clear();

        final int ungrouped = AggregatorAgent.GROUPS_BETWEEN_CHECKS * AggregatorAgent.GROUP_SIZE;
        for (int i = 3; i < ungrouped + 5; i++)
        {
            writePacket(BUCKET_A, i);
        }
        writeSeal(BUCKET_A);
        while (agent.doWork() > 0)
        {
        }

        assertEquals(ungrouped + 2 + 1 + 1, events.size());
        for (int i = 3; i < ungrouped + 3; i++)
        {
            assertEquals("count " + i, events.get(i - 3));
        }
        assertEquals(
            List.of("prefetch " + (ungrouped + 3), "count " + (ungrouped + 3), "count " + (ungrouped + 4),
            "seal " + BUCKET_A),
            events.subList(ungrouped, events.size()));
    }

    private void writePacket(final long bucket, final int id)
    {
        final int index = input.tryClaim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
        encoder.wrap(input.buffer(), index)
            .bucketStartSecond(bucket)
            .host(0, 0x0000_FFFF_0A00_0001L)
            .peer(0, 0x0000_FFFF_CB00_0001L)
            .packets(1)
            .bytes(id)
            .servicePort(80)
            .vlanId(-1)
            .protocol(6)
            .flags(OUTBOUND_FLAG)
            .ipVersion(4)
            .dscp(0);
        input.commit(index);
    }

    private void writeSeal(final long bucket)
    {
        final int index = input.tryClaim(SEAL_MSG_TYPE_ID, SEAL_LENGTH);
        input.buffer().putLong(index + BUCKET_START_OFFSET, bucket);
        input.commit(index);
    }

    private static OneToOneRingBuffer ring(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    private final class RecordingAggregator implements Aggregator
    {
        public boolean prefetch(final PacketRecordDecoder packet)
        {
            events.add("prefetch " + packet.bytes());
            return --prefetchesWanted > 0;
        }

        public void onPacket(final PacketRecordDecoder packet)
        {
            events.add("count " + packet.bytes());
        }

        public long onSeal(final long bucketStartSecond, final RowWriter rows)
        {
            events.add("seal " + bucketStartSecond);
            return 0;
        }
    }
}
