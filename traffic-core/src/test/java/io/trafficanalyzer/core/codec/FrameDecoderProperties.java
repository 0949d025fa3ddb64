package io.trafficanalyzer.core.codec;

import io.trafficanalyzer.core.testing.FrameBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static io.trafficanalyzer.core.codec.DecodedPacket.NO_PORT;
import static io.trafficanalyzer.core.codec.DecodedPacket.NO_VLAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever the bytes, the decoder neither throws nor reads past the captured length, gives each frame one outcome
 * that depends on that frame alone (the decoder that decoded other frames before agrees with a new one, outcome
 * and fields), and fills a decoded packet with values in range; a valid frame decodes to what was built.
 */
class FrameDecoderProperties
{
    private static final long TIMESTAMP_NS = 1_234_567_890L;
    private static final int[] SUPPORTED_LINK_TYPES = {
        LinkType.NULL, LinkType.ETHERNET, LinkType.RAW_BSD_12, LinkType.RAW_BSD_14, LinkType.RAW, LinkType.LOOP,
        LinkType.LINUX_SLL, LinkType.IPV4, LinkType.IPV6, LinkType.LINUX_SLL2, LinkType.PPP, LinkType.PPP_HDLC,
        LinkType.C_HDLC, LinkType.FRELAY, LinkType.NFLOG, LinkType.PKTAP, LinkType.PKTAP_DARWIN };

    private final FrameDecoder decoder = new FrameDecoder();
    private final DecodedPacket heapPacket = new DecodedPacket();
    private final DecodedPacket directPacket = new DecodedPacket();

    @Property(tries = 3000)
    void shouldYieldOneOutcomeInRangeWhenRandomBytes(
        @ForAll @Size(max = 160) final byte[] bytes,
        @ForAll("anyLinkType") final int linkType,
        @ForAll @IntRange(max = 7) final int offset,
        @ForAll final int wireLength)
    {
        decodeChecked(bytes, bytes.length, offset, wireLength, linkType);
    }

    @Property(tries = 400)
    void shouldYieldOneOutcomeAtEveryLengthWhenValidFrameMutated(
        @ForAll("validFrames") final FrameRecipe recipe,
        @ForAll @Size(max = 6) final List<@IntRange(min = 0, max = 0xFFFFFF) Integer> flips,
        @ForAll("anyLinkType") final int otherLinkType,
        @ForAll final boolean keepLinkType)
    {
        final FrameBuilder builder = recipe.builder();
        final byte[] bytes = builder.build();
        for (final int flip : flips)
        {
            if (bytes.length > 0)
            {
                // position in the upper bits, a non-zero xor mask in the lowest byte
                bytes[(flip >>> 8) % bytes.length] ^= (byte)((flip & 0xFF) | 1);
            }
        }
        final int linkType = keepLinkType ? builder.linkType() : otherLinkType;

        for (int length = 0; length <= bytes.length; length++)
        {
            decodeChecked(Arrays.copyOf(bytes, length), length, length & 3, builder.wireLength(), linkType);
        }
    }

    @Property(tries = 1000)
    void shouldDecodeWhatWasBuiltWhenValidFrame(@ForAll("validFrames") final FrameRecipe recipe)
    {
        final FrameBuilder builder = recipe.builder();
        final byte[] bytes = builder.build();

        final FrameOutcome outcome = decodeChecked(bytes, bytes.length, 3, builder.wireLength(), builder.linkType());

        assertEquals(FrameOutcome.DECODED, outcome, recipe.toString());
        assertEquals(recipe.effectiveIpv6() ? 6 : 4, heapPacket.ipVersion);
        assertEquals(builder.ipLength(), heapPacket.ipBytes);
        assertEquals(recipe.expectedProtocol(), heapPacket.protocol, recipe.toString());
        assertEquals(recipe.expectedFragment(), heapPacket.fragment, recipe.toString());
        assertEquals(recipe.expectedPorts() ? recipe.sourcePort() : NO_PORT, heapPacket.srcPort, recipe.toString());
        assertEquals(recipe.expectedPorts() ? 53 : NO_PORT, heapPacket.dstPort, recipe.toString());
        assertEquals(recipe.trafficClass >> 2, heapPacket.dscp);
        assertEquals(recipe.hasTags() ? recipe.firstVlanId() : NO_VLAN, heapPacket.vlanId);
    }

    // exact-size heap and direct buffers, so that a read past the captured length throws; the two must agree, and
    // the long-lived decoder, which decoded other frames before, must agree with a new one
    private FrameOutcome decodeChecked(
        final byte[] bytes, final int capturedLength, final int offset, final int wireLength, final int linkType)
    {
        final UnsafeBuffer heap = BufferKind.HEAP.allocate(offset + capturedLength);
        final UnsafeBuffer direct = BufferKind.DIRECT.allocate(offset + capturedLength);
        heap.putBytes(offset, bytes, 0, capturedLength);
        direct.putBytes(offset, bytes, 0, capturedLength);
        DecodeHarness.poison(heapPacket);
        DecodeHarness.poison(directPacket);

        final FrameOutcome outcome = decoder.decode(
            heap, offset, capturedLength, wireLength, linkType, TIMESTAMP_NS, heapPacket);
        final FrameOutcome directOutcome = decoder.decode(
            direct, offset, capturedLength, wireLength, linkType, TIMESTAMP_NS, directPacket);

        final DecodedPacket alonePacket = new DecodedPacket();
        DecodeHarness.poison(alonePacket);
        final FrameOutcome alone = new FrameDecoder().decode(
            heap, offset, capturedLength, wireLength, linkType, TIMESTAMP_NS, alonePacket);

        assertNotNull(outcome);
        assertEquals(outcome, directOutcome);
        assertEquals(alone, outcome, "the frame's outcome depends on the frame alone");
        if (outcome == FrameOutcome.DECODED)
        {
            assertInRange(heapPacket);
            assertSame(heapPacket, directPacket);
            assertSame(alonePacket, heapPacket);
        }
        if (!LinkType.isSupported(linkType))
        {
            assertEquals(FrameOutcome.UNSUPPORTED_LINK_TYPE, outcome);
        }

        return outcome;
    }

    private static void assertInRange(final DecodedPacket packet)
    {
        assertEquals(TIMESTAMP_NS, packet.timestampNs);
        assertTrue(packet.ipVersion == 4 || packet.ipVersion == 6, "ipVersion " + packet.ipVersion);
        assertTrue(packet.ipBytes >= 0, "ipBytes " + packet.ipBytes);
        assertTrue(packet.protocol >= 0 && packet.protocol <= 255, "protocol " + packet.protocol);
        assertTrue(packet.dscp >= 0 && packet.dscp <= 63, "dscp " + packet.dscp);
        assertTrue(packet.vlanId == NO_VLAN || (packet.vlanId >= 0 && packet.vlanId <= 4095), "vlan " + packet.vlanId);
        if (packet.srcPort == NO_PORT)
        {
            assertEquals(NO_PORT, packet.dstPort);
        }
        else
        {
            assertTrue(packet.srcPort >= 0 && packet.srcPort <= 65535, "srcPort " + packet.srcPort);
            assertTrue(packet.dstPort >= 0 && packet.dstPort <= 65535, "dstPort " + packet.dstPort);
            assertTrue(packet.protocol == 6 || packet.protocol == 17, "ports with protocol " + packet.protocol);
        }
        if (packet.ipVersion == 4)
        {
            assertTrue(DecodedPacket.isIpv4Mapped(packet.srcHi, packet.srcLo));
            assertTrue(DecodedPacket.isIpv4Mapped(packet.dstHi, packet.dstLo));
        }
    }

    private static void assertSame(final DecodedPacket expected, final DecodedPacket actual)
    {
        assertEquals(expected.ipVersion, actual.ipVersion);
        assertEquals(expected.srcHi, actual.srcHi);
        assertEquals(expected.srcLo, actual.srcLo);
        assertEquals(expected.dstHi, actual.dstHi);
        assertEquals(expected.dstLo, actual.dstLo);
        assertEquals(expected.protocol, actual.protocol);
        assertEquals(expected.srcPort, actual.srcPort);
        assertEquals(expected.dstPort, actual.dstPort);
        assertEquals(expected.ipBytes, actual.ipBytes);
        assertEquals(expected.vlanId, actual.vlanId);
        assertEquals(expected.dscp, actual.dscp);
        assertEquals(expected.fragment, actual.fragment);
    }

    @Provide
    Arbitrary<Integer> anyLinkType()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of(Arrays.stream(SUPPORTED_LINK_TYPES).boxed().toList())),
            Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<FrameRecipe> validFrames()
    {
        final Arbitrary<Integer> linkType = Arbitraries.of(Arrays.stream(SUPPORTED_LINK_TYPES).boxed().toList());
        final Arbitrary<List<Integer>> tags = Arbitraries.of(0x8100, 0x88A8, 0x9100).list().ofMaxSize(3);
        final Arbitrary<Integer> encapsulation = Arbitraries.integers().between(0, 3);
        final Arbitrary<Boolean> ipv6 = Arbitraries.of(false, true);
        final Arbitrary<List<Integer>> extensions = Arbitraries.of(0, 43, 44, 51, 60).list().ofMaxSize(4);
        final Arbitrary<Integer> optionsLength = Arbitraries.integers().between(0, 10).map((words) -> words * 4);
        final Arbitrary<Integer> transport = Arbitraries.of(1, 6, 17, 47, 50, 58, 59, 132);
        final Arbitrary<Integer> payload = Arbitraries.integers().between(0, 80);
        final Arbitrary<Integer> fragmentOffset = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(0)),
            Tuple.of(1, Arbitraries.integers().between(1, 8191)));
        final Arbitrary<Boolean> moreFragments = Arbitraries.of(false, true);
        final Arbitrary<Integer> trafficClass = Arbitraries.integers().between(0, 255);
        final Arbitrary<Integer> vlanId = Arbitraries.integers().between(0, 4095);

        final Arbitrary<FrameRecipe> link = Combinators.combine(linkType, tags, encapsulation, ipv6, vlanId)
            .as(FrameDecoderProperties::linkRecipe);
        return Combinators.combine(
            link, extensions, optionsLength, transport, payload, fragmentOffset, moreFragments, trafficClass)
            .as(FrameDecoderProperties::ipRecipe);
    }

    private static FrameRecipe linkRecipe(
        final int linkType, final List<Integer> tags, final int encapsulation, final boolean ipv6, final int vlanId)
    {
        return new FrameRecipe(linkType, tags, encapsulation, ipv6, vlanId, List.of(), 0, 0, 0, 0, false, 0);
    }

    private static FrameRecipe ipRecipe(
        final FrameRecipe link,
        final List<Integer> extensions,
        final int optionsLength,
        final int transport,
        final int payload,
        final int fragmentOffset,
        final boolean moreFragments,
        final int trafficClass)
    {
        return new FrameRecipe(
            link.linkType, link.tags, link.encapsulation, link.ipv6, link.vlanId, extensions, optionsLength, transport,
            payload, fragmentOffset, moreFragments, trafficClass);
    }

    // a valid frame described by its choices, with the values a correct decoder must give
    record FrameRecipe(
        int linkType,
        List<Integer> tags,
        int encapsulation,
        boolean ipv6,
        int vlanId,
        List<Integer> extensions,
        int optionsLength,
        int transport,
        int payload,
        int fragmentOffset,
        boolean moreFragments,
        int trafficClass)
    {
        FrameBuilder builder()
        {
            final boolean v6 = effectiveIpv6();
            final FrameBuilder builder = new FrameBuilder().linkType(linkType);
            if (linkType == LinkType.NULL)
            {
                builder.bsdNull(v6 ? 28 : 2, tags.size() % 2 == 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            }
            else if (linkType == LinkType.LOOP)
            {
                builder.loop(v6 ? 30 : 2);
            }
            if (hasTags())
            {
                for (int i = 0; i < tags.size(); i++)
                {
                    builder.tag(tags.get(i), i == 0 ? vlanId : i);
                }
            }
            if (hasLinkEncapsulation() && encapsulation == 1)
            {
                builder.mpls(100, 200);
            }
            else if (hasLinkEncapsulation() && encapsulation == 2)
            {
                builder.pppoeSession();
            }

            if (v6)
            {
                builder.ipv6("2001:db8::1", "2001:db8::2");
                for (final int type : extensions)
                {
                    addExtension(builder, type);
                }
            }
            else
            {
                builder.ipv4("192.0.2.1", "198.51.100.2").ipv4Options(optionsLength)
                    .ipv4Fragment(fragmentOffset, moreFragments);
                for (final int type : extensions)
                {
                    if (type == IpProtocol.AH)
                    {
                        builder.authenticationHeader();
                    }
                }
            }
            builder.trafficClass(trafficClass);

            switch (transport)
            {
                case 6 -> builder.tcp(sourcePort(), 53);
                case 17 -> builder.udp(sourcePort(), 53);
                case 1 -> builder.icmp();
                case 58 -> builder.icmpv6();
                default -> builder.protocol(transport);
            }
            return builder.payload(payload);
        }

        boolean effectiveIpv6()
        {
            return linkType == LinkType.IPV6 || (ipv6 && linkType != LinkType.IPV4);
        }

        boolean hasTags()
        {
            return !tags.isEmpty() && hasLinkEncapsulation();
        }

        int firstVlanId()
        {
            return vlanId;
        }

        int sourcePort()
        {
            return 1024 + payload * 500;
        }

        int expectedProtocol()
        {
            if (effectiveIpv6())
            {
                for (int i = 0; i < extensions.size(); i++)
                {
                    if (extensions.get(i) == IpProtocol.FRAGMENT && fragmentOffset != 0)
                    {
                        return i + 1 < extensions.size() ? extensions.get(i + 1) : transport;
                    }
                }
                return transport;
            }
            if (fragmentOffset != 0)
            {
                return extensions.contains(IpProtocol.AH) ? IpProtocol.AH : transport;
            }
            return transport;
        }

        boolean expectedFragment()
        {
            if (effectiveIpv6())
            {
                return extensions.contains(IpProtocol.FRAGMENT) && (fragmentOffset != 0 || moreFragments);
            }
            return fragmentOffset != 0 || moreFragments;
        }

        boolean expectedPorts()
        {
            final boolean laterFragment = effectiveIpv6() ? extensions.contains(IpProtocol.FRAGMENT) &&
                fragmentOffset != 0 : fragmentOffset != 0;
            return (transport == 6 || transport == 17) && !laterFragment;
        }

        // link layers that announce the payload with an EtherType (PKTAP: the Ethernet frame the builder puts inside)
        private boolean hasLinkEncapsulation()
        {
            return linkType == LinkType.ETHERNET || linkType == LinkType.LINUX_SLL || linkType == LinkType.LINUX_SLL2 ||
                linkType == LinkType.C_HDLC || linkType == LinkType.PKTAP || linkType == LinkType.PKTAP_DARWIN;
        }

        private void addExtension(final FrameBuilder builder, final int type)
        {
            switch (type)
            {
                case 0 -> builder.hopByHop(8);
                case 43 -> builder.routing(16);
                case 44 -> builder.fragmentHeader(fragmentOffset, moreFragments);
                case 51 -> builder.authenticationHeader();
                default -> builder.destinationOptions(24);
            }
        }
    }
}
