package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketBuilder;
import io.trafficanalyzer.core.sink.BucketRow;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.SealedBucket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BucketRecordCodecTest
{
    static final long START = 1_795_687_200L;
    private static final String COMMON = "\"agent\":\"edge-1\",\"stream\":\"file:sha256:ab12\"," +
        "\"stream_label\":\"a \\\"b\\\".pcap\",\"part\":2,\"time\":\"2026-11-26T10:00:00Z\"," +
        "\"bucket_start\":1795687200,\"bucket_seconds\":10,\"publisher\":\"pub-1\",\"sequence\":7";

    private final BucketRecordEncoder encoder = new BucketRecordEncoder();
    private final BucketRecordDecoder decoder = new BucketRecordDecoder();

    static SealedBucket bucket()
    {
        final BucketBuilder builder = new BucketBuilder(List.of("hosts", "ports", "peers", "dscp"));
        final long[] host = IpAddresses.parse("10.0.0.5");
        final long[] peer = IpAddresses.parse("2001:db8::7");
        final long[] v6Host = IpAddresses.parse("fd00::1");
        builder.addRow(0, host[0], host[1], 0, 0, 6, 0, false, 0, false, 1500, 3, 200, 2);
        builder.addRow(1, host[0], host[1], 0, 0, 6, 443, true, 0, false, 1500, 3, 200, 2);
        builder.addRow(2, v6Host[0], v6Host[1], peer[0], peer[1], 17, 0, false, 0, false, 90, 1, 0, 0);
        builder.addRow(2, host[0], host[1], 0, 0, 0, 0, false, 0, true, 7, 1, 8, 1);
        builder.addRow(3, host[0], host[1], 0, 0, 47, 0, false, 46, false, 5, 1, 6, 1);
        final long[] figures = new long[QualityFigures.LENGTH];
        for (int i = 0; i < figures.length; i++)
        {
            figures[i] = 100 + i;
        }
        figures[QualityFigures.KERNEL_DROPS] = 0;
        figures[QualityFigures.RING_DROPS] = 0;

        return builder.build(
            "edge-1", new CaptureStream("file:sha256:ab12", "a \"b\".pcap"), 2, START, 10, new QualityFigures(figures));
    }

    private String row(final SealedBucket bucket, final int index, final int shard)
    {
        encoder.begin(bucket, "pub-1", 7);
        return new String(encoder.row(new BucketRow().wrap(bucket, index), shard), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteTheContractFieldsWhenRowsOfEachViewAreEncoded()
    {
        final SealedBucket bucket = bucket();

        assertEquals("{\"format\":1,\"type\":\"row\"," + COMMON + ",\"shard\":3,\"view\":\"hosts\"," +
            "\"host\":\"10.0.0.5\",\"protocol\":\"tcp\",\"protocol_number\":6,\"folded\":0,\"in_bytes\":1500," +
            "\"in_packets\":3,\"out_bytes\":200,\"out_packets\":2}", row(bucket, 0, 3));
        assertEquals("{\"format\":1,\"type\":\"row\"," + COMMON + ",\"shard\":3,\"view\":\"ports\"," +
            "\"host\":\"10.0.0.5\",\"protocol\":\"tcp\",\"protocol_number\":6,\"port\":443,\"served\":1," +
            "\"folded\":0,\"in_bytes\":1500,\"in_packets\":3,\"out_bytes\":200,\"out_packets\":2}", row(bucket, 1, 3));
        assertEquals("{\"format\":1,\"type\":\"row\"," + COMMON + ",\"shard\":0,\"view\":\"peers\"," +
            "\"host\":\"10.0.0.5\",\"protocol\":\"other\",\"protocol_number\":0,\"peer\":\"*\",\"folded\":1," +
            "\"in_bytes\":7,\"in_packets\":1,\"out_bytes\":8,\"out_packets\":1}", row(bucket, 2, 0));
        assertEquals("{\"format\":1,\"type\":\"row\"," + COMMON + ",\"shard\":15,\"view\":\"peers\"," +
            "\"host\":\"fd00::1\",\"protocol\":\"udp\",\"protocol_number\":17,\"peer\":\"2001:db8::7\",\"folded\":0," +
            "\"in_bytes\":90,\"in_packets\":1,\"out_bytes\":0,\"out_packets\":0}", row(bucket, 3, 15));
        assertEquals("{\"format\":1,\"type\":\"row\"," + COMMON + ",\"shard\":1,\"view\":\"dscp\"," +
            "\"host\":\"10.0.0.5\",\"protocol\":\"other\",\"protocol_number\":47,\"port\":0,\"served\":0," +
            "\"peer\":\"::\",\"key\":46,\"folded\":0,\"in_bytes\":5,\"in_packets\":1,\"out_bytes\":6," +
            "\"out_packets\":1}", row(bucket, 4, 1));
    }

    @Test
    void shouldWriteTheBucketQualityColumnsWhenTheQualityRecordIsEncoded()
    {
        final SealedBucket bucket = bucket();
        encoder.begin(bucket, "pub-1", 7);

        final String quality = new String(encoder.quality(bucket.quality(), 4), StandardCharsets.UTF_8);

        assertEquals("{\"format\":1,\"type\":\"quality\"," + COMMON + ",\"shard\":4,\"frames\":100," +
            "\"packets\":101,\"bytes\":102,\"transit_packets\":103,\"transit_bytes\":104,\"decoded\":109," +
            "\"non_ip\":110,\"unsupported_link_type\":111,\"truncated_link_header\":112,\"bad_ip_version\":113," +
            "\"bad_ip_header_length\":114,\"truncated_ip_header\":115,\"truncated_extension_header\":116," +
            "\"truncated_transport_header\":117,\"late_packets\":105,\"ring_drops\":0,\"kernel_drops\":0," +
            "\"folded_keys\":108,\"complete\":1}", quality);
        assertTrue(decoder.decode(quality.getBytes(StandardCharsets.UTF_8)), decoder.failure());
        assertEquals(BucketRecordDecoder.QUALITY, decoder.type());
        assertEquals(bucket.quality(), new QualityFigures(decoder.figures()));
        assertEquals(9, FrameOutcome.count(), "a new outcome adds a field: extend the expected record");
    }

    @Test
    void shouldWriteTheShardRowCountWhenTheEndRecordIsEncoded()
    {
        encoder.begin(bucket(), "pub-1", 7);

        final byte[] end = encoder.end(9, 1234, 1);

        assertEquals("{\"format\":1,\"type\":\"end\"," + COMMON + ",\"shard\":9,\"rows\":1234,\"quality\":1}",
            new String(end, StandardCharsets.UTF_8));
        assertTrue(decoder.decode(end), decoder.failure());
        assertEquals(BucketRecordDecoder.END, decoder.type());
        assertEquals(1234, decoder.rows());
        assertTrue(decoder.carriesQuality());
        assertEquals(9, decoder.shard());
    }

    @Test
    void shouldReadBackEveryFieldWhenEachRowIsDecoded()
    {
        final SealedBucket bucket = bucket();
        encoder.begin(bucket, "pub-1", 7);
        final BucketRow row = new BucketRow();
        for (int i = 0; i < bucket.rowCount(); i++)
        {
            row.wrap(bucket, i);
            assertTrue(decoder.decode(encoder.row(row, 5)), decoder.failure());

            assertEquals(BucketRecordDecoder.ROW, decoder.type());
            assertEquals("edge-1", decoder.agent());
            assertEquals("file:sha256:ab12", decoder.stream());
            assertEquals("a \"b\".pcap", decoder.streamLabel());
            assertEquals(2, decoder.part());
            assertEquals(START, decoder.bucketStart());
            assertEquals(10, decoder.bucketSeconds());
            assertEquals("pub-1", decoder.publisher());
            assertEquals(7, decoder.sequence());
            assertEquals(5, decoder.shard());
            assertEquals(row.view(), decoder.view());
            assertArrayEquals(new long[]{ row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo() },
                new long[]{ decoder.hostHi(), decoder.hostLo(), decoder.peerHi(), decoder.peerLo() });
            assertEquals(row.protocol(), decoder.protocol());
            assertEquals(row.port(), decoder.port());
            assertEquals(row.served(), decoder.served());
            assertEquals(row.key(), decoder.key());
            assertEquals(row.isFolded(), decoder.folded());
            assertArrayEquals(new long[]{ row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets() },
                new long[]{ decoder.inBytes(), decoder.inPackets(), decoder.outBytes(), decoder.outPackets() });
        }
    }

    @Test
    void shouldAcceptFieldsInAnyOrderWithUnknownFieldsAndBooleanFlagsWhenAnotherWriterProducedThem()
    {
        final String record = " { \"out_packets\": 2, \"extra\": {\"a\": [1, 2.5e3, \"x\", null, true]}, " +
            "\"served\": true, \"port\": 443, \"folded\": false, \"in_bytes\": 1500, \"in_packets\": 3, " +
            "\"out_bytes\": 200, \"protocol_number\": 6, \"host\": \"10.0.0.5\", \"view\": \"ports\", " +
            "\"sequence\": 7, \"publisher\": \"p\", \"shard\": 3, \"bucket_seconds\": 10, " +
            "\"bucket_start\": 1795687200, \"part\": 0, \"stream_label\": \"l\", \"stream\": \"s\", " +
            "\"agent\": \"a\\u00e9\\n\", \"type\": \"row\", \"format\": 1, \"peer\": null }\n";

        assertTrue(decoder.decode(record.getBytes(StandardCharsets.UTF_8)), decoder.failure());
        assertEquals("a\u00e9\n", decoder.agent());
        assertEquals(443, decoder.port());
        assertTrue(decoder.served());
        assertFalse(decoder.folded());
        assertEquals(0, decoder.peerHi());
        assertEquals(0, decoder.peerLo());
    }

    @Test
    void shouldRefuseWithAReasonWhenTheRecordIsNotAValidTrafficRecord()
    {
        final String valid = row(bucket(), 1, 3);

        assertRefused("malformed JSON at byte 0: expected '{'", "hello");
        assertRefused("malformed JSON: ends at byte 0", "");
        assertRefused("not a traffic record: no format field", "{\"ts\":1}");
        assertRefused("format 2 is newer than this reader's 1", valid.replace("\"format\":1", "\"format\":2"));
        assertRefused("format 2 is newer than this reader's 1",
            valid.replace("\"format\":1", "\"format\":2").replace("\"shard\":3", "\"shard\":{}"));
        assertRefused("unknown record type 'flow'", valid.replace("\"type\":\"row\"", "\"type\":\"flow\""));
        assertRefused("missing field agent", valid.replace("\"agent\":\"edge-1\",", ""));
        assertRefused("missing field in_bytes", valid.replace("\"in_bytes\":1500", "\"in_bytes\":null"));
        assertRefused("shard=16: out of range 0..15", valid.replace("\"shard\":3", "\"shard\":16"));
        assertRefused("port=65536: out of range 0..65535", valid.replace("\"port\":443", "\"port\":65536"));
        assertRefused("in_bytes=-1: out of range 0..9223372036854775807",
            valid.replace("\"in_bytes\":1500", "\"in_bytes\":-1"));
        assertRefused("in_bytes: not an integer", valid.replace("\"in_bytes\":1500", "\"in_bytes\":1.5"));
        assertRefused("in_bytes: number out of range",
            valid.replace("\"in_bytes\":1500", "\"in_bytes\":9223372036854775808"));
        assertRefused("in_bytes: not a number", valid.replace("\"in_bytes\":1500", "\"in_bytes\":\"1500\""));
        assertRefused("not an IP address: '10.0.0.256'", valid.replace("10.0.0.5", "10.0.0.256"));
        assertRefused("field port appears twice", valid.replace("\"port\":443", "\"port\":443,\"port\":443"));
        assertRefused("malformed JSON: data after the object at byte " + valid.length(), valid + "{}");
        assertRefused("stream: empty", valid.replace("file:sha256:ab12", ""));
        assertFalse(decoder.decode(null));
        assertEquals("no value", decoder.failure());
    }

    @Test
    void shouldRefuseEveryTruncationWhenARecordIsCutShort()
    {
        final byte[] valid = row(bucket(), 3, 15).getBytes(StandardCharsets.UTF_8);
        for (int length = 0; length < valid.length; length++)
        {
            final byte[] cut = java.util.Arrays.copyOf(valid, length);
            assertFalse(decoder.decode(cut), "a record cut to " + length + " bytes was read");
            assertTrue(decoder.failure().startsWith("malformed JSON"), decoder.failure());
        }
        assertTrue(decoder.decode(valid), decoder.failure());
    }

    private void assertRefused(final String reason, final String record)
    {
        assertFalse(decoder.decode(record.getBytes(StandardCharsets.UTF_8)), "read: " + record);
        assertEquals(reason, decoder.failure());
    }
}
