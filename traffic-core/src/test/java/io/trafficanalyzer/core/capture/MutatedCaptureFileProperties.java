package io.trafficanalyzer.core.capture;

import io.trafficanalyzer.core.capture.FrameRecorder.Frame;
import io.trafficanalyzer.core.codec.DecodedPacket;
import io.trafficanalyzer.core.codec.FrameCounts;
import io.trafficanalyzer.core.codec.FrameDecoder;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.core.testing.PcapngFileWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.DirectBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Well-formed pcap and pcapng files (either byte order, every timestamp magic, several sections and interfaces,
 * every packet block type, blocks to skip) mutated by flipped bytes, absurd values in length, count and type
 * fields, unknown link types, wrong magic numbers, inserted garbage and truncation, plain or gzip-compressed (and
 * then possibly damaged in their compressed bytes too), read through the pure-Java reader and decoded:
 * <ul>
 *     <li>nothing but a {@link CaptureFileException} naming the file escapes, and the stream then ends;</li>
 *     <li>no file takes more than a few seconds (a loop or a hang fails the try);</li>
 *     <li>reading allocates a bounded number of heap bytes whatever the length fields say (up to 2^32 - 1),
 *     measured on the reading thread itself;</li>
 *     <li>every frame delivered is counted once: decoded + non-IP + malformed = delivered = the source's count;</li>
 *     <li>every record that lies wholly before the first damaged byte is delivered exactly as written.</li>
 * </ul>
 */
class MutatedCaptureFileProperties
{
    private static final long BASE_NS = 1_700_000_000_000_000_000L;
    private static final Duration PER_FILE = Duration.ofSeconds(10);
    private static final int[] ABSURD = {
        0, 1, 3, 4, 11, 12, 16, 28, 31, 32, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFC, 0x7FFF_FFFC,
        0x4000_0000, 0x0001_0000, CaptureFileSource.MAX_CAPTURED_LENGTH + 1, CaptureInput.MAX_REQUIRED_LENGTH + 4,
        16 * 1024 * 1024 + 4, 0x0A0D_0D0A, 0x1A2B_3C4D, -16 };

    enum Format
    {
        PCAP_MICROSECONDS_LITTLE_ENDIAN, PCAP_NANOSECONDS_BIG_ENDIAN, PCAP_MODIFIED,
        PCAPNG_LITTLE_ENDIAN, PCAPNG_BIG_ENDIAN, PCAPNG_TWO_SECTIONS
    }

    // a 2- or 4-byte field of the file that holds a length, count, type or magic
    record Field(int offset, int width, ByteOrder order, boolean linkType)
    {
    }

    // a record or block as written: where it starts and ends, and the frame it holds (null for none)
    record Written(long start, long end, Frame frame)
    {
    }

    record Capture(byte[] bytes, List<Written> records, List<Field> fields)
    {
    }

    sealed interface Mutation permits Keep, Flip, SetField, Truncate, Insert, SetLinkType, SetMagic
    {
    }

    // no change
    record Keep() implements Mutation
    {
    }

    // xor a byte at a relative position (0 = first byte, 1 = last)
    record Flip(double at, int mask) implements Mutation
    {
    }

    // write a value, absurd or random, into one of the fields (index taken modulo their number)
    record SetField(int index, int value) implements Mutation
    {
    }

    // keep only a relative prefix of the file
    record Truncate(double at) implements Mutation
    {
    }

    // insert bytes at a relative position
    record Insert(double at, byte[] garbage) implements Mutation
    {
        public String toString()
        {
            return "Insert[at=" + at + ", garbage=" + Arrays.toString(garbage) + "]";
        }
    }

    // write a link type into one of the link type fields
    record SetLinkType(int index, int linkType) implements Mutation
    {
    }

    // replace the file's first four bytes
    record SetMagic(int magic) implements Mutation
    {
    }

    @Provide
    Arbitrary<Mutation> mutation()
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

    @Property(tries = 600)
    void shouldThrowOnlyCaptureFileExceptionAndAccountForEveryFrameWhenFileMutated(
        @ForAll final Format format,
        @ForAll @IntRange(max = 24) final int frames,
        @ForAll @Size(min = 1, max = 3) final List<@From("mutation") Mutation> mutations,
        @ForAll final boolean gzip,
        @ForAll("compressedDamage") final Mutation compressedDamage,
        @ForAll @IntRange(min = 1, max = 4096) final int windowSize,
        @ForAll @IntRange(min = 1, max = 16) final int pollLimit,
        @ForAll @IntRange(max = 1000) final int seed) throws IOException
    {
        final Capture capture = write(format, frames, seed);
        byte[] bytes = capture.bytes();
        long firstDamage = bytes.length;
        for (final Mutation mutation : mutations)
        {
            final long[] damage = { firstDamage };
            bytes = apply(mutation, bytes, capture.fields(), damage);
            firstDamage = damage[0];
        }
        if (gzip)
        {
            bytes = gzip(bytes);
            if (!(compressedDamage instanceof Keep))
            {
                bytes = apply(compressedDamage, bytes, List.of(), new long[1]);
                firstDamage = 0;
            }
        }

        final List<Frame> intact = new ArrayList<>();
        for (final Written record : capture.records())
        {
            if (record.end() <= firstDamage && null != record.frame())
            {
                intact.add(record.frame());
            }
        }

        final Path file = Files.createTempFile("mutated", gzip ? ".pcap.gz" : ".pcap");
        try
        {
            Files.write(file, bytes);
            final long fileLength = bytes.length;
            final String what = format + " " + frames + " frames, " + mutations + (gzip ? ", gzip " +
                compressedDamage : "");
            final String ending = assertTimeoutPreemptively(
                PER_FILE, () -> readAndCheck(file, fileLength, windowSize, pollLimit, intact), what);
            Statistics.label("ending").collect(ending);
        }
        finally
        {
            Files.delete(file);
        }
    }

    // jqwik leans towards small numbers; damage is as likely near the end of a file as near its start
    private static Arbitrary<Double> uniformFraction()
    {
        return Arbitraries.integers().between(0, 1_000_000).withDistribution(RandomDistribution.uniform())
            .withoutEdgeCases().map((millionths) -> millionths / 1_000_000.0);
    }

    @Provide
    Arbitrary<Mutation> compressedDamage()
    {
        final Arbitrary<Double> at = uniformFraction();
        return Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(new Keep())),
            Tuple.of(1, Combinators.combine(at, Arbitraries.integers().between(1, 255)).as(Flip::new)),
            Tuple.of(1, at.map(Truncate::new)));
    }

    private static String readAndCheck(
        final Path file, final long fileLength, final int windowSize, final int pollLimit, final List<Frame> intact)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final DecodingRecorder recorder = new DecodingRecorder();
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        CaptureFileException damage = null;
        long sourceFrames = 0;
        try (CaptureFileSource source = new CaptureFileSource(
            new Path[]{ file }, windowSize, CaptureInput.MAX_REQUIRED_LENGTH))
        {
            try
            {
                long polls = 0;
                while (!source.isEndOfStream())
                {
                    final int count = source.poll(recorder, pollLimit);
                    assertTrue(count == pollLimit || source.isEndOfStream(), "short poll before the end");
                    assertTrue(++polls <= 100_000_000, "endless polling");
                }
            }
            catch (final CaptureFileException ex)
            {
                damage = ex;
            }
            catch (final Throwable ex)
            {
                fail("only a CaptureFileException may escape", ex);
            }
            assertTrue(source.isEndOfStream(), "the stream ends at damage");
            sourceFrames = source.framesDelivered();
        }
        catch (final Throwable ex)
        {
            if (ex instanceof AssertionError)
            {
                throw (AssertionError)ex;
            }
            fail("opening or closing threw", ex);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        final long frames = recorder.frames.size();
        assertEquals(frames, sourceFrames, "frames the source says it delivered");
        final FrameCounts counts = recorder.counts;
        assertEquals(frames, counts.total(), "every frame decoded once: " + counts);
        assertEquals(frames,
            counts.count(FrameOutcome.DECODED) + counts.count(FrameOutcome.NON_IP) + counts.malformed(),
            "decoded + non-IP + malformed = delivered: " + counts);
        if (null != damage)
        {
            assertEquals(file, damage.file());
            assertTrue(damage.offset() >= 0, damage.getMessage());
            assertTrue(damage.getMessage().startsWith(file + ": at byte offset "), damage.getMessage());
        }

        assertTrue(frames >= intact.size(), "every record before the damage is delivered: " + frames + " of " +
            intact.size() + (null != damage ? ", " + damage.getMessage() : ""));
        assertEquals(intact, recorder.frames.subList(0, intact.size()), "the records before the damage");

        // the recorder's copies (hex text, lists) grow with the frames; the reader's own allocations do not
        final long bound = 1024 * 1024 + 16 * fileLength + 512 * frames;
        assertTrue(allocated < bound, "allocated " + allocated + " bytes reading a file of " + fileLength +
            " bytes, more than " + bound);

        return null == damage ? "read to the end" : "stopped at damage";
    }

    private static Capture write(final Format format, final int frames, final int seed)
    {
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
                writePcapng(out, ByteOrder.LITTLE_ENDIAN, false, traffic, frames, records, fields);
                break;
            case PCAPNG_BIG_ENDIAN:
                writePcapng(out, ByteOrder.BIG_ENDIAN, false, traffic, frames, records, fields);
                break;
            default:
                writePcapng(out, ByteOrder.LITTLE_ENDIAN, true, traffic, frames, records, fields);
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
        final int headerLength = PcapFileWriter.MAGIC_MODIFIED == magic ?
            PcapFileWriter.MODIFIED_RECORD_HEADER_LENGTH : PcapFileWriter.RECORD_HEADER_LENGTH;
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
                assertEquals(start + headerLength + frame.length, writer.position());
                records.add(new Written(start, writer.position(),
                    Frame.of(frame, frame.length, frame.length, LinkType.ETHERNET, timestampNs)));
            }
        }
    }

    private static void writePcapng(
        final OutputStream out,
        final ByteOrder firstOrder,
        final boolean twoSections,
        final GeneratedTraffic traffic,
        final int frames,
        final List<Written> records,
        final List<Field> fields)
    {
        final int[] linkTypes = { LinkType.ETHERNET, LinkType.LINUX_SLL };
        try (PcapngFileWriter writer = new PcapngFileWriter(out))
        {
            section(writer, firstOrder, fields);
            long lastTimestampNs = 0;
            for (int i = 0; i < frames; i++)
            {
                if (twoSections && i == frames / 2)
                {
                    section(writer, ByteOrder.BIG_ENDIAN == firstOrder ?
                        ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, fields);
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
                        records.add(new Written(start, writer.position(),
                            Frame.of(frame, frame.length, frame.length, linkTypes[0], lastTimestampNs)));
                        continue;

                    case 4:
                        writer.block(PcapngFileWriter.NAME_RESOLUTION_BLOCK, Arrays.copyOf(frame, 20));
                        fields.add(new Field(start + 4, 4, order, false));
                        fields.add(new Field((int)writer.position() - 4, 4, order, false));
                        records.add(new Written(start, writer.position(), null));
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
                records.add(new Written(start, writer.position(),
                    Frame.of(frame, frame.length, frame.length, linkTypes[iface], timestampNs)));
            }
        }
    }

    private static void section(final PcapngFileWriter writer, final ByteOrder order, final List<Field> fields)
    {
        int start = (int)writer.position();
        writer.sectionHeader(order);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 4, order, false));
        fields.add(new Field(start + 12, 2, order, false));
        fields.add(new Field(start + 16, 4, order, false));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));

        start = (int)writer.position();
        writer.interfaceDescription(LinkType.ETHERNET, 0, 9, null);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 2, order, true));
        fields.add(new Field(start + 12, 4, order, false));
        fields.add(new Field(start + 16, 2, order, false));
        fields.add(new Field(start + 18, 2, order, false));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));

        start = (int)writer.position();
        writer.interfaceDescription(LinkType.LINUX_SLL, 0);
        fields.add(new Field(start + 4, 4, order, false));
        fields.add(new Field(start + 8, 2, order, true));
        fields.add(new Field((int)writer.position() - 4, 4, order, false));
    }

    // apply one mutation; damage[0] holds the lowest offset changed so far and is lowered as needed
    private static byte[] apply(final Mutation mutation, final byte[] bytes, final List<Field> fields,
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

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    // copies each frame as FrameRecorder does and decodes it, counting outcomes
    private static final class DecodingRecorder implements FrameHandler
    {
        final List<Frame> frames = new ArrayList<>();
        final FrameCounts counts = new FrameCounts();
        private final FrameDecoder decoder = new FrameDecoder();
        private final DecodedPacket packet = new DecodedPacket();

        public void onFrame(
            final DirectBuffer buffer,
            final int offset,
            final int capturedLength,
            final int wireLength,
            final int linkType,
            final long timestampNs)
        {
            final byte[] data = new byte[capturedLength];
            buffer.getBytes(offset, data);
            frames.add(Frame.of(data, capturedLength, wireLength, linkType, timestampNs));
            counts.add(decoder.decode(buffer, offset, capturedLength, wireLength, linkType, timestampNs, packet));
        }
    }
}
