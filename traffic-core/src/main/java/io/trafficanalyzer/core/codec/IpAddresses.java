package io.trafficanalyzer.core.codec;

/**
 * Text forms of the 128-bit addresses of {@link DecodedPacket}: IPv4-mapped addresses as a dotted quad, IPv6 in
 * RFC 5952 canonical form. For configuration, reports and sinks; not for the packet path (it allocates).
 */
public final class IpAddresses
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private IpAddresses()
    {
    }

    /**
     * Format an address as text.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return e.g. "192.0.2.1" or "2001:db8::1".
     */
    public static String format(final long hi, final long lo)
    {
        return appendTo(new StringBuilder(39), hi, lo).toString();
    }

    /**
     * Append the text form of an address.
     *
     * @param sb to append to.
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return sb.
     */
    public static StringBuilder appendTo(final StringBuilder sb, final long hi, final long lo)
    {
        if (DecodedPacket.isIpv4Mapped(hi, lo))
        {
            final int v4 = (int)lo;
            return sb.append((v4 >>> 24) & 0xFF).append('.')
                .append((v4 >>> 16) & 0xFF).append('.')
                .append((v4 >>> 8) & 0xFF).append('.')
                .append(v4 & 0xFF);
        }

        final int[] groups = new int[8];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (int)(hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int)(lo >>> (48 - 16 * i)) & 0xFFFF;
        }

        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; )
        {
            if (groups[i] == 0)
            {
                int j = i;
                while (j < 8 && groups[j] == 0)
                {
                    j++;
                }
                if (j - i > bestLength)
                {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            else
            {
                i++;
            }
        }

        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
            {
                sb.append(':');
            }
            appendHex(sb, groups[i]);
        }

        return sb;
    }

    /**
     * Parse an IPv4 dotted quad or an IPv6 address (with "::" and an optional dotted-quad tail) without any
     * name lookup.
     *
     * @param text the address.
     * @return {hi, lo}; IPv4 as IPv4-mapped.
     * @throws IllegalArgumentException naming the text when it is not an address.
     */
    public static long[] parse(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }

        if (text.indexOf(':') < 0)
        {
            return new long[]{ DecodedPacket.IPV4_MAPPED_HI, DecodedPacket.ipv4MappedLo(parseIpv4(text, text)) };
        }

        return parseIpv6(text);
    }

    private static int parseIpv4(final String part, final String text)
    {
        int value = 0;
        int octets = 0;
        int start = 0;
        final int length = part.length();
        while (start <= length)
        {
            int end = part.indexOf('.', start);
            if (end < 0)
            {
                end = length;
            }
            final int digits = end - start;
            if (digits < 1 || digits > 3 || octets == 4)
            {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
            int octet = 0;
            for (int i = start; i < end; i++)
            {
                final char c = part.charAt(i);
                if (c < '0' || c > '9')
                {
                    throw new IllegalArgumentException("not an IP address: '" + text + "'");
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255)
            {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
            value = (value << 8) | octet;
            octets++;
            start = end + 1;
        }

        if (octets != 4)
        {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }

        return value;
    }

    private static long[] parseIpv6(final String text)
    {
        final int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0)
        {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }

        final int[] head = new int[8];
        final int[] tail = new int[8];
        final int headCount;
        final int tailCount;
        if (doubleColon >= 0)
        {
            headCount = parseGroups(text.substring(0, doubleColon), head, text, false);
            tailCount = parseGroups(text.substring(doubleColon + 2), tail, text, true);
            if (headCount + tailCount > 7)
            {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
        }
        else
        {
            headCount = parseGroups(text, head, text, true);
            tailCount = 0;
            if (headCount != 8)
            {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
        }

        final int[] groups = new int[8];
        System.arraycopy(head, 0, groups, 0, headCount);
        System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);

        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++)
        {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }

        return new long[]{ hi, lo };
    }

    private static int parseGroups(final String part, final int[] groups, final String text, final boolean allowV4)
    {
        if (part.isEmpty())
        {
            return 0;
        }

        int count = 0;
        int start = 0;
        final int length = part.length();
        while (start <= length)
        {
            int end = part.indexOf(':', start);
            if (end < 0)
            {
                end = length;
            }
            final String group = part.substring(start, end);
            if (end == length && allowV4 && group.indexOf('.') >= 0)
            {
                if (count > 6)
                {
                    throw new IllegalArgumentException("not an IP address: '" + text + "'");
                }
                final int v4 = parseIpv4(group, text);
                groups[count++] = v4 >>> 16;
                groups[count++] = v4 & 0xFFFF;
                return count;
            }
            if (group.isEmpty() || group.length() > 4 || count == 8)
            {
                throw new IllegalArgumentException("not an IP address: '" + text + "'");
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++)
            {
                final int digit = Character.digit(group.charAt(i), 16);
                if (digit < 0)
                {
                    throw new IllegalArgumentException("not an IP address: '" + text + "'");
                }
                value = (value << 4) | digit;
            }
            groups[count++] = value;
            start = end + 1;
        }

        return count;
    }

    private static void appendHex(final StringBuilder sb, final int group)
    {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4)
        {
            final int nibble = (group >>> shift) & 0xF;
            if (nibble != 0 || started || shift == 0)
            {
                sb.append(HEX[nibble]);
                started = true;
            }
        }
    }
}
