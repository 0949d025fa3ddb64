package io.trafficanalyzer.core.codec;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FlyweightTest
{
    private static final int OFFSET = 7;

    // version 4, IHL 6 (one 4-byte option), DSCP 46, total length 52, id 1, DF, TTL 64, UDP, 10.1.2.3 to 10.1.2.4,
    // option NOP x4
    private static final String HEADER = "46b80034" + "00014000" + "40110000" + "0a010203" + "0a010204" + "01010101";

    private static Ipv4Flyweight wrap(final BufferKind kind, final String hex, final int length)
    {
        final byte[] bytes = BitUtil.fromHex(hex);
        final UnsafeBuffer buffer = kind.allocate(OFFSET + bytes.length + 16);
        buffer.setMemory(0, buffer.capacity(), (byte)0x5f);
        buffer.putBytes(OFFSET, bytes);
        return new Ipv4Flyweight().wrap(buffer, OFFSET, length);
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void shouldReadEveryHeaderFieldWhenWrappedAtAnOffset(final BufferKind kind)
    {
        final Ipv4Flyweight ipv4 = wrap(kind, HEADER, 52);

        assertEquals(52, ipv4.length());
        assertEquals(4, ipv4.version());
        assertEquals(24, ipv4.headerLength());
        assertTrue(ipv4.isComplete());
        assertEquals(0x46b80034, ipv4.firstWord());
        assertEquals(46, Ipv4Flyweight.dscp(ipv4.firstWord()));
        assertEquals(52, Ipv4Flyweight.totalLength(ipv4.firstWord()));
        assertEquals(0x00014000, ipv4.fragmentWord());
        assertEquals(17, ipv4.protocol());
        assertEquals(0x0a0102030a010204L, ipv4.addresses());
    }

    @ParameterizedTest
    @EnumSource(BufferKind.class)
    void shouldReadTheVersionNibbleAloneWhenTheHeaderIsNotIpv4(final BufferKind kind)
    {
        // an IPv6 first byte, and a header of IHL 15 cut at 23 bytes
        assertEquals(6, wrap(kind, "60000000", 4).version());
        final Ipv4Flyweight cut = wrap(kind, "4f" + HEADER.substring(2), 23);
        assertEquals(4, cut.version());
        assertEquals(60, cut.headerLength());
        assertEquals(23, cut.length());
        assertFalse(cut.isComplete());
    }
}
