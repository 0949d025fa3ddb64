package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.capture.CaptureStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketBuilderTest
{
    static final String AGENT = "test-agent";
    static final CaptureStream STREAM = new CaptureStream("run:test", "test");
    private static final List<String> VIEWS = List.of("hosts", "ports", "peers");

    static QualityFigures figures(final long frames, final long packets, final long bytes)
    {
        final long[] values = new long[QualityFigures.LENGTH];
        values[QualityFigures.FRAMES] = frames;
        values[QualityFigures.PACKETS] = packets;
        values[QualityFigures.BYTES] = bytes;
        return new QualityFigures(values);
    }

    @Test
    void shouldSumRowsWithEqualKeys()
    {
        final BucketBuilder builder = new BucketBuilder(VIEWS);
        builder.addRow(0, 0, 5, 0, 0, 6, 0, false, 0, false, 100, 1, 0, 0);
        builder.addRow(0, 0, 5, 0, 0, 6, 0, false, 0, false, 50, 2, 7, 1);
        builder.addRow(0, 0, 5, 0, 0, 17, 0, false, 0, false, 1, 1, 0, 0);
        builder.addRow(1, 0, 5, 0, 0, 6, 443, true, 0, false, 9, 1, 0, 0);
        builder.addRow(1, 0, 5, 0, 0, 6, 443, false, 0, false, 9, 1, 0, 0);

        final SealedBucket bucket = builder.build(AGENT, STREAM, 0, 100, 10, figures(5, 5, 5));

        assertEquals(4, bucket.rowCount());
        assertEquals("hosts", bucket.view(0));
        assertEquals(6, bucket.protocol(0));
        assertEquals(150, bucket.inBytes(0));
        assertEquals(3, bucket.inPackets(0));
        assertEquals(7, bucket.outBytes(0));
        assertEquals(1, bucket.outPackets(0));
        assertEquals(17, bucket.protocol(1));
        assertEquals("ports", bucket.view(2));
        assertFalse(bucket.served(2));
        assertTrue(bucket.served(3));
        assertEquals(0, builder.rowCount());
    }

    @Test
    void shouldOrderRowsTheSameWhateverTheInsertionOrder()
    {
        final List<long[]> rows = new ArrayList<>();
        final Random random = new Random(1);
        for (int i = 0; i < 2000; i++)
        {
            rows.add(new long[]{
                random.nextInt(3), random.nextInt(2) == 0 ? 0 : -random.nextInt(5), random.nextInt(50),
                random.nextInt(3), random.nextInt(256), random.nextInt(3), random.nextInt(2),
                random.nextInt(1000), random.nextInt(10) });
        }

        final BucketBuilder builder = new BucketBuilder(VIEWS);
        SealedBucket first = null;
        for (int round = 0; round < 3; round++)
        {
            Collections.shuffle(rows, random);
            for (final long[] r : rows)
            {
                builder.addRow((int)r[0], r[1], r[2], 0, r[3], (int)r[4], (int)r[5], r[6] == 1, 0, false, r[7], r[8],
                    0, 0);
            }
            final SealedBucket bucket = builder.build(AGENT, STREAM, 0, 0, 10, QualityFigures.EMPTY);
            if (null == first)
            {
                first = bucket;
            }
            assertEquals(first, bucket);
        }

        for (int i = 1; i < first.rowCount(); i++)
        {
            assertTrue(first.viewIndex(i - 1) <= first.viewIndex(i));
            if (first.viewIndex(i - 1) == first.viewIndex(i))
            {
                assertTrue(Long.compareUnsigned(first.hostHi(i - 1), first.hostHi(i)) <= 0);
            }
        }
    }

    @Test
    void shouldMergeTwoBucketsIntoOneSpanningBoth()
    {
        final BucketBuilder builder = new BucketBuilder(VIEWS);
        builder.addRow(0, 0, 5, 0, 0, 6, 0, false, 0, false, 100, 1, 0, 0);
        builder.addRow(2, 0, 5, 0, 9, 6, 0, false, 0, false, 100, 1, 0, 0);
        final SealedBucket older = builder.build(AGENT, STREAM, 0, 100, 10, figures(2, 2, 200));
        builder.addRow(0, 0, 5, 0, 0, 6, 0, false, 0, false, 10, 1, 20, 2);
        builder.addRow(2, 0, 5, 0, 8, 6, 0, false, 0, false, 1, 1, 0, 0);
        final SealedBucket newer = builder.build(AGENT, STREAM, 0, 120, 10, figures(4, 3, 31));

        final SealedBucket merged = builder.merge(older, newer);

        assertEquals(100, merged.startEpochSecond());
        assertEquals(30, merged.widthSeconds());
        assertEquals(3, merged.rowCount());
        assertEquals(110, merged.inBytes(0));
        assertEquals(2, merged.inPackets(0));
        assertEquals(20, merged.outBytes(0));
        assertEquals(8, merged.peerLo(1));
        assertEquals(9, merged.peerLo(2));
        assertEquals(figures(6, 5, 231), merged.quality());
    }

    @Test
    void shouldRejectRowOfUnknownView()
    {
        final BucketBuilder builder = new BucketBuilder(VIEWS);

        assertThrows(IllegalArgumentException.class,
            () -> builder.addRow(3, 0, 0, 0, 0, 0, 0, false, 0, false, 0, 0, 0, 0));
    }
}
