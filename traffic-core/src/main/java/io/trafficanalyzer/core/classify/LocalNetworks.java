package io.trafficanalyzer.core.classify;

/**
 * The set of local networks (IPv4 and IPv6 CIDR prefixes). PLACEHOLDER: being implemented.
 */
public final class LocalNetworks
{
    private LocalNetworks()
    {
    }

    /**
     * Parse CIDR prefixes.
     *
     * @param cidrs e.g. "10.0.0.0/8", "fd00::/8".
     * @return the networks.
     */
    public static LocalNetworks of(final String... cidrs)
    {
        return new LocalNetworks();
    }

    /**
     * The default: private ranges.
     *
     * @return the networks.
     */
    public static LocalNetworks privateRanges()
    {
        return new LocalNetworks();
    }

    /**
     * Whether an address (128-bit form of {@link io.trafficanalyzer.core.codec.DecodedPacket}) is local.
     *
     * @param hi upper 64 bits.
     * @param lo lower 64 bits.
     * @return true when inside one of the prefixes.
     */
    public boolean isLocal(final long hi, final long lo)
    {
        return false;
    }
}
