package io.trafficanalyzer.sqlite;

/**
 * Text form of the 128-bit addresses of the store: dotted quad for IPv4-mapped addresses, RFC 5952 canonical text for
 * IPv6 (lower-case hex, no leading zeros, the longest run of two or more zero groups, the first on a tie, as "::").
 * <p>
 * Kept here until {@code io.trafficanalyzer.core.codec.IpAddresses} lands in core.
 */
final class AddressText
{
    static final int ADDRESS_BYTES = 16;

    private static final long IPV4_MAPPED_PREFIX = 0xFFFFL;
    private static final int GROUPS = 8;

    private AddressText()
    {
    }

    static boolean isIpv4Mapped(final long hi, final long lo)
    {
        return hi == 0 && (lo >>> 32) == IPV4_MAPPED_PREFIX;
    }

    static String format(final long hi, final long lo)
    {
        if (isIpv4Mapped(hi, lo))
        {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }

        final int[] groups = new int[GROUPS];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (int)(hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int)(lo >>> (48 - 16 * i)) & 0xFFFF;
        }

        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; i++)
        {
            int end = i;
            while (end < GROUPS && groups[end] == 0)
            {
                end++;
            }
            if (end - i > bestLength)
            {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }

        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < GROUPS; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
            }
            else
            {
                if (i > 0 && i != bestStart + bestLength)
                {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }

        return text.toString();
    }

    static byte[] toBytes(final long hi, final long lo)
    {
        final byte[] bytes = new byte[ADDRESS_BYTES];
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
