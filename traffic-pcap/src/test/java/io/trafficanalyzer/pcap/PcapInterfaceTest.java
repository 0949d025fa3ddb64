package io.trafficanalyzer.pcap;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapInterfaceTest
{
    @Test
    void shouldListEveryInterfaceWithTheAddressesTheJdkSeesWhenListing() throws PcapException, SocketException
    {
        final Map<String, PcapInterface> byName = new HashMap<>();
        for (final PcapInterface pcapInterface : PcapInterface.list())
        {
            byName.put(pcapInterface.name(), pcapInterface);
        }

        int compared = 0;
        for (final NetworkInterface jdk : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            final Set<String> expected = new TreeSet<>();
            for (final InterfaceAddress address : jdk.getInterfaceAddresses())
            {
                expected.add(PcapInterface.format(address.getAddress().getAddress()) + "/" +
                    address.getNetworkPrefixLength());
            }
            final PcapInterface pcapInterface = byName.get(jdk.getName());
            assertTrue(null != pcapInterface, jdk.getName() + " missing from " + byName.keySet());
            assertEquals(expected, new TreeSet<>(pcapInterface.addresses()), jdk.getName());
            assertEquals(jdk.isLoopback(), pcapInterface.isLoopback(), jdk.getName());
            compared++;
        }
        assertTrue(compared > 0);
        assertTrue(byName.containsKey(PcapLiveSource.ANY), byName.keySet().toString());
    }

    @Test
    void shouldGiveNetworkPrefixWhenAddressHasHostBits() throws UnknownHostException
    {
        assertEquals(23, PcapInterface.prefixLength(InetAddress.getByName("255.255.254.0"), 32));
        assertEquals(0, PcapInterface.prefixLength(InetAddress.getByName("0.0.0.0"), 32));
        assertEquals(32, PcapInterface.prefixLength(null, 32));
        assertEquals(64, PcapInterface.prefixLength(InetAddress.getByName("ffff:ffff:ffff:ffff::"), 128));
        assertEquals(57, PcapInterface.prefixLength(InetAddress.getByName("ffff:ffff:ffff:ff80::"), 128));
        assertEquals(128, PcapInterface.prefixLength(InetAddress.getByName("255.255.255.0"), 128));

        assertArrayEquals(
            new byte[]{ (byte)192, 0, 2, (byte)128 },
            PcapInterface.network(new byte[]{ (byte)192, 0, 2, (byte)201 }, 25));
        assertEquals("2001:db8:0:80::", PcapInterface.format(
            PcapInterface.network(InetAddress.getByName("2001:db8:0:ff:1:2:3:4").getAddress(), 57)));
        assertEquals("10.203.0.7", PcapInterface.format(new byte[]{ 10, (byte)203, 0, 7 }));
        assertEquals("fd42:203::2", PcapInterface.format(InetAddress.getByName("fd42:203:0:0::2").getAddress()));
    }

    @Test
    void shouldNameNetworksOfLoopbackWhenListing() throws PcapException, SocketException
    {
        final NetworkInterface loopback = NetworkInterface.getByName("lo");
        assertNotNull(loopback, "Linux always has lo");
        final Set<String> expected = new TreeSet<>();
        for (final InterfaceAddress address : loopback.getInterfaceAddresses())
        {
            final byte[] network = PcapInterface.network(
                address.getAddress().getAddress(), address.getNetworkPrefixLength());
            expected.add(PcapInterface.format(network) + "/" + address.getNetworkPrefixLength());
        }
        assertTrue(expected.contains("127.0.0.0/8"), expected.toString());

        final List<PcapInterface> listed = PcapInterface.list().stream()
            .filter((pcapInterface) -> pcapInterface.name().equals("lo")).toList();

        assertEquals(1, listed.size(), "lo listed once");
        assertEquals(expected, new TreeSet<>(listed.get(0).networks()));
    }
}
