package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.SealedBucket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchAssemblerTest
{
    private final SealedBucket bucket = BucketRecordCodecTest.bucket();
    private final BucketRecordEncoder encoder = new BucketRecordEncoder();
    private final BatchAssembler assembler = new BatchAssembler(1_000);

    private byte[] row(final int index, final int shard)
    {
        return encoder.row(new BucketRow().wrap(bucket, index), shard);
    }

    @Test
    void shouldMakeOneContributionPerShardWhenEachShardEnds()
    {
        encoder.begin(bucket, "p1", 1);
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 10, row(0, 2), -1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 11, row(1, 5), -1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 12, row(2, 2), -1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 13, encoder.quality(bucket.quality(), 5), -1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 14, encoder.end(2, 2, 0), -1));

        final SubBatch first = assembler.nextReady();
        assertEquals("file:sha256:ab12#s2", first.stream().id());
        assertEquals("a \"b\".pcap", first.stream().label());
        assertEquals("edge-1", first.agent());
        assertEquals(2, first.part());
        assertEquals(BucketRecordCodecTest.START, first.startEpochSecond());
        assertEquals(2, first.rowCount());
        assertFalse(first.hasQuality());
        assertEquals(0, first.quality().frames());
        assertEquals(10, assembler.committableOffset(0), "shard 2 not applied yet");

        assembler.applied(first);
        assertEquals(11, assembler.committableOffset(0), "shard 5 began at 11 and has not ended");
        assertNull(assembler.nextReady());

        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 15, encoder.end(5, 1, 1), -1));
        final SubBatch second = assembler.nextReady();
        assertEquals("file:sha256:ab12#s5", second.stream().id());
        assertEquals(1, second.rowCount());
        assertEquals(bucket.quality(), second.quality());
        assertEquals(11, assembler.committableOffset(0));
        assembler.applied(second);
        assertEquals(16, assembler.committableOffset(0));
        assertEquals(0, assembler.incomplete());
        assertEquals(0, assembler.openRows());
    }

    @Test
    void shouldDropAShardsTailWhenReadingBeganAfterItsHead()
    {
        // a restarted collector reads from the committed offset: shard 2's first row (index 0) lay before it and was
        // applied whole with the rest of the shard by the previous owner; shard 5 begins after it
        encoder.begin(bucket, "p1", 1);
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 11, row(1, 5), 0));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 12, row(2, 2), 1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 13, encoder.quality(bucket.quality(), 5), 1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 14, encoder.end(2, 2, 0), 2));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(0, 15, encoder.end(5, 1, 1), 2));

        final SubBatch only = assembler.nextReady();
        assertEquals("file:sha256:ab12#s5", only.stream().id());
        assertEquals(1, only.rowCount());
        assembler.applied(only);
        assertNull(assembler.nextReady(), "shard 2's tail is not applied in place of the whole shard");
        assertEquals(1, assembler.alreadyApplied());
        assertEquals(0, assembler.incomplete());
        assertEquals(16, assembler.committableOffset(0));
    }

    @Test
    void shouldKeepPublishersApartWhenTheirRecordsInterleave()
    {
        final BucketRecordEncoder other = new BucketRecordEncoder();
        encoder.begin(bucket, "p1", 1);
        other.begin(bucket, "p2", 1);
        assembler.onRecord(3, 0, row(0, 1), -1);
        assembler.onRecord(3, 1, other.row(new BucketRow().wrap(bucket, 1), 1), -1);
        assembler.onRecord(3, 2, row(2, 1), -1);
        assembler.onRecord(3, 3, other.end(1, 1, 0), -1);
        assembler.onRecord(3, 4, encoder.end(1, 2, 0), -1);

        final SubBatch fromP2 = assembler.nextReady();
        assertEquals(1, fromP2.rowCount());
        assembler.applied(fromP2);
        assertEquals(0, assembler.committableOffset(3));
        final SubBatch fromP1 = assembler.nextReady();
        assertEquals(2, fromP1.rowCount());
        assembler.applied(fromP1);
        assertEquals(5, assembler.committableOffset(3));
        assertEquals(0, assembler.incomplete());
    }

    @Test
    void shouldApplyAndCountIncompleteWhenAShardNeverEndsOrEndsShort()
    {
        encoder.begin(bucket, "p1", 1);
        assembler.onRecord(0, 0, row(0, 4), -1);
        assembler.onRecord(0, 1, row(1, 4), -1);
        assertFalse(assembler.hasReady());
        encoder.begin(bucket, "p1", 2);
        assembler.onRecord(0, 2, row(0, 4), -1);

        final SubBatch givenUp = assembler.nextReady();
        assertEquals(2, givenUp.rowCount());
        assertEquals(1, assembler.incomplete());
        assembler.applied(givenUp);
        assertEquals(2, assembler.committableOffset(0));

        assembler.onRecord(0, 3, encoder.end(4, 3, 0), -1);
        final SubBatch ended = assembler.nextReady();
        assertEquals(1, ended.rowCount());
        assertEquals(2, assembler.incomplete());
    }

    @Test
    void shouldSkipButCountOffsetWhenARecordIsBad()
    {
        encoder.begin(bucket, "p1", 1);
        assertEquals(BatchAssembler.BAD, assembler.onRecord(1, 7, "garbage".getBytes(StandardCharsets.UTF_8), -1));
        assertEquals("malformed JSON at byte 0: expected '{'", assembler.lastFailure());
        assertEquals(8, assembler.committableOffset(1));
        assertEquals(BatchAssembler.ACCEPTED, assembler.onRecord(1, 8, encoder.quality(bucket.quality(), 0), -1));
        assertEquals(BatchAssembler.BAD, assembler.onRecord(1, 9, encoder.quality(bucket.quality(), 0), -1));
        assertTrue(assembler.lastFailure().startsWith("a second quality record"), assembler.lastFailure());
        assertEquals(8, assembler.committableOffset(1));
        assertEquals(-1, assembler.committableOffset(2));
    }

    @Test
    void shouldDropWhatAPartitionHeldWhenItIsRevoked()
    {
        encoder.begin(bucket, "p1", 1);
        assembler.onRecord(0, 0, row(0, 0), -1);
        assembler.onRecord(0, 1, encoder.end(0, 1, 0), -1);
        assembler.onRecord(1, 0, row(1, 1), -1);
        assembler.onRecord(1, 1, encoder.end(1, 1, 0), -1);
        assembler.onRecord(0, 2, row(2, 0), -1);

        assembler.forget(0);

        final SubBatch left = assembler.nextReady();
        assertEquals(1, left.partition());
        assembler.applied(left);
        assertFalse(assembler.hasReady());
        assertEquals(-1, assembler.committableOffset(0));
        assertEquals(0, assembler.openRows());
    }

    @Test
    void shouldGiveUpTheOldestOpenShardWhenTooManyRowsAreOpen()
    {
        final BatchAssembler small = new BatchAssembler(2);
        encoder.begin(bucket, "p1", 1);
        small.onRecord(0, 0, row(0, 0), -1);
        small.onRecord(0, 1, row(1, 1), -1);
        assertFalse(small.hasReady());
        small.onRecord(0, 2, row(2, 1), -1);

        final SubBatch oldest = small.nextReady();
        assertSame(0, oldest.stream().id().endsWith("#s0") ? 0 : 1);
        assertEquals(1, small.incomplete());
        assertEquals(2, small.openRows());
    }
}
