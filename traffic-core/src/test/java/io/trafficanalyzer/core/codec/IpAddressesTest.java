package io.trafficanalyzer.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressesTest
{
    @Test
    void shouldFormatIpv4MappedAsDottedQuad()
    {
        final long lo = DecodedPacket.ipv4MappedLo(0xC0000201);
        assertEquals("192.0.2.1", IpAddresses.format(0, lo));
        assertEquals("255.255.255.255", IpAddresses.format(0, DecodedPacket.ipv4MappedLo(-1)));
    }

    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "::ffff:10.1.2.3, 10.1.2.3",
        "::10.1.2.3, ::a01:203",
    })
    void shouldFormatInRfc5952CanonicalForm(final String input, final String expected)
    {
        final long[] address = IpAddresses.parse(input);
        assertEquals(expected, IpAddresses.format(address[0], address[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2001:db8::1", "::", "1::", "::1", "fe80::1:2", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "64:ff9b::192.0.2.33" })
    void shouldParseIpv6AsTheJdkDoes(final String text) throws Exception
    {
        final byte[] expected = InetAddress.getByName(text).getAddress();
        final long[] address = IpAddresses.parse(text);
        final byte[] actual = ByteBuffer.allocate(16).putLong(address[0]).putLong(address[1]).array();
        assertArrayEquals(expected, actual);
    }

    @Test
    void shouldParseIpv4IntoMappedForm()
    {
        final long[] address = IpAddresses.parse("10.20.30.40");
        assertEquals(0L, address[0]);
        assertEquals(0x0000_FFFF_0A14_1E28L, address[1]);
        assertTrue(DecodedPacket.isIpv4Mapped(address[0], address[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.a", "1..2.3", "1:2", "1:::2", "1::2::3",
        "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "example.com", "::1.2.3" })
    void shouldRejectTextThatIsNotAnAddressWhenParsing(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
        assertTrue(ex.getMessage().contains("'" + text + "'"), ex.getMessage());
    }
}
