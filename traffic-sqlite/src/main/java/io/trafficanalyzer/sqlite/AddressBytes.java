package io.trafficanalyzer.sqlite;

/**
 * The stored form of a 128-bit address: 16 bytes, network order (upper 64 bits first), as in the {@code bytes}
 * column of the {@code address} table.
 */
final class AddressBytes
{
    static final int LENGTH = 16;

    private AddressBytes()
    {
    }

    static byte[] toBytes(final long hi, final long lo)
    {
        final byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(hi >>> (56 - 8 * i));
            bytes[i + 8] = (byte)(lo >>> (56 - 8 * i));
        }

        return bytes;
    }

    static long hi(final byte[] bytes)
    {
        return word(bytes, 0);
    }

    static long lo(final byte[] bytes)
    {
        return word(bytes, 8);
    }

    private static long word(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }

        return value;
    }
}
