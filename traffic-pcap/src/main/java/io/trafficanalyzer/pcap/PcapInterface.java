package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.status.Logging;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A network interface libpcap can capture on, with its IPv4 and IPv6 addresses as CIDR prefixes.
 */
public final class PcapInterface
{
    private final String name;
    private final String description;
    private final List<String> addresses;
    private final List<String> networks;
    private final boolean isLoopback;
    private final boolean isUp;

    PcapInterface(
        final String name,
        final String description,
        final List<String> addresses,
        final List<String> networks,
        final boolean isLoopback,
        final boolean isUp)
    {
        this.name = name;
        this.description = description;
        this.addresses = Collections.unmodifiableList(addresses);
        this.networks = Collections.unmodifiableList(networks);
        this.isLoopback = isLoopback;
        this.isUp = isUp;
    }

    /**
     * The interfaces of this host (of this network namespace on Linux), as libpcap lists them.
     *
     * @return the interfaces, including the {@code any} pseudo-interface where libpcap offers it.
     * @throws PcapException when libpcap is missing or cannot list the interfaces.
     */
    public static List<PcapInterface> list() throws PcapException
    {
        PcapHandles.loadLibrary();
        Logging.quietSlf4j();
        final List<PcapNetworkInterface> devices;
        try
        {
            devices = Pcaps.findAllDevs();
        }
        catch (final PcapNativeException ex)
        {
            throw new PcapException(
                PcapException.Reason.OPEN_FAILED, "cannot list the interfaces: " + ex.getMessage(), ex);
        }
        catch (final LinkageError ex)
        {
            throw PcapException.libraryMissing(ex);
        }

        final List<PcapInterface> interfaces = new ArrayList<>(devices.size());
        for (final PcapNetworkInterface device : devices)
        {
            interfaces.add(of(device));
        }

        return interfaces;
    }

    /**
     * The interface's name, e.g. {@code eth0} or {@code any}.
     *
     * @return the name to capture on.
     */
    public String name()
    {
        return name;
    }

    /**
     * libpcap's description of the interface.
     *
     * @return the description, empty when there is none.
     */
    public String description()
    {
        return description;
    }

    /**
     * The interface's own IPv4 and IPv6 addresses with their prefix lengths, e.g. {@code 192.0.2.7/24}.
     *
     * @return the addresses in CIDR notation.
     */
    public List<String> addresses()
    {
        return addresses;
    }

    /**
     * The networks the interface's addresses belong to, e.g. {@code 192.0.2.0/24}, without duplicates.
     *
     * @return the network prefixes in CIDR notation, ready for
     *         {@link io.trafficanalyzer.core.classify.LocalNetworks#of(java.util.List)}.
     */
    public List<String> networks()
    {
        return networks;
    }

    /**
     * Whether this is a loopback interface.
     *
     * @return true for loopback.
     */
    public boolean isLoopback()
    {
        return isLoopback;
    }

    /**
     * Whether the interface is up.
     *
     * @return true when up.
     */
    public boolean isUp()
    {
        return isUp;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return name + (description.isEmpty() ? "" : " (" + description + ")") + " " + addresses;
    }

    /**
     * Check that every interface named exists, so that a typo is told with the names that would do.
     *
     * @param interfaceNames the interfaces, or {@link LiveCaptureNames#ANY}.
     * @throws PcapException naming the first missing interface and listing those that exist.
     */
    static void requireExisting(final List<String> interfaceNames) throws PcapException
    {
        final List<PcapInterface> existing = list();
        final List<String> names = new ArrayList<>(existing.size());
        for (final PcapInterface pcapInterface : existing)
        {
            names.add(pcapInterface.name());
        }

        for (final String interfaceName : interfaceNames)
        {
            if (!LiveCaptureNames.ANY.equals(interfaceName) && !names.contains(interfaceName))
            {
                throw new PcapException(
                    PcapException.Reason.NO_SUCH_INTERFACE,
                    "no interface '" + interfaceName + "'; the interfaces are: " + String.join(", ", names));
            }
        }
    }

    static PcapInterface of(final PcapNetworkInterface device)
    {
        final List<String> addresses = new ArrayList<>();
        final Set<String> networks = new LinkedHashSet<>();
        for (final PcapAddress address : device.getAddresses())
        {
            final InetAddress inet = address.getAddress();
            if (null == inet)
            {
                continue;
            }

            final byte[] bytes = inet.getAddress();
            final int prefixLength = prefixLength(address.getNetmask(), bytes.length * 8);
            addresses.add(format(bytes) + "/" + prefixLength);
            networks.add(format(network(bytes, prefixLength)) + "/" + prefixLength);
        }

        final String description = device.getDescription();
        return new PcapInterface(
            device.getName(),
            null == description ? "" : description,
            addresses,
            new ArrayList<>(networks),
            device.isLoopBack(),
            device.isUp());
    }

    static int prefixLength(final InetAddress netmask, final int maxLength)
    {
        if (null == netmask || netmask.getAddress().length * 8 != maxLength)
        {
            return maxLength;
        }

        int length = 0;
        for (final byte b : netmask.getAddress())
        {
            if (b == (byte)0xFF)
            {
                length += 8;
            }
            else
            {
                length += Integer.numberOfLeadingZeros(~(b << 24));
                break;
            }
        }

        return length;
    }

    static byte[] network(final byte[] address, final int prefixLength)
    {
        final byte[] network = address.clone();
        for (int i = 0; i < network.length; i++)
        {
            final int bitsInByte = Math.max(0, Math.min(8, prefixLength - i * 8));
            network[i] &= (byte)(0xFF00 >>> bitsInByte);
        }

        return network;
    }

    static String format(final byte[] address)
    {
        if (address.length == 4)
        {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." +
                (address[3] & 0xFF);
        }

        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++)
        {
            hi = (hi << 8) | (address[i] & 0xFF);
            lo = (lo << 8) | (address[i + 8] & 0xFF);
        }

        return IpAddresses.format(hi, lo);
    }
}
