package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.QualityFigures;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The records of format 1 on the topic, one JSON object each: a {@code row} per row of a batch, one {@code quality}
 * record per batch, and an {@code end} record per shard of the batch, after that shard's rows. The field names and
 * their meaning are the public contract documented in the module's README; every field a record carries is listed
 * here once.
 * <pre>
 *   row      common fields, view, host, protocol, protocol_number, [port, served], [peer], [key], folded, measures
 *   quality  common fields, the bucket_quality columns
 *   end      common fields, rows, quality
 *   common   format, type, agent, stream, stream_label, part, time, bucket_start, bucket_seconds, shard,
 *            publisher, sequence
 * </pre>
 * A batch's rows are split into {@link #SHARDS} shards by their key (agent and local host); a shard's records all go
 * to one partition, {@code shard % partitions}, so the collector that owns the partition sees the whole shard.
 */
final class BucketRecordDescriptor
{
    static final int FORMAT_VERSION = 1;
    static final int SHARDS = 16;

    /**
     * The Kafka header that numbers a record among its shard's records of one publication (4 bytes, big-endian,
     * from 0): a collector that starts reading a partition mid-shard knows it did not read the shard's head.
     */
    static final String INDEX_HEADER = "shard_record";

    static final String ROW = "row";
    static final String QUALITY = "quality";
    static final String END = "end";

    static final int FIELD_FORMAT = 0;
    static final int FIELD_TYPE = 1;
    static final int FIELD_AGENT = 2;
    static final int FIELD_STREAM = 3;
    static final int FIELD_STREAM_LABEL = 4;
    static final int FIELD_PART = 5;
    static final int FIELD_TIME = 6;
    static final int FIELD_BUCKET_START = 7;
    static final int FIELD_BUCKET_SECONDS = 8;
    static final int FIELD_SHARD = 9;
    static final int FIELD_PUBLISHER = 10;
    static final int FIELD_SEQUENCE = 11;
    static final int FIELD_VIEW = 12;
    static final int FIELD_HOST = 13;
    static final int FIELD_PROTOCOL = 14;
    static final int FIELD_PROTOCOL_NUMBER = 15;
    static final int FIELD_PORT = 16;
    static final int FIELD_SERVED = 17;
    static final int FIELD_PEER = 18;
    static final int FIELD_KEY = 19;
    static final int FIELD_FOLDED = 20;
    static final int FIELD_IN_BYTES = 21;
    static final int FIELD_IN_PACKETS = 22;
    static final int FIELD_OUT_BYTES = 23;
    static final int FIELD_OUT_PACKETS = 24;
    static final int FIELD_ROWS = 25;
    static final int FIELD_QUALITY = 26;
    static final int FIELD_COMPLETE = 27;
    /** Field id of the quality figure at {@link QualityFigures} index i: {@code FIELD_FIGURE_BASE + i}. */
    static final int FIELD_FIGURE_BASE = 28;
    static final int FIELD_COUNT = FIELD_FIGURE_BASE + QualityFigures.LENGTH;

    /** What every record carries. */
    static final long COMMON_FIELDS = bits(
        FIELD_FORMAT, FIELD_TYPE, FIELD_AGENT, FIELD_STREAM, FIELD_STREAM_LABEL, FIELD_PART, FIELD_BUCKET_START,
        FIELD_BUCKET_SECONDS, FIELD_SHARD, FIELD_PUBLISHER, FIELD_SEQUENCE);
    /** What a row record carries besides the common fields. */
    static final long ROW_FIELDS = bits(
        FIELD_VIEW, FIELD_HOST, FIELD_PROTOCOL_NUMBER, FIELD_IN_BYTES, FIELD_IN_PACKETS, FIELD_OUT_BYTES,
        FIELD_OUT_PACKETS);
    /** What an end record carries besides the common fields. */
    static final long END_FIELDS = bits(FIELD_ROWS, FIELD_QUALITY);

    private static final String[] NAMES = new String[FIELD_COUNT];
    private static final byte[][] NAME_BYTES = new byte[FIELD_COUNT][];

    static
    {
        final String[] fixed = {
            "format", "type", "agent", "stream", "stream_label", "part", "time", "bucket_start", "bucket_seconds",
            "shard", "publisher", "sequence", "view", "host", "protocol", "protocol_number", "port", "served", "peer",
            "key", "folded", "in_bytes", "in_packets", "out_bytes", "out_packets", "rows", "quality", "complete" };
        System.arraycopy(fixed, 0, NAMES, 0, fixed.length);
        NAMES[FIELD_FIGURE_BASE + QualityFigures.FRAMES] = "frames";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.PACKETS] = "packets";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.BYTES] = "bytes";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.TRANSIT_PACKETS] = "transit_packets";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.TRANSIT_BYTES] = "transit_bytes";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.LATE_PACKETS] = "late_packets";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.RING_DROPS] = "ring_drops";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.KERNEL_DROPS] = "kernel_drops";
        NAMES[FIELD_FIGURE_BASE + QualityFigures.FOLDED_KEYS] = "folded_keys";
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            NAMES[FIELD_FIGURE_BASE + QualityFigures.outcomeIndex(FrameOutcome.get(i))] = FrameOutcome.get(i).label();
        }
        for (int i = 0; i < FIELD_COUNT; i++)
        {
            NAME_BYTES[i] = NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private BucketRecordDescriptor()
    {
    }

    /**
     * The JSON name of a field.
     *
     * @param field the field id.
     * @return the name.
     */
    static String name(final int field)
    {
        return NAMES[field];
    }

    /**
     * The JSON name of a field as ASCII bytes.
     *
     * @param field the field id.
     * @return the bytes, not to be changed.
     */
    static byte[] nameBytes(final int field)
    {
        return NAME_BYTES[field];
    }

    /**
     * The quality figures in the order the quality record lists them, as in the {@code bucket_quality} view.
     *
     * @return {@link QualityFigures} indexes.
     */
    static int[] figureOrder()
    {
        final int[] order = new int[QualityFigures.LENGTH];
        int n = 0;
        order[n++] = QualityFigures.FRAMES;
        order[n++] = QualityFigures.PACKETS;
        order[n++] = QualityFigures.BYTES;
        order[n++] = QualityFigures.TRANSIT_PACKETS;
        order[n++] = QualityFigures.TRANSIT_BYTES;
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            order[n++] = QualityFigures.outcomeIndex(FrameOutcome.get(i));
        }
        order[n++] = QualityFigures.LATE_PACKETS;
        order[n++] = QualityFigures.RING_DROPS;
        order[n++] = QualityFigures.KERNEL_DROPS;
        order[n] = QualityFigures.FOLDED_KEYS;

        return order;
    }

    /**
     * The shard of a record key, murmur2 as Kafka's default partitioner hashes keys.
     *
     * @param key the key's bytes.
     * @return 0 to {@link #SHARDS} - 1.
     */
    static int shard(final byte[] key)
    {
        return Utils.toPositive(Utils.murmur2(key)) % SHARDS;
    }

    /**
     * The partition that holds a shard.
     *
     * @param shard      the shard.
     * @param partitions the topic's partition count.
     * @return the partition.
     */
    static int partition(final int shard, final int partitions)
    {
        return shard % partitions;
    }

    /**
     * The text the {@code protocol} field shows for an IP protocol number, as the SQLite views do.
     *
     * @param protocol the number.
     * @return tcp, udp, icmp, icmpv6 or other.
     */
    static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case 6:
                return "tcp";
            case 17:
                return "udp";
            case 1:
                return "icmp";
            case 58:
                return "icmpv6";
            default:
                return "other";
        }
    }

    private static long bits(final int... fields)
    {
        long bits = 0;
        for (final int field : fields)
        {
            bits |= 1L << field;
        }

        return bits;
    }
}
