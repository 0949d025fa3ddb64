package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.testing.PcapFileWriter;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Writes the pcap files the capture file benchmarks read: Ethernet/IPv4/UDP frames of 64 bytes, or the simple
 * IMIX (7 of 64 bytes, 4 of 594, 1 of 1518), with microsecond timestamps 1 µs apart.
 * <p>
 * Run as a program: {@code CaptureFileGenerator <file> <64|imix> <frames>}.
 */
public final class CaptureFileGenerator
{
    private static final int[] IMIX = { 64, 594, 64, 64, 1518, 64, 594, 64, 594, 64, 64, 594 };
    private static final long START_NS = 1_700_000_000_000_000_000L;

    private CaptureFileGenerator()
    {
    }

    /**
     * Write a file.
     *
     * @param args the file, the mix ({@code 64} or {@code imix}) and the number of frames.
     */
    public static void main(final String[] args)
    {
        if (3 != args.length)
        {
            System.err.println("usage: CaptureFileGenerator <file> <64|imix> <frames>");
            System.exit(2);
        }
        final long bytes = write(Paths.get(args[0]), args[1], Integer.parseInt(args[2]));
        System.out.println(args[0] + ": " + args[2] + " frames, " + bytes + " bytes");
    }

    /**
     * Write a pcap file of the given mix.
     *
     * @param file   the file to write, replaced if it exists.
     * @param mix    {@code 64} or {@code imix}.
     * @param frames the number of frames.
     * @return the length of the file.
     */
    public static long write(final Path file, final String mix, final int frames)
    {
        final boolean imix = "imix".equalsIgnoreCase(mix);
        if (!imix && !"64".equals(mix))
        {
            throw new IllegalArgumentException("mix must be 64 or imix: " + mix);
        }

        final byte[][] templates = new byte[IMIX.length][];
        for (int i = 0; i < IMIX.length; i++)
        {
            templates[i] = frame(imix ? IMIX[i] : 64, i);
        }

        try (PcapFileWriter writer = PcapFileWriter.create(file).snapLength(65535))
        {
            for (int i = 0; i < frames; i++)
            {
                writer.record(START_NS + i * 1000L, templates[i % templates.length]);
            }
            return writer.position();
        }
    }

    private static byte[] frame(final int length, final int seed)
    {
        final byte[] frame = new byte[length];
        // Ethernet: destination, source, IPv4
        for (int i = 0; i < 12; i++)
        {
            frame[i] = (byte)(0x02 + i + seed);
        }
        frame[12] = 0x08;
        final int ipLength = length - 14;
        frame[14] = 0x45;
        frame[16] = (byte)(ipLength >>> 8);
        frame[17] = (byte)ipLength;
        frame[22] = 64;
        frame[23] = 17;
        frame[26] = 10;
        frame[29] = (byte)(1 + seed);
        frame[30] = (byte)192;
        frame[31] = (byte)168;
        frame[33] = (byte)(1 + seed);
        // UDP: ports and length
        frame[34] = (byte)0xc3;
        frame[35] = (byte)seed;
        frame[37] = 53;
        frame[38] = (byte)((ipLength - 20) >>> 8);
        frame[39] = (byte)(ipLength - 20);
        return frame;
    }
}
