package io.trafficanalyzer.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes classic pcap files (little-endian, microsecond or nanosecond magic) for the tests.
 */
final class TestPcapWriter implements AutoCloseable
{
    static final int MICRO_MAGIC = 0xA1B2C3D4;
    static final int NANO_MAGIC = 0xA1B23C4D;

    private final FileChannel channel;
    private final boolean nanos;
    private final int snaplen;

    TestPcapWriter(final Path file, final int linkType, final int snaplen, final boolean nanos) throws IOException
    {
        this.channel = FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.nanos = nanos;
        this.snaplen = snaplen;
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(nanos ? NANO_MAGIC : MICRO_MAGIC).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(snaplen).putInt(linkType).flip();
        channel.write(header);
    }

    /**
     * Write one record, cut to the snapshot length.
     *
     * @param timestampNs the time; its sub-microsecond part is lost in a microsecond file.
     * @param frame       the whole frame.
     * @return this.
     * @throws IOException when writing fails.
     */
    TestPcapWriter write(final long timestampNs, final byte[] frame) throws IOException
    {
        final int captured = Math.min(frame.length, snaplen);
        final ByteBuffer record = ByteBuffer.allocate(16 + captured).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt((int)(timestampNs / 1_000_000_000L))
            .putInt((int)(nanos ? timestampNs % 1_000_000_000L : timestampNs % 1_000_000_000L / 1000))
            .putInt(captured)
            .putInt(frame.length)
            .put(frame, 0, captured)
            .flip();
        channel.write(record);
        return this;
    }

    /**
     * Write raw bytes, e.g. a damaged record.
     *
     * @param bytes what to append.
     * @return this.
     * @throws IOException when writing fails.
     */
    TestPcapWriter writeRaw(final byte[] bytes) throws IOException
    {
        channel.write(ByteBuffer.wrap(bytes));
        return this;
    }

    long position() throws IOException
    {
        return channel.position();
    }

    public void close() throws IOException
    {
        channel.close();
    }
}
