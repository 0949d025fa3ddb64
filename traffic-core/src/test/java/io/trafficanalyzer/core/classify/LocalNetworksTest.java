package io.trafficanalyzer.core.classify;

import io.trafficanalyzer.core.codec.IpAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalNetworksTest
{
    private static boolean isLocal(final LocalNetworks networks, final String address)
    {
        final long[] parsed = IpAddresses.parse(address);
        return networks.isLocal(parsed[0], parsed[1]);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0, true", "10.255.255.255, true", "9.255.255.255, false", "11.0.0.0, false",
        "172.16.0.1, true", "172.31.255.255, true", "172.32.0.0, false", "172.15.255.255, false",
        "192.168.1.1, true", "192.169.0.0, false", "100.64.0.1, true", "100.127.255.255, true", "100.128.0.0, false",
        "127.0.0.1, true", "169.254.10.10, true", "8.8.8.8, false", "0.0.0.0, false", "255.255.255.255, false",
        "fc00::1, true", "fdff:ffff::1, true", "fe00::1, false", "::1, true", "::2, false", "fe80::1, true",
        "febf:ffff::1, true", "fec0::1, false", "2001:db8::1, false", "::ffff:10.0.0.1, true", "::, false",
    })
    void shouldClassifyTheDefaultPrivateRanges(final String address, final boolean expected)
    {
        assertEquals(expected, isLocal(LocalNetworks.privateRanges(), address));
    }

    @Test
    void shouldMatchConfiguredPrefixesAtTheirEdges()
    {
        final LocalNetworks networks = LocalNetworks.of("192.0.2.0/24", "2001:db8:1::/48", "198.51.100.7");
        assertTrue(isLocal(networks, "192.0.2.0"));
        assertTrue(isLocal(networks, "192.0.2.255"));
        assertFalse(isLocal(networks, "192.0.3.0"));
        assertFalse(isLocal(networks, "192.0.1.255"));
        assertTrue(isLocal(networks, "2001:db8:1::"));
        assertTrue(isLocal(networks, "2001:db8:1:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(isLocal(networks, "2001:db8:2::"));
        assertTrue(isLocal(networks, "198.51.100.7"));
        assertFalse(isLocal(networks, "198.51.100.8"));
        assertFalse(isLocal(networks, "10.0.0.1"));
    }

    @Test
    void shouldMergeOverlappingAndAdjacentPrefixes()
    {
        final LocalNetworks networks = LocalNetworks.of(
            "10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "192.168.0.0/24", "192.168.1.0/24", "::/0");
        assertEquals(1, networks.rangeCount());
        assertEquals(2, LocalNetworks.of("10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "192.168.0.0/24")
            .rangeCount());
    }

    @Test
    void shouldAgreeWithABruteForceCheckForManyPrefixes()
    {
        final List<String> cidrs = new ArrayList<>();
        final List<int[]> v4 = new ArrayList<>();
        long seed = 42;
        for (int i = 0; i < 1000; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int length = 8 + (int)((seed >>> 33) % 25);
            final int mask = -1 << (32 - length);
            final int base = (int)(seed >>> 7) & mask;
            v4.add(new int[]{ base, mask });
            cidrs.add(((base >>> 24) & 0xFF) + "." + ((base >>> 16) & 0xFF) + "." + ((base >>> 8) & 0xFF) + "." +
                (base & 0xFF) + "/" + length);
        }
        final LocalNetworks networks = LocalNetworks.of(cidrs);

        for (int i = 0; i < 20_000; i++)
        {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            final int address = i % 2 == 0 ? (int)(seed >>> 16) : v4.get(i % 1000)[0] + (int)(seed >>> 60);
            boolean expected = false;
            for (final int[] prefix : v4)
            {
                expected |= (address & prefix[1]) == prefix[0];
            }
            final long lo = 0x0000_FFFF_0000_0000L | (address & 0xFFFF_FFFFL);
            assertEquals(expected, networks.isLocal(0, lo), "address " + Integer.toHexString(address));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "10.0.0.0/33", "10.0.0.1/8", "10.0.0.0/-1", "10.0.0.0/x", "fd00::/129", "fd00::1/8",
        "hello", "" })
    void shouldNameTheBadPrefixWhenRejectingIt(final String cidr)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> LocalNetworks.of(cidr));
        assertTrue(ex.getMessage().contains("'" + cidr + "'"), ex.getMessage());
    }

    @Test
    void shouldHoldNothingLocalWhenGivenNoPrefixes()
    {
        final LocalNetworks networks = LocalNetworks.of();
        assertFalse(isLocal(networks, "10.0.0.1"));
        assertEquals(0, networks.rangeCount());
    }

    @Test
    void shouldHoldBothSetsOfPrefixesWhenExtended()
    {
        final LocalNetworks configured = LocalNetworks.of("192.0.2.0/24");
        final LocalNetworks both = configured.with(List.of("2001:db8::/32", "192.0.3.0/24"));

        assertEquals(List.of("192.0.2.0/24"), configured.prefixes());
        assertEquals(List.of("192.0.2.0/24", "2001:db8::/32", "192.0.3.0/24"), both.prefixes());
        assertEquals("LocalNetworks[192.0.2.0/24, 2001:db8::/32, 192.0.3.0/24]", both.toString());
        // the two adjacent IPv4 prefixes merge into one range
        assertEquals(2, both.rangeCount());
        assertTrue(isLocal(both, "192.0.3.255"));
        assertTrue(isLocal(both, "2001:db8:ffff::1"));
        assertFalse(isLocal(configured, "192.0.3.0"));
    }
}
