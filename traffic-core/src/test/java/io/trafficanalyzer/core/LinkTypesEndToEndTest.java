package io.trafficanalyzer.core;

import io.trafficanalyzer.core.codec.LinkType;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.FrameBuilder.FrameRelayEncapsulation;
import io.trafficanalyzer.core.testing.GeneratedTraffic;
import io.trafficanalyzer.core.testing.HostTotalsSink;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures of the point-to-point, Frame Relay, NFLOG and PKTAP link types, written by the test and replayed through
 * a {@code file:} source: the hosts view holds exactly the IP packets the test wrote, and the non-IP and cut frames
 * among them are counted by outcome.
 */
class LinkTypesEndToEndTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;
    private static final int PACKETS = 1_500;
    private static final int EXTRA_EVERY = 50;

    enum Link
    {
        PPP(LinkType.PPP, FrameBuilder::ppp, (frame) -> frame.pppProtocol(0xC021)),
        PPP_COMPRESSED(LinkType.PPP, Link::compressedPpp, (frame) -> frame.pppProtocol(0x8021)),
        PPP_HDLC(LinkType.PPP_HDLC, (frame) -> frame.linkType(LinkType.PPP_HDLC), (frame) -> frame.pppProtocol(0xC223)),
        CISCO_HDLC(LinkType.C_HDLC, FrameBuilder::ciscoHdlc, (frame) -> frame.etherType(0x8035)),
        FRAME_RELAY_NLPID(LinkType.FRELAY, Link::frameRelayNlpid, (frame) -> frame.nlpid(0x83)),
        FRAME_RELAY_CISCO(LinkType.FRELAY, Link::frameRelayCisco, (frame) -> frame.etherType(0x0806)),
        NFLOG(LinkType.NFLOG, (frame) -> frame.nflog(ByteOrder.LITTLE_ENDIAN), (frame) -> frame.nflogFamily(7)),
        PKTAP(LinkType.PKTAP, (frame) -> frame.pktap(LinkType.PKTAP), (frame) -> frame.etherType(0x0806)),
        PKTAP_DARWIN(LinkType.PKTAP_DARWIN, (frame) -> frame.pktap(LinkType.PKTAP_DARWIN), Link::lldp);

        final int linkType;
        final UnaryOperator<FrameBuilder> linkLayer;
        final UnaryOperator<FrameBuilder> notIp;

        Link(final int linkType, final UnaryOperator<FrameBuilder> linkLayer, final UnaryOperator<FrameBuilder> notIp)
        {
            this.linkType = linkType;
            this.linkLayer = linkLayer;
            this.notIp = notIp;
        }

        private static FrameBuilder compressedPpp(final FrameBuilder frame)
        {
            return frame.ppp().pppFraming(false, true);
        }

        private static FrameBuilder frameRelayNlpid(final FrameBuilder frame)
        {
            return frame.frameRelay(100, FrameRelayEncapsulation.NLPID);
        }

        private static FrameBuilder frameRelayCisco(final FrameBuilder frame)
        {
            return frame.frameRelay(301, FrameRelayEncapsulation.CISCO);
        }

        private static FrameBuilder lldp(final FrameBuilder frame)
        {
            return frame.etherType(0x88CC);
        }

        // a frame of the link type carrying no IP packet: a control protocol, ARP, LLDP, IS-IS, another family
        byte[] nonIpFrame(final GeneratedTraffic traffic, final long i)
        {
            return notIp.apply(linkLayer.apply(traffic.frameBuilder(i))).build();
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Link.class)
    void shouldStoreHostTotalsOfEveryIpPacketWhenCaptureHasLinkType(final Link link) throws Exception
    {
        final GeneratedTraffic traffic = new GeneratedTraffic(T0, 20_000_000L, 15, 120, link.ordinal());
        final Path file = dir.resolve(link + ".pcap");
        long bytes = 0;
        int extras = 0;
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS)
            .linkType(link.linkType))
        {
            for (int i = 0; i < PACKETS; i++)
            {
                final byte[] frame = link.linkLayer.apply(traffic.frameBuilder(i)).build();
                writer.record(traffic.timestampNs(i), frame);
                bytes += traffic.ipLength(i);
                if (i % EXTRA_EVERY == 0)
                {
                    writer.record(traffic.timestampNs(i), link.nonIpFrame(traffic, i));
                    // cut after its first byte by the snap length: inside every one of these link headers
                    writer.record(traffic.timestampNs(i), frame, 1, frame.length);
                    extras++;
                }
            }
        }
        final HostTotalsSink sink = new HostTotalsSink();

        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + file)
            .localNetworks(GeneratedTraffic.LOCAL_NETWORKS)
            .bucket(Duration.ofSeconds(10))
            .sink(sink)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)), "completes");

            assertEquals(PACKETS + 2L * extras, analyzer.counter(TrafficCounter.FRAMES));
            assertEquals(PACKETS, analyzer.counter(TrafficCounter.PACKETS));
            assertEquals(bytes, analyzer.counter(TrafficCounter.BYTES));
            assertEquals(extras, analyzer.counter(TrafficCounter.NON_IP));
            assertEquals(extras, analyzer.counter(TrafficCounter.MALFORMED_TRUNCATED_LINK_HEADER));
            assertEquals(extras, analyzer.counter(TrafficCounter.MALFORMED));
        }

        assertEquals(traffic.expectedHosts(0, PACKETS, 10), sink.hosts());
        assertEquals(3, sink.hosts().size());
    }
}
