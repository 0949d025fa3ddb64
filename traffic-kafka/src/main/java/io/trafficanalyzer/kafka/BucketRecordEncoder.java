package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_AGENT;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_BUCKET_SECONDS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_BUCKET_START;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_COMPLETE;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_FIGURE_BASE;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_FOLDED;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_FORMAT;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_HOST;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_IN_BYTES;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_IN_PACKETS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_KEY;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_OUT_BYTES;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_OUT_PACKETS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PART;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PEER;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PORT;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PROTOCOL;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PROTOCOL_NUMBER;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_PUBLISHER;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_QUALITY;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_ROWS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_SEQUENCE;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_SERVED;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_SHARD;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_STREAM;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_STREAM_LABEL;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_TIME;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_TYPE;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_VIEW;

/**
 * Writes the JSON records of one batch at a time ({@link BucketRecordDescriptor}): {@link #begin} encodes the fields
 * every record of the batch shares once, then {@link #row}, {@link #quality} and {@link #end} each return a new
 * record. Reused batch after batch by one thread.
 */
final class BucketRecordEncoder
{
    private static final DateTimeFormatter TIME_FORMAT =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final int[] FIGURE_ORDER = BucketRecordDescriptor.figureOrder();
    private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] numberScratch = new byte[20];
    private byte[] buffer = new byte[1024];
    private int length;
    private byte[] common = new byte[0];

    /**
     * Encode the fields that every record of a batch shares.
     *
     * @param batch     the batch.
     * @param publisher the publishing producer's id.
     * @param sequence  the publication's number.
     */
    void begin(final StatsBatch batch, final String publisher, final long sequence)
    {
        length = 0;
        stringField(FIELD_AGENT, batch.agent());
        stringField(FIELD_STREAM, batch.stream().id());
        stringField(FIELD_STREAM_LABEL, batch.stream().label());
        numberField(FIELD_PART, batch.part());
        stringField(FIELD_TIME, TIME_FORMAT.format(java.time.Instant.ofEpochSecond(batch.startEpochSecond())));
        numberField(FIELD_BUCKET_START, batch.startEpochSecond());
        numberField(FIELD_BUCKET_SECONDS, batch.widthSeconds());
        stringField(FIELD_PUBLISHER, publisher);
        numberField(FIELD_SEQUENCE, sequence);
        common = Arrays.copyOf(buffer, length);
    }

    /**
     * A row record.
     *
     * @param row   the row.
     * @param shard its shard.
     * @return the record's bytes.
     */
    byte[] row(final StatsRow row, final int shard)
    {
        start(BucketRecordDescriptor.ROW, shard);
        final String view = row.view();
        final boolean ports = StatsRow.PORTS.equals(view);
        final boolean peers = StatsRow.PEERS.equals(view);
        final boolean custom = !ports && !peers && !StatsRow.HOSTS.equals(view);
        stringField(FIELD_VIEW, view);
        addressField(FIELD_HOST, row.hostHi(), row.hostLo(), false);
        stringField(FIELD_PROTOCOL, BucketRecordDescriptor.protocolName(row.protocol()));
        numberField(FIELD_PROTOCOL_NUMBER, row.protocol());
        if (ports || custom)
        {
            numberField(FIELD_PORT, row.port());
            numberField(FIELD_SERVED, row.role());
        }
        if (peers || custom)
        {
            addressField(FIELD_PEER, row.peerHi(), row.peerLo(), row.isFolded());
        }
        if (custom)
        {
            numberField(FIELD_KEY, row.key());
        }
        numberField(FIELD_FOLDED, row.isFolded() ? 1 : 0);
        numberField(FIELD_IN_BYTES, row.inBytes());
        numberField(FIELD_IN_PACKETS, row.inPackets());
        numberField(FIELD_OUT_BYTES, row.outBytes());
        numberField(FIELD_OUT_PACKETS, row.outPackets());

        return finish();
    }

    /**
     * The quality record of the batch.
     *
     * @param quality the batch's figures.
     * @param shard   the shard that carries them.
     * @return the record's bytes.
     */
    byte[] quality(final BucketQuality quality, final int shard)
    {
        start(BucketRecordDescriptor.QUALITY, shard);
        for (final int index : FIGURE_ORDER)
        {
            numberField(FIELD_FIGURE_BASE + index, figure(quality, index));
        }
        numberField(FIELD_COMPLETE, quality.isComplete() ? 1 : 0);

        return finish();
    }

    /**
     * The end record of one shard of the batch.
     *
     * @param shard   the shard.
     * @param rows    how many row records of the shard precede it.
     * @param quality 1 when the shard carries the batch's quality record, else 0.
     * @return the record's bytes.
     */
    byte[] end(final int shard, final int rows, final int quality)
    {
        start(BucketRecordDescriptor.END, shard);
        numberField(FIELD_ROWS, rows);
        numberField(FIELD_QUALITY, quality);

        return finish();
    }

    static long figure(final BucketQuality quality, final int index)
    {
        if (quality instanceof QualityFigures)
        {
            return ((QualityFigures)quality).value(index);
        }

        switch (index)
        {
            case QualityFigures.FRAMES:
                return quality.frames();
            case QualityFigures.PACKETS:
                return quality.packets();
            case QualityFigures.BYTES:
                return quality.bytes();
            case QualityFigures.TRANSIT_PACKETS:
                return quality.transitPackets();
            case QualityFigures.TRANSIT_BYTES:
                return quality.transitBytes();
            case QualityFigures.LATE_PACKETS:
                return quality.latePackets();
            case QualityFigures.RING_DROPS:
                return quality.ringDrops();
            case QualityFigures.KERNEL_DROPS:
                return quality.kernelDrops();
            case QualityFigures.FOLDED_KEYS:
                return quality.foldedKeys();
            default:
                return quality.frames(FrameOutcome.get(index - QualityFigures.OUTCOME_BASE));
        }
    }

    private void start(final String type, final int shard)
    {
        length = 0;
        put((byte)'{');
        name(FIELD_FORMAT);
        number(BucketRecordDescriptor.FORMAT_VERSION);
        stringField(FIELD_TYPE, type);
        ensure(common.length);
        System.arraycopy(common, 0, buffer, length, common.length);
        length += common.length;
        numberField(FIELD_SHARD, shard);
    }

    private byte[] finish()
    {
        put((byte)'}');
        return Arrays.copyOf(buffer, length);
    }

    private void name(final int field)
    {
        // the shared fields are encoded apart, each after a comma, to follow the record's first fields
        if (0 == length || buffer[length - 1] != '{')
        {
            put((byte)',');
        }
        final byte[] name = BucketRecordDescriptor.nameBytes(field);
        ensure(name.length + 3);
        buffer[length++] = '"';
        System.arraycopy(name, 0, buffer, length, name.length);
        length += name.length;
        buffer[length++] = '"';
        buffer[length++] = ':';
    }

    private void numberField(final int field, final long value)
    {
        name(field);
        number(value);
    }

    private void stringField(final int field, final String value)
    {
        name(field);
        string(value);
    }

    private void addressField(final int field, final long hi, final long lo, final boolean folded)
    {
        name(field);
        if (folded && 0 == hi && 0 == lo)
        {
            string("*");
        }
        else if (DecodedPacket.isIpv4Mapped(hi, lo))
        {
            put((byte)'"');
            final int v4 = (int)lo;
            number((v4 >>> 24) & 0xFF);
            put((byte)'.');
            number((v4 >>> 16) & 0xFF);
            put((byte)'.');
            number((v4 >>> 8) & 0xFF);
            put((byte)'.');
            number(v4 & 0xFF);
            put((byte)'"');
        }
        else
        {
            string(IpAddresses.format(hi, lo));
        }
    }

    private void number(final long value)
    {
        if (value >= 0 && value < 10)
        {
            put(DIGITS[(int)value]);
            return;
        }

        if (value == Long.MIN_VALUE)
        {
            ascii(Long.toString(value));
            return;
        }

        long v = Math.abs(value);
        int i = numberScratch.length;
        while (v > 0)
        {
            numberScratch[--i] = DIGITS[(int)(v % 10)];
            v /= 10;
        }
        if (value < 0)
        {
            numberScratch[--i] = '-';
        }
        final int n = numberScratch.length - i;
        ensure(n);
        System.arraycopy(numberScratch, i, buffer, length, n);
        length += n;
    }

    private void ascii(final String text)
    {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            buffer[length++] = (byte)text.charAt(i);
        }
    }

    private void string(final String value)
    {
        put((byte)'"');
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                put((byte)'\\');
                put((byte)c);
            }
            else if (c < 0x20 || c == 0x7F)
            {
                ensure(6);
                buffer[length++] = '\\';
                buffer[length++] = 'u';
                buffer[length++] = '0';
                buffer[length++] = '0';
                buffer[length++] = HEX[c >>> 4];
                buffer[length++] = HEX[c & 0xF];
            }
            else if (c < 0x80)
            {
                put((byte)c);
            }
            else
            {
                // the rest of the string through the JDK's encoder: non-ASCII text in names is rare
                final byte[] utf8 = escapeRest(value, i).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buffer, length, utf8.length);
                length += utf8.length;
                break;
            }
        }
        put((byte)'"');
    }

    private static String escapeRest(final String value, final int from)
    {
        final StringBuilder sb = new StringBuilder(value.length() - from + 8);
        for (int i = from; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                sb.append('\\').append(c);
            }
            else if (c < 0x20 || c == 0x7F)
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }

        return sb.toString();
    }

    private void put(final byte b)
    {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(final int more)
    {
        if (length + more > buffer.length)
        {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
