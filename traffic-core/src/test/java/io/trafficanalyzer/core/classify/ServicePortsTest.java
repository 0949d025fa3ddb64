package io.trafficanalyzer.core.classify;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicePortsTest
{
    @Test
    void shouldTakeTheWellKnownPortWhenTheClientPortIsSmaller()
    {
        // a client on port 3000 of a host that also runs services, to a proxy on 8080: not "3000 served"
        assertEquals(8080, ServicePorts.servicePort(3000, 8080));
        assertEquals(8080, ServicePorts.servicePort(8080, 3000));
        assertEquals(5432, ServicePorts.servicePort(1025, 5432));
        assertEquals(9092, ServicePorts.servicePort(9092, 2000));
    }

    @Test
    void shouldTakeTheSmallerPortWhenNeitherOrBothAreWellKnown()
    {
        assertEquals(40000, ServicePorts.servicePort(40000, 50000));
        assertEquals(40000, ServicePorts.servicePort(50000, 40000));
        assertEquals(443, ServicePorts.servicePort(51000, 443));
        assertEquals(67, ServicePorts.servicePort(68, 67));
        assertEquals(53, ServicePorts.servicePort(123, 53));
        assertEquals(53, ServicePorts.servicePort(53, 53));
    }

    @Test
    void shouldListTheDocumentedPortsAndNoEphemeralOne()
    {
        final int[] ports = ServicePorts.wellKnownPorts();
        assertArrayEquals(Arrays.stream(ports).sorted().distinct().toArray(), ports);
        for (final int port : new int[]{ 22, 25, 53, 80, 443, 3306, 5432, 6379, 8080, 8443, 9092 })
        {
            assertTrue(ServicePorts.isWellKnown(port), Integer.toString(port));
        }
        assertFalse(ServicePorts.isWellKnown(0));
        assertFalse(ServicePorts.isWellKnown(36050));
        assertFalse(ServicePorts.isWellKnown(65535));
        assertTrue(Arrays.stream(ports).allMatch(port -> port > 0 && port < 32768));
    }

    @Property
    void shouldAgreeWithTheListForEveryPort(@ForAll @IntRange(max = 65535) final int port)
    {
        assertEquals(Arrays.binarySearch(ServicePorts.wellKnownPorts(), port) >= 0, ServicePorts.isWellKnown(port));
    }

    @Property
    void shouldPickOneOfTheTwoPortsWhateverTheirOrder(
        @ForAll @IntRange(max = 65535) final int a, @ForAll @IntRange(max = 65535) final int b)
    {
        final int service = ServicePorts.servicePort(a, b);
        assertTrue(service == a || service == b);
        assertEquals(service, ServicePorts.servicePort(b, a));
        if (ServicePorts.isWellKnown(a) == ServicePorts.isWellKnown(b))
        {
            assertEquals(Math.min(a, b), service);
        }
        else
        {
            assertTrue(ServicePorts.isWellKnown(service));
        }
    }
}
