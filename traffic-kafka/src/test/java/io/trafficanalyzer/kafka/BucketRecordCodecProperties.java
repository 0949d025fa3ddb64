package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketRecordCodecProperties
{
    private static final List<String> VIEWS = List.of("hosts", "ports", "peers", "vlan");
    private static final String[] NAMES = { "edge-1", "a\"b\\c", "tab\there", "caf\u00e9 \u2603", "\u0001\u007f", "" };

    @Property(tries = 200)
    void shouldReadBackEveryRowAndFigureWhenAnyBatchIsEncoded(
        @ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int rows)
    {
        final Random random = new Random(seed);
        final BucketBuilder builder = new BucketBuilder(VIEWS);
        for (int i = 0; i < rows; i++)
        {
            final int view = random.nextInt(VIEWS.size());
            final boolean folded = random.nextInt(8) == 0;
            final long[] host = address(random);
            final long[] peer = folded || (view != 2 && view != 3) ? new long[2] : address(random);
            final int port = folded || (view != 1 && view != 3) ? 0 : random.nextInt(65_536);
            // the role: 0 client, 1 server, 2 refused
            final int role = port != 0 ? random.nextInt(3) : 0;
            builder.addRow(view, host[0], host[1], peer[0], peer[1], folded ? 0 : random.nextInt(256), port, role,
                view == 3 ? random.nextLong() : 0, folded, count(random), count(random), count(random), count(random));
        }
        final long[] figures = new long[QualityFigures.LENGTH];
        for (int i = 0; i < figures.length; i++)
        {
            figures[i] = count(random);
        }
        final String agent = NAMES[random.nextInt(NAMES.length)];
        final CaptureStream stream = new CaptureStream("run:" + NAMES[random.nextInt(NAMES.length)] + "x",
            NAMES[random.nextInt(NAMES.length)]);
        final SealedBucket bucket = builder.build(agent, stream, random.nextInt(Integer.MAX_VALUE),
            random.nextLong() >> 20, 1 + random.nextInt(86_400), new QualityFigures(figures));
        final long sequence = random.nextLong() & Long.MAX_VALUE;

        final BucketRecordEncoder encoder = new BucketRecordEncoder();
        final BucketRecordDecoder decoder = new BucketRecordDecoder();
        encoder.begin(bucket, "publisher", sequence);
        final BucketRow row = new BucketRow();
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            row.wrap(bucket, i);
            final int shard = random.nextInt(BucketRecordDescriptor.SHARDS);
            assertTrue(decoder.decode(encoder.row(row, shard)), decoder.failure());
            assertEquals(agent, decoder.agent());
            assertEquals(stream.id(), decoder.stream());
            assertEquals(stream.label(), decoder.streamLabel());
            assertEquals(bucket.part(), decoder.part());
            assertEquals(bucket.startEpochSecond(), decoder.bucketStart());
            assertEquals(bucket.widthSeconds(), decoder.bucketSeconds());
            assertEquals(sequence, decoder.sequence());
            assertEquals(shard, decoder.shard());
            assertEquals(row.view(), decoder.view());
            final long[] written = { row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo(), row.protocol(),
                row.port(), row.served() ? (row.refused() ? 2 : 1) : 0, row.key(), row.isFolded() ? 1 : 0,
                row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets() };
            final long[] read = { decoder.hostHi(), decoder.hostLo(), decoder.peerHi(), decoder.peerLo(),
                decoder.protocol(), decoder.port(), decoder.served() ? (decoder.refused() ? 2 : 1) : 0, decoder.key(),
                decoder.folded() ? 1 : 0, decoder.inBytes(), decoder.inPackets(), decoder.outBytes(),
                decoder.outPackets() };
            assertArrayEquals(written, read, row.toString());
        }
        assertTrue(decoder.decode(encoder.quality(bucket.quality(), 0)), decoder.failure());
        assertEquals(bucket.quality(), new QualityFigures(decoder.figures()));
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenARecordIsDamaged(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final SealedBucket bucket = BucketRecordCodecTest.bucket();
        final BucketRecordEncoder encoder = new BucketRecordEncoder();
        encoder.begin(bucket, "publisher", 1);
        final byte[] record = encoder.row(new BucketRow().wrap(bucket, random.nextInt(bucket.rowCount())), 3);
        final int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++)
        {
            record[random.nextInt(record.length)] = (byte)random.nextInt(256);
        }

        final BucketRecordDecoder decoder = new BucketRecordDecoder();
        if (!decoder.decode(record))
        {
            assertTrue(null != decoder.failure() && !decoder.failure().isEmpty());
        }
    }

    private static long[] address(final Random random)
    {
        if (random.nextBoolean())
        {
            return new long[]{ DecodedPacket.IPV4_MAPPED_HI, DecodedPacket.ipv4MappedLo(random.nextInt()) };
        }
        return new long[]{ random.nextLong(), random.nextLong() };
    }

    private static long count(final Random random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return 0;
            case 1:
                return Long.MAX_VALUE - random.nextInt(1000);
            default:
                return random.nextLong() >>> (1 + random.nextInt(62));
        }
    }
}
