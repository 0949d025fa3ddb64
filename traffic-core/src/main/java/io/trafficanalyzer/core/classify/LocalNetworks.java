package io.trafficanalyzer.core.classify;

import io.trafficanalyzer.core.codec.IpAddresses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The local networks: a set of IPv4 and IPv6 CIDR prefixes that answers, without allocation, whether an address
 * is local. Addresses are in the 128-bit form of {@link io.trafficanalyzer.core.codec.DecodedPacket}; IPv4
 * prefixes are held as their IPv4-mapped equivalents ({@code a.b.c.d/n} = {@code ::ffff:a.b.c.d/(96+n)}).
 * <p>
 * The prefixes are merged into sorted, disjoint address ranges, so a look-up is a binary search whatever the
 * number or overlap of the prefixes. Immutable and safe to share between threads.
 */
public final class LocalNetworks
{
    /**
     * The default local networks when none are configured: the private, shared, loopback and link-local ranges.
     */
    public static final List<String> PRIVATE_RANGES = Collections.unmodifiableList(Arrays.asList(
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fc00::/7",
        "::1/128",
        "fe80::/10"));

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final List<String> prefixes;

    private LocalNetworks(final List<String> prefixes, final long[][] ranges)
    {
        this.prefixes = Collections.unmodifiableList(new ArrayList<>(prefixes));
        final int count = ranges.length;
        startHi = new long[count];
        startLo = new long[count];
        endHi = new long[count];
        endLo = new long[count];
        for (int i = 0; i < count; i++)
        {
            startHi[i] = ranges[i][0];
            startLo[i] = ranges[i][1];
            endHi[i] = ranges[i][2];
            endLo[i] = ranges[i][3];
        }
    }

    /**
     * Parse CIDR prefixes.
     *
     * @param cidrs e.g. "10.0.0.0/8", "fd00::/8"; a bare address means a single host.
     * @return the networks.
     * @throws IllegalArgumentException naming the prefix when one is not a valid CIDR prefix or has host bits set.
     */
    public static LocalNetworks of(final String... cidrs)
    {
        return of(Arrays.asList(cidrs));
    }

    /**
     * Parse CIDR prefixes.
     *
     * @param cidrs e.g. "10.0.0.0/8", "fd00::/8"; a bare address means a single host.
     * @return the networks.
     * @throws IllegalArgumentException naming the prefix when one is not a valid CIDR prefix or has host bits set.
     */
    public static LocalNetworks of(final List<String> cidrs)
    {
        final long[][] ranges = new long[cidrs.size()][];
        for (int i = 0; i < ranges.length; i++)
        {
            ranges[i] = parseRange(cidrs.get(i));
        }

        return new LocalNetworks(cidrs, merge(ranges));
    }

    /**
     * The default: {@link #PRIVATE_RANGES}.
     *
     * @return the networks.
     */
    public static LocalNetworks privateRanges()
    {
        return of(PRIVATE_RANGES);
    }

    /**
     * These networks and others, e.g. configured prefixes plus the capture interfaces' addresses.
     *
     * @param cidrs the additional prefixes.
     * @return a new set holding both.
     */
    public LocalNetworks with(final List<String> cidrs)
    {
        final List<String> all = new ArrayList<>(prefixes);
        all.addAll(cidrs);
        return of(all);
    }

    /**
     * The prefixes as given.
     *
     * @return the prefixes.
     */
    public List<String> prefixes()
    {
        return prefixes;
    }

    /**
     * Number of disjoint address ranges the prefixes merged into.
     *
     * @return the range count.
     */
    public int rangeCount()
    {
        return startHi.length;
    }

    /**
     * Whether an address is local.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return true when inside one of the prefixes.
     */
    public boolean isLocal(final long hi, final long lo)
    {
        // the last range whose start <= address; the address is local when it is <= that range's end
        int low = 0;
        int high = startHi.length - 1;
        int candidate = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (compare(startHi[mid], startLo[mid], hi, lo) <= 0)
            {
                candidate = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return candidate >= 0 && compare(hi, lo, endHi[candidate], endLo[candidate]) <= 0;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "LocalNetworks" + prefixes;
    }

    private static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int byHi = Long.compareUnsigned(aHi, bHi);
        return byHi != 0 ? byHi : Long.compareUnsigned(aLo, bLo);
    }

    private static long[] parseRange(final String cidr)
    {
        if (null == cidr)
        {
            throw new IllegalArgumentException("invalid local network: null");
        }

        final String text = cidr.trim();
        final int slash = text.indexOf('/');
        final String address = slash < 0 ? text : text.substring(0, slash);
        final boolean v4 = address.indexOf(':') < 0;
        final long[] parsed;
        try
        {
            parsed = IpAddresses.parse(address);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("invalid local network '" + cidr + "': not an IP address", ex);
        }

        final int maxLength = v4 ? 32 : 128;
        int length = maxLength;
        if (slash >= 0)
        {
            try
            {
                length = Integer.parseInt(text.substring(slash + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("invalid local network '" + cidr + "': bad prefix length", ex);
            }
            if (length < 0 || length > maxLength)
            {
                throw new IllegalArgumentException(
                    "invalid local network '" + cidr + "': prefix length must be 0.." + maxLength);
            }
        }

        final int bits = v4 ? 96 + length : length;
        final long maskHi = bits >= 64 ? -1L : (bits == 0 ? 0L : -1L << (64 - bits));
        final long maskLo = bits <= 64 ? 0L : (bits == 128 ? -1L : -1L << (128 - bits));
        if ((parsed[0] & ~maskHi) != 0 || (parsed[1] & ~maskLo) != 0)
        {
            throw new IllegalArgumentException("invalid local network '" + cidr + "': host bits set");
        }

        return new long[]{ parsed[0], parsed[1], parsed[0] | ~maskHi, parsed[1] | ~maskLo };
    }

    private static long[][] merge(final long[][] ranges)
    {
        final long[][] sorted = ranges.clone();
        Arrays.sort(sorted, (a, b) -> compare(a[0], a[1], b[0], b[1]));
        final List<long[]> merged = new ArrayList<>();
        for (final long[] range : sorted)
        {
            final long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (null != last && (compare(range[0], range[1], last[2], last[3]) <= 0 || isNext(last, range)))
            {
                if (compare(range[2], range[3], last[2], last[3]) > 0)
                {
                    last[2] = range[2];
                    last[3] = range[3];
                }
            }
            else
            {
                merged.add(range.clone());
            }
        }

        return merged.toArray(new long[0][]);
    }

    private static boolean isNext(final long[] previous, final long[] range)
    {
        final long nextLo = previous[3] + 1;
        final long nextHi = nextLo == 0 ? previous[2] + 1 : previous[2];
        return !(previous[2] == -1L && previous[3] == -1L) && nextHi == range[0] && nextLo == range[1];
    }
}
