package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsRow;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.trafficanalyzer.kafka.BucketRecordDescriptor.COMMON_FIELDS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.END_FIELDS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_AGENT;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_BUCKET_SECONDS;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_BUCKET_START;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_COMPLETE;
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.FIELD_COUNT;
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
import static io.trafficanalyzer.kafka.BucketRecordDescriptor.ROW_FIELDS;

/**
 * Reads one JSON record of the topic ({@link BucketRecordDescriptor}) into its fields, which stay valid until the
 * next {@link #decode}. Any input is safe: a record that is not JSON, not a traffic record, of a newer format or
 * with a field out of range is refused with a one-line reason ({@link #failure()}), never an exception. Fields in
 * any order; unknown fields are skipped, so that a later minor revision of format 1 can add some.
 * <p>
 * Reused record after record by one thread; the text fields that repeat from record to record (agent, stream,
 * publisher) are kept as one String while their bytes stay the same. The JSON tokens are {@link JsonScanner}'s; what
 * is left here is the record's meaning: its 30-odd fields, each with an accessor, a case in the parse and a range
 * check, which is what makes the class long.
 */
final class BucketRecordDecoder
{
    static final int ROW = 1;
    static final int QUALITY = 2;
    static final int END = 3;

    private static final int TABLE_SIZE = 256;
    private static final int[] FIELD_TABLE = new int[TABLE_SIZE];
    private static final byte[] ROW_BYTES = BucketRecordDescriptor.ROW.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUALITY_BYTES = BucketRecordDescriptor.QUALITY.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_BYTES = BucketRecordDescriptor.END.getBytes(StandardCharsets.US_ASCII);
    private static final String[] BUILT_IN_VIEWS = { StatsRow.HOSTS, StatsRow.PORTS, StatsRow.PEERS };

    static
    {
        Arrays.fill(FIELD_TABLE, -1);
        for (int field = 0; field < FIELD_COUNT; field++)
        {
            final byte[] name = BucketRecordDescriptor.nameBytes(field);
            int slot = hash(name, 0, name.length) & (TABLE_SIZE - 1);
            while (FIELD_TABLE[slot] >= 0)
            {
                slot = (slot + 1) & (TABLE_SIZE - 1);
            }
            FIELD_TABLE[slot] = field;
        }
    }

    private final TextCache agentCache = new TextCache();
    private final TextCache streamCache = new TextCache();
    private final TextCache labelCache = new TextCache();
    private final TextCache publisherCache = new TextCache();
    private final TextCache viewCache = new TextCache();
    private final long[] address = new long[2];
    private final long[] figures = new long[QualityFigures.LENGTH];
    private final JsonScanner json = new JsonScanner();

    private long seen;
    private String failure;

    private long format;
    private int type;
    private String agent;
    private String stream;
    private String streamLabel;
    private String publisher;
    private long sequence;
    private long part;
    private long bucketStart;
    private long bucketSeconds;
    private long shard;
    private String view;
    private long hostHi;
    private long hostLo;
    private long peerHi;
    private long peerLo;
    private long protocol;
    private long port;
    private long served;
    private long key;
    private long folded;
    private long inBytes;
    private long inPackets;
    private long outBytes;
    private long outPackets;
    private long rows;
    private long quality;

    /**
     * Read a record.
     *
     * @param data the record's value; null reads as a bad record.
     * @return true when it is a valid record of this format, false with {@link #failure()} set otherwise.
     */
    boolean decode(final byte[] data)
    {
        failure = null;
        if (null == data)
        {
            failure = "no value";
            return false;
        }

        json.wrap(data);
        reset();
        try
        {
            parseObject();
            check();
            return true;
        }
        catch (final BadRecord ex)
        {
            // a newer format may change more than this reader can parse: say so rather than what broke first
            final boolean newer = 0 != (seen & (1L << FIELD_FORMAT)) && format > BucketRecordDescriptor.FORMAT_VERSION;
            failure = newer ? newerFormat() : ex.getMessage();
            return false;
        }
        finally
        {
            json.wrap(null);
        }
    }

    String failure()
    {
        return failure;
    }

    int type()
    {
        return type;
    }

    String agent()
    {
        return agent;
    }

    String stream()
    {
        return stream;
    }

    String streamLabel()
    {
        return streamLabel;
    }

    String publisher()
    {
        return publisher;
    }

    long sequence()
    {
        return sequence;
    }

    int part()
    {
        return (int)part;
    }

    long bucketStart()
    {
        return bucketStart;
    }

    int bucketSeconds()
    {
        return (int)bucketSeconds;
    }

    int shard()
    {
        return (int)shard;
    }

    String view()
    {
        return view;
    }

    long hostHi()
    {
        return hostHi;
    }

    long hostLo()
    {
        return hostLo;
    }

    long peerHi()
    {
        return peerHi;
    }

    long peerLo()
    {
        return peerLo;
    }

    int protocol()
    {
        return (int)protocol;
    }

    int port()
    {
        return (int)port;
    }

    boolean served()
    {
        return 0 != served;
    }

    boolean refused()
    {
        return StatsRow.REFUSING == served;
    }

    long key()
    {
        return key;
    }

    boolean folded()
    {
        return 0 != folded;
    }

    long inBytes()
    {
        return inBytes;
    }

    long inPackets()
    {
        return inPackets;
    }

    long outBytes()
    {
        return outBytes;
    }

    long outPackets()
    {
        return outPackets;
    }

    int rows()
    {
        return (int)rows;
    }

    boolean carriesQuality()
    {
        return 0 != quality;
    }

    /**
     * The quality figures of a quality record, laid out as {@link QualityFigures}; absent figures are 0.
     *
     * @return the array, overwritten by the next decode.
     */
    long[] figures()
    {
        return figures;
    }

    private void reset()
    {
        seen = 0;
        format = 0;
        type = 0;
        part = 0;
        port = 0;
        served = 0;
        peerHi = 0;
        peerLo = 0;
        key = 0;
        folded = 0;
        Arrays.fill(figures, 0);
    }

    private void check() throws BadRecord
    {
        if (0 == (seen & (1L << FIELD_FORMAT)))
        {
            throw new BadRecord("not a traffic record: no format field");
        }
        if (format > BucketRecordDescriptor.FORMAT_VERSION)
        {
            throw new BadRecord(newerFormat());
        }
        if (format < 1)
        {
            throw new BadRecord("format " + format + " does not exist");
        }
        if (0 == type)
        {
            throw new BadRecord("no record type");
        }

        requireAll(COMMON_FIELDS);
        if (ROW == type)
        {
            requireAll(ROW_FIELDS);
        }
        else if (END == type)
        {
            requireAll(END_FIELDS);
        }

        range(FIELD_PART, part, 0, Integer.MAX_VALUE);
        range(FIELD_BUCKET_SECONDS, bucketSeconds, 1, Integer.MAX_VALUE);
        range(FIELD_SHARD, shard, 0, BucketRecordDescriptor.SHARDS - 1);
        range(FIELD_SEQUENCE, sequence, 0, Long.MAX_VALUE);
        range(FIELD_PROTOCOL_NUMBER, protocol, 0, 255);
        range(FIELD_PORT, port, 0, 65535);
        range(FIELD_SERVED, served, StatsRow.CLIENT, StatsRow.REFUSING);
        range(FIELD_FOLDED, folded, 0, 1);
        range(FIELD_IN_BYTES, inBytes, 0, Long.MAX_VALUE);
        range(FIELD_IN_PACKETS, inPackets, 0, Long.MAX_VALUE);
        range(FIELD_OUT_BYTES, outBytes, 0, Long.MAX_VALUE);
        range(FIELD_OUT_PACKETS, outPackets, 0, Long.MAX_VALUE);
        range(FIELD_ROWS, rows, 0, Integer.MAX_VALUE);
        range(FIELD_QUALITY, quality, 0, 1);
        for (int i = 0; i < QualityFigures.LENGTH; i++)
        {
            range(FIELD_FIGURE_BASE + i, figures[i], 0, Long.MAX_VALUE);
        }
        if (stream.isEmpty())
        {
            throw new BadRecord("stream: empty");
        }
    }

    private String newerFormat()
    {
        return "format " + format + " is newer than this reader's " + BucketRecordDescriptor.FORMAT_VERSION;
    }

    private void requireAll(final long fields) throws BadRecord
    {
        final long missing = fields & ~seen;
        if (0 != missing)
        {
            throw new BadRecord("missing field " + BucketRecordDescriptor.name(Long.numberOfTrailingZeros(missing)));
        }
    }

    private static void range(final int field, final long value, final long min, final long max) throws BadRecord
    {
        if (value < min || value > max)
        {
            throw new BadRecord(BucketRecordDescriptor.name(field) + "=" + value + ": out of range " + min + ".." +
                max);
        }
    }

    private void parseObject() throws BadRecord
    {
        json.skipWhitespace();
        json.expect('{');
        json.skipWhitespace();
        if (json.peek() == '}')
        {
            json.next();
        }
        else
        {
            while (true)
            {
                json.skipWhitespace();
                json.expect('"');
                final int nameStart = json.position();
                final int nameEnd = json.scanString();
                final int field = lookup(nameStart, nameEnd);
                json.skipWhitespace();
                json.expect(':');
                json.skipWhitespace();
                if (field < 0)
                {
                    json.skipValue();
                }
                else
                {
                    if (0 != (seen & (1L << field)))
                    {
                        throw new BadRecord("field " + BucketRecordDescriptor.name(field) + " appears twice");
                    }
                    value(field);
                }
                json.skipWhitespace();
                final byte next = json.next();
                if (next == '}')
                {
                    break;
                }
                if (next != ',')
                {
                    throw new BadRecord("malformed JSON at byte " + (json.position() - 1));
                }
            }
        }
        json.skipWhitespace();
        if (!json.atEnd())
        {
            throw new BadRecord("malformed JSON: data after the object at byte " + json.position());
        }
    }

    private void value(final int field) throws BadRecord
    {
        if (json.peek() == 'n')
        {
            json.literal("null");
            return;
        }

        switch (field)
        {
            case FIELD_TYPE:
                type = recordType();
                break;
            case FIELD_AGENT:
                agent = text(agentCache);
                break;
            case FIELD_STREAM:
                stream = text(streamCache);
                break;
            case FIELD_STREAM_LABEL:
                streamLabel = text(labelCache);
                break;
            case FIELD_PUBLISHER:
                publisher = text(publisherCache);
                break;
            case FIELD_VIEW:
                view = viewName();
                break;
            case FIELD_HOST:
                addressValue(false);
                hostHi = address[0];
                hostLo = address[1];
                break;
            case FIELD_PEER:
                addressValue(true);
                peerHi = address[0];
                peerLo = address[1];
                break;
            case FIELD_TIME:
            case FIELD_PROTOCOL:
                // derived from bucket_start and protocol_number, for people and other readers
                json.expect('"');
                json.scanString();
                break;
            default:
                numberValue(field);
                return;
        }
        seen |= 1L << field;
    }

    private void numberValue(final int field) throws BadRecord
    {
        final long value = json.integer(BucketRecordDescriptor.name(field));
        seen |= 1L << field;
        switch (field)
        {
            case FIELD_FORMAT:
                format = value;
                break;
            case FIELD_PART:
                part = value;
                break;
            case FIELD_BUCKET_START:
                bucketStart = value;
                break;
            case FIELD_BUCKET_SECONDS:
                bucketSeconds = value;
                break;
            case FIELD_SHARD:
                shard = value;
                break;
            case FIELD_SEQUENCE:
                sequence = value;
                break;
            case FIELD_PROTOCOL_NUMBER:
                protocol = value;
                break;
            case FIELD_PORT:
                port = value;
                break;
            case FIELD_SERVED:
                served = value;
                break;
            case FIELD_KEY:
                key = value;
                break;
            case FIELD_FOLDED:
                folded = value;
                break;
            case FIELD_IN_BYTES:
                inBytes = value;
                break;
            case FIELD_IN_PACKETS:
                inPackets = value;
                break;
            case FIELD_OUT_BYTES:
                outBytes = value;
                break;
            case FIELD_OUT_PACKETS:
                outPackets = value;
                break;
            case FIELD_ROWS:
                rows = value;
                break;
            case FIELD_QUALITY:
                quality = value;
                break;
            case FIELD_COMPLETE:
                // derived from the drop counts
                break;
            default:
                figures[field - FIELD_FIGURE_BASE] = value;
                break;
        }
    }

    private int recordType() throws BadRecord
    {
        json.expect('"');
        final int start = json.position();
        final int end = json.scanString();
        if (json.equalsBytes(start, end, ROW_BYTES))
        {
            return ROW;
        }
        if (json.equalsBytes(start, end, QUALITY_BYTES))
        {
            return QUALITY;
        }
        if (json.equalsBytes(start, end, END_BYTES))
        {
            return END;
        }

        throw new BadRecord("unknown record type " + json.safeText(start, end));
    }

    private String viewName() throws BadRecord
    {
        json.expect('"');
        final int start = json.position();
        final int end = json.scanString();
        if (!json.hasEscape(start, end))
        {
            for (final String builtIn : BUILT_IN_VIEWS)
            {
                if (json.matchesAscii(start, end, builtIn))
                {
                    return builtIn;
                }
            }
        }

        return viewCache.text(json, start, end);
    }

    private String text(final TextCache cache) throws BadRecord
    {
        json.expect('"');
        final int start = json.position();
        final int end = json.scanString();
        return cache.text(json, start, end);
    }

    private void addressValue(final boolean allowFolded) throws BadRecord
    {
        json.expect('"');
        final int start = json.position();
        final int end = json.scanString();
        if (allowFolded && end - start == 1 && json.data()[start] == '*')
        {
            address[0] = 0;
            address[1] = 0;
            return;
        }
        if (!json.hasEscape(start, end) && parseIpv4(start, end))
        {
            return;
        }

        final String text = json.decodeString(start, end);
        try
        {
            final long[] parsed = IpAddresses.parse(text);
            address[0] = parsed[0];
            address[1] = parsed[1];
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRecord("not an IP address: " + json.safeText(start, end));
        }
    }

    // the common case without allocation: a dotted quad
    private boolean parseIpv4(final int start, final int end)
    {
        final byte[] data = json.data();
        int value = 0;
        int octet = 0;
        int digits = 0;
        int dots = 0;
        for (int i = start; i < end; i++)
        {
            final byte b = data[i];
            if (b >= '0' && b <= '9')
            {
                octet = octet * 10 + (b - '0');
                if (++digits > 3 || octet > 255)
                {
                    return false;
                }
            }
            else if (b == '.' && digits > 0 && dots < 3)
            {
                value = (value << 8) | octet;
                octet = 0;
                digits = 0;
                dots++;
            }
            else
            {
                return false;
            }
        }
        if (dots != 3 || 0 == digits)
        {
            return false;
        }
        address[0] = DecodedPacket.IPV4_MAPPED_HI;
        address[1] = DecodedPacket.ipv4MappedLo((value << 8) | octet);

        return true;
    }

    private int lookup(final int start, final int end)
    {
        int slot = hash(json.data(), start, end) & (TABLE_SIZE - 1);
        while (true)
        {
            final int field = FIELD_TABLE[slot];
            if (field < 0)
            {
                return -1;
            }
            final byte[] name = BucketRecordDescriptor.nameBytes(field);
            if (Arrays.equals(json.data(), start, end, name, 0, name.length))
            {
                return field;
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
    }

    private static int hash(final byte[] bytes, final int start, final int end)
    {
        int h = 0;
        for (int i = start; i < end; i++)
        {
            h = h * 31 + bytes[i];
        }

        return h ^ (h >>> 7) ^ (h >>> 13);
    }

    /**
     * The last text of one field, kept as long as its bytes repeat.
     */
    private static final class TextCache
    {
        private byte[] bytes = new byte[0];
        private String text;

        String text(final JsonScanner json, final int start, final int end) throws BadRecord
        {
            final byte[] data = json.data();
            if (null != text && Arrays.equals(data, start, end, bytes, 0, bytes.length))
            {
                return text;
            }
            text = json.decodeString(start, end);
            bytes = Arrays.copyOfRange(data, start, end);

            return text;
        }
    }
}
