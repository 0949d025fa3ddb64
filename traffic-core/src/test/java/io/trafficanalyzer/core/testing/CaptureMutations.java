package io.trafficanalyzer.core.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Well-formed pcap and pcapng files of generated frames (either byte order, every timestamp magic, several sections
 * and interfaces, every packet block type, blocks to skip), and jqwik arbitraries of the ways to damage them:
 * flipped bytes, absurd or random values in length, count and type fields, unknown link types, wrong magic numbers,
 * inserted garbage, truncation, and damage to the compressed bytes of a gzipped file. For the bad-input properties
 * of every reader.
 */
public final class CaptureMutations
{
    private static final long BASE_NS = 1_700_000_000_000_000_000L;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_LINUX_SLL = 113;
    private static final int[] ABSURD = {
        0, 1, 3, 4, 11, 12, 16, 28, 31, 32, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFC, 0x7FFF_FFFC,
        0x4000_0000, 0x0001_0000, 320 * 1024 + 1, 512 * 1024 + 4, 16 * 1024 * 1024 + 4, 0x0A0D_0D0A, 0x1A2B_3C4D,
        -16 };

    private CaptureMutations()
    {
    }

    /**
     * The well-formed files mutated.
     */
    public enum Format
    {
        /** Classic pcap, microseconds, little endian. */
        PCAP_MICROSECONDS_LITTLE_ENDIAN,
        /** Classic pcap, nanoseconds, big endian. */
        PCAP_NANOSECONDS_BIG_ENDIAN,
        /** The modified (Kuznetzov) pcap format. */
        PCAP_MODIFIED,
        /** pcapng, one little-endian section. */
        PCAPNG_LITTLE_ENDIAN,
        /** pcapng, one big-endian section. */
        PCAPNG_BIG_ENDIAN,
        /** pcapng, a second section of the other byte order halfway. */
        PCAPNG_TWO_SECTIONS
    }


    /**
     * A 2- or 4-byte field of the file that holds a length, count, type or magic.
     *
     * @param offset   its file offset.
     * @param width    2 or 4 bytes.
     * @param order    its byte order.
     * @param linkType whether it holds a link type.
     */
    public record Field(int offset, int width, ByteOrder order, boolean linkType)
    {
    }

    /**
     * A record or block as written: where it starts and ends, and the frame it holds.
     *
     * @param start       file offset of its first byte.
     * @param end         file offset after its last byte.
     * @param frame       the frame's bytes, or null for a block without one.
     * @param linkType    the frame's link type.
     * @param timestampNs the frame's timestamp as the file stores it.
     */
    public record Written(long start, long end, byte[] frame, int linkType, long timestampNs)
    {
    }

    /**
     * A well-formed file and what is where in it.
     *
     * @param bytes   the file.
     * @param records its records and blocks in order.
     * @param fields  its length, count, type and magic fields.
     */
    public record Capture(byte[] bytes, List<Written> records, List<Field> fields)
    {
    }

    /**
     * A change to a file.
     */
    public sealed interface Mutation permits Keep, Flip, SetField, Truncate, Insert, SetLinkType, SetMagic
    {
    }

    // no change
    public record Keep() implements Mutation
    {
    }

    // xor a byte at a relative position (0 = first byte, 1 = last)
    public record Flip(double at, int mask) implements Mutation
    {
    }

    // write a value, absurd or random, into one of the fields (index taken modulo their number)
    public record SetField(int index, int value) implements Mutation
    {
    }

    // keep only a relative prefix of the file
    public record Truncate(double at) implements Mutation
    {
    }

    // insert bytes at a relative position
    public record Insert(double at, byte[] garbage) implements Mutation
    {
        public String toString()
        {
            return "Insert[at=" + at + ", garbage=" + Arrays.toString(garbage) + "]";
        }
    }

    // write a link type into one of the link type fields
    public record SetLinkType(int index, int linkType) implements Mutation
    {
    }

    // replace the file's first four bytes
    public record SetMagic(int magic) implements Mutation
    {
    }

    /**
     * Any mutation: flipped bytes, absurd or random values in fields, truncation, inserted garbage, link types,
     * magic numbers.
     *
     * @return the arbitrary.
     */
    public static Arbitrary<Mutation> mutation()
    {
        final Arbitrary<Double> at = uniformFraction();
        final Arbitrary<Integer> values = Arbitraries.oneOf(
            Arbitraries.of(Arrays.stream(ABSURD).boxed().toList()), Arbitraries.integers());
        final Arbitrary<Integer> index = Arbitraries.integers().between(0, 10_000).withoutEdgeCases();
        final Arbitrary<Integer> linkTypes = Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 0xFFFF));
        return Arbitraries.frequencyOf(
            Tuple.of(4, Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(Flip::new)),
            Tuple.of(4, Combinators.combine(index, values).as(SetField::new)),
            Tuple.of(2, at.map(Truncate::new)),
            Tuple.of(2, Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(48))
                .as(Insert::new)),
            Tuple.of(2, Combinators.combine(index, linkTypes).as(SetLinkType::new)),
            Tuple.of(1, Arbitraries.oneOf(Arbitraries.of(
                0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0xa1b2cd34, 0x0A0D0D0A, 0x1f8b0800, 0, -1),
                Arbitraries.integers()).map(SetMagic::new)));
    }

    // jqwik leans towards small numbers; damage is as likely near the end of a file as near its start
    private static Arbitrary<Double> uniformFraction()
    {
        return Arbitraries.integers().between(0, 1_000_000).withDistribution(RandomDistribution.uniform())
            .withoutEdgeCases().map((millionths) -> millionths / 1_000_000.0);
    }

    /**
     * Damage to the compressed bytes of a gzipped file: none (half the time), a flipped byte or a truncation.
     *
     * @return the arbitrary.
     */
    public static Arbitrary<Mutation> compressedDamage()
    {
        final Arbitrary<Double> at = uniformFraction();
        return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(new Keep())),
            Tuple.of(1, Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(Flip::new)),
            Tuple.of(1, at.map(Truncate::new)));
    }

    /**
     * Write a well-formed file of generated frames.
     *
     * @param format the format.
     * @param frames how many frames.
     * @param seed   varies the frames.
     * @return the file and its layout.
     */
    public static Capture write(final Format format, final int frames, final int seed)
    {
        return write(format, frames, seed, false);
    }

    /**
     * Write a well-formed file of generated frames, in pcapng with interfaces of one link type or of two.
     *
     * @param format          the format.
     * @param frames          how many frames.
     * @param seed            varies the frames.
     * @param oneLinkTypeOnly every pcapng interface Ethernet (libpcap cannot read a file whose interfaces differ).
     * @return the file and its layout.
     */
    public static Capture write(final Format format, final int frames, final int seed, final boolean oneLinkTypeOnly)
    {
        final int secondLinkType = oneLinkTypeOnly ? LINKTYPE_ETHERNET : LINKTYPE_LINUX_SLL;
        final GeneratedTraffic traffic = new GeneratedTraffic(BASE_NS, 1_000_123, 5, 7, seed);
        final List<Written> records = new ArrayList<>();
        final List<Field> fields = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (format)
        {
            case PCAP_MICROSECONDS_LITTLE_ENDIAN:
                writePcap(out, ByteOrder.LITTLE_ENDIAN, PcapFileWriter.MAGIC_MICROSECONDS, traffic, frames, records,
                    fields);
                break;
            case PCAP_NANOSECONDS_BIG_ENDIAN:
                writePcap(out, ByteOrder.BIG_ENDIAN, PcapFileWriter.MAGIC_NANOSECONDS, traffic, frames, records,
                    fields);
                break;
            case PCAP_MODIFIED:
                writePcap(out, ByteOrder.LITTLE_ENDIAN, PcapFileWriter.MAGIC_MODIFIED, traffic, frames, records,
                    fields);
                break;
            case PCAPNG_LITTLE_ENDIAN:
                writePcapng(out, ByteOrder.LITTLE_ENDIAN, false, secondLinkType, traffic, frames, records, fields);
                break;
            case PCAPNG_BIG_ENDIAN:
                writePcapng(out, ByteOrder.BIG_ENDIAN, false, secondLinkType, traffic, frames, records, fields);
                break;
            default:
                writePcapng(out, ByteOrder.LITTLE_ENDIAN, true, secondLinkType, traffic, frames, records, fields);
                break;
        }
        return new Capture(out.toByteArray(), records, fields);
    }

    private static void writePcap(
        final OutputStream out,
        final ByteOrder order,
        final int magic,
        final GeneratedTraffic traffic,
        final int frames,
        final List<Written> records,
        final List<Field> fields)
    {
        try (PcapFileWriter writer = new PcapFileWriter(out).byteOrder(order).magic(magic).header())
        {
            fields.add(new Field(0, 4, order, false));
            fields.add(new Field(4, 2, order, false));
            fields.add(new Field(16, 4, order, false));
            fields.add(new Field(20, 4, order, true));
            for (int i = 0; i < frames; i++)
            {
                final byte[] frame = traffic.frame(i);
                final long timestampNs = PcapFileWriter.MAGIC_NANOSECONDS == magic ?
                    traffic.timestampNs(i) : traffic.timestampNs(i) / 1000 * 1000;
                final int start = (int)writer.position();
                writer.record(timestampNs, frame);
                fields.add(new Field(start + 8, 4, order, false));
                fields.add(new Field(start + 12, 4, order, false));
                records.add(new Written(start, writer.position(), frame, LINKTYPE_ETHERNET, timestampNs));
            }
        }
    }

    private static void writePcapng(
        final OutputStream out,
        final ByteOrder firstOrder,
        final boolean twoSections,
        final int secondLinkType,
        final GeneratedTraffic traffic,
        final int frames,
        final List<Written> records,
        final List<Field> fields)
    {
        final int[] linkTypes = { LINKTYPE_ETHERNET, secondLinkType };
        try (PcapngFileWriter writer = new PcapngFileWriter(out))
        {
            section(writer, firstOrder, secondLinkType, fields);
            long lastTimestampNs = 0;
            for (int i = 0; i < frames; i++)
            {
                if (twoSections && i == frames / 2)
                {
                    section(writer, ByteOrder.BIG_ENDIAN == firstOrder ?
                        ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, secondLinkType, fields);
                }
                final ByteOrder order = writer.byteOrder();
                final byte[] frame = traffic.frame(i);
                final int iface = i % 2;
                // interface 0 stamps nanoseconds (if_tsresol 9), interface 1 the default microseconds
                final long units = 0 == iface ? traffic.timestampNs(i) : traffic.timestampNs(i) / 1000;
                final long timestampNs = 0 == iface ? units : units * 1000;
                int start = (int)writer.position();
                switch (i % 6)
                {
                    case 3:
                        writer.simplePacket(frame, frame.length);
                        fields.add(new Field(start + 4, 4, order, false));
                        fields.add(new Field(start + 8, 4, order, false));
                        fields.add(new Field((int)writer.position() - 4, 4, order, false));
                        records.add(new Written(start, writer.position(), frame, linkTypes[0], lastTimestampNs));
                        continue;

                    case 4:
                        writer.block(PcapngFileWriter.NAME_RESOLUTION_BLOCK, Arrays.copyOf(frame, 20));
                        fields.add(new Field(start + 4, 4, order, false));
                        fields.add(new Field((int)writer.position() - 4, 4, order, false));
                        records.add(new Written(start, writer.position(), null, 0, 0));
                        start = (int)writer.position();
                        writer.packet(iface, units, frame, frame.length, frame.length);
                        break;

                    default:
                        writer.enhancedPacket(iface, units, frame);
                        break;
                }
                fields.add(new Field(start + 4, 4, order, false));
                fields.add(new Field(start + 8, 4 - 2 * (i % 6 == 4 ? 1 : 0), order, false));
                fields.add(new Field(start + 20, 4, order, false));
                fields.add(new Field(start + 24, 4, order, false));
                fields.add(new Field((int)writer.position() - 4, 4, order, false));
                lastTimestampNs = timestampNs;
                records.add(new Written(start, writer.position(), frame, linkTypes[iface], timestampNs));
            }
        }
    }

    private static void section(
        final PcapngFileWriter writer, final ByteOrder order, final int secondLinkType, final List<Field> fields)
    {
        int start = (int)writer.position();
        writer.sectionHeader(order);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 4, order, false));
        fields.add(new Field(start + 12, 2, order, false));
        fields.add(new Field(start + 16, 4, order, false));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));

        start = (int)writer.position();
        writer.interfaceDescription(LINKTYPE_ETHERNET, 0, 9, null);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 2, order, true));
        fields.add(new Field(start + 12, 4, order, false));
        fields.add(new Field(start + 16, 2, order, false));
        fields.add(new Field(start + 18, 2, order, false));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));

        start = (int)writer.position();
        writer.interfaceDescription(secondLinkType, 0);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 2, order, true));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));
    }

    /**
     * Apply a mutation.
     *
     * @param mutation the mutation.
     * @param bytes    the file.
     * @param fields   its fields, for the mutations that target one.
     * @param damage   {@code damage[0]} is lowered to the lowest offset changed.
     * @return the mutated file.
     */
    public static byte[] apply(final Mutation mutation, final byte[] bytes, final List<Field> fields,
        final long[] damage)
    {
        if (mutation instanceof Keep)
        {
            return bytes;
        }
        if (mutation instanceof Flip flip)
        {
            if (0 == bytes.length)
            {
                return bytes;
            }
            final int at = position(flip.at(), bytes.length - 1);
            final byte[] result = bytes.clone();
            result[at] ^= (byte)flip.mask();
            damage[0] = Math.min(damage[0], at);
            return result;
        }
        if (mutation instanceof Truncate truncate)
        {
            final int length = position(truncate.at(), bytes.length);
            damage[0] = Math.min(damage[0], length);
            return Arrays.copyOf(bytes, length);
        }
        if (mutation instanceof Insert insert)
        {
            final int at = position(insert.at(), bytes.length);
            final byte[] result = new byte[bytes.length + insert.garbage().length];
            System.arraycopy(bytes, 0, result, 0, at);
            System.arraycopy(insert.garbage(), 0, result, at, insert.garbage().length);
            System.arraycopy(bytes, at, result, at + insert.garbage().length, bytes.length - at);
            damage[0] = Math.min(damage[0], at);
            return result;
        }
        if (mutation instanceof SetMagic setMagic)
        {
            final byte[] result = Arrays.copyOf(bytes, Math.max(4, bytes.length));
            ByteBuffer.wrap(result).putInt(0, setMagic.magic());
            damage[0] = 0;
            return result;
        }

        final List<Field> candidates = new ArrayList<>();
        for (final Field field : fields)
        {
            if (field.offset() + field.width() <= bytes.length &&
                (!(mutation instanceof SetLinkType) || field.linkType()))
            {
                candidates.add(field);
            }
        }
        if (candidates.isEmpty())
        {
            return bytes;
        }

        final byte[] result = bytes.clone();
        final ByteBuffer buffer = ByteBuffer.wrap(result);
        final Field field;
        final int value;
        if (mutation instanceof SetLinkType setLinkType)
        {
            field = candidates.get(setLinkType.index() % candidates.size());
            value = setLinkType.linkType();
        }
        else
        {
            final SetField setField = (SetField)mutation;
            field = candidates.get(setField.index() % candidates.size());
            value = setField.value();
        }
        buffer.order(field.order());
        if (2 == field.width())
        {
            buffer.putShort(field.offset(), (short)value);
        }
        else
        {
            buffer.putInt(field.offset(), value);
        }
        damage[0] = Math.min(damage[0], field.offset());
        return result;
    }

    private static int position(final double at, final int length)
    {
        return (int)Math.min(length, Math.floor(at * (length + 1)));
    }

    /**
     * Compress with gzip.
     *
     * @param bytes the bytes.
     * @return one gzip member.
     * @throws IOException never, in memory.
     */
    public static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
