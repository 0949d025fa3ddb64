package io.trafficanalyzer.core.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameCountsTest
{
    @Test
    void shouldCountEachOutcomeSeparately()
    {
        final FrameCounts counts = new FrameCounts();
        counts.add(FrameOutcome.DECODED).add(FrameOutcome.DECODED).add(FrameOutcome.NON_IP)
            .add(FrameOutcome.TRUNCATED_TRANSPORT_HEADER).add(FrameOutcome.BAD_IP_VERSION)
            .add(FrameOutcome.BAD_IP_VERSION).add(FrameOutcome.BAD_IP_VERSION);

        assertEquals(2, counts.count(FrameOutcome.DECODED));
        assertEquals(1, counts.count(FrameOutcome.NON_IP));
        assertEquals(1, counts.count(FrameOutcome.TRUNCATED_TRANSPORT_HEADER));
        assertEquals(3, counts.count(FrameOutcome.BAD_IP_VERSION));
        assertEquals(0, counts.count(FrameOutcome.UNSUPPORTED_LINK_TYPE));
        assertEquals(7, counts.total());
        assertEquals(4, counts.malformed());
    }

    @Test
    void shouldStartFromZeroWhenReset()
    {
        final FrameCounts counts = new FrameCounts().add(FrameOutcome.DECODED).add(FrameOutcome.TRUNCATED_IP_HEADER);

        counts.reset();

        assertEquals(0, counts.total());
        assertEquals(0, counts.count(FrameOutcome.DECODED));
        counts.add(FrameOutcome.TRUNCATED_IP_HEADER);
        assertEquals(1, counts.count(FrameOutcome.TRUNCATED_IP_HEADER));
        assertEquals(1, counts.total());
    }

    @Test
    void shouldSumEveryOutcomeWhenMerged()
    {
        final FrameCounts first = new FrameCounts().add(FrameOutcome.DECODED).add(FrameOutcome.NON_IP);
        final FrameCounts second = new FrameCounts().add(FrameOutcome.DECODED).add(FrameOutcome.BAD_IP_HEADER_LENGTH);

        first.add(second);

        assertEquals(2, first.count(FrameOutcome.DECODED));
        assertEquals(1, first.count(FrameOutcome.NON_IP));
        assertEquals(1, first.count(FrameOutcome.BAD_IP_HEADER_LENGTH));
        assertEquals(4, first.total());
        assertEquals(2, second.total());
    }

    @Test
    void shouldListNonZeroCountsByLabelWhenPrinted()
    {
        final FrameCounts counts = new FrameCounts().add(FrameOutcome.DECODED).add(FrameOutcome.DECODED)
            .add(FrameOutcome.TRUNCATED_LINK_HEADER);

        assertEquals("FrameCounts{total=3, decoded=2, truncated_link_header=1}", counts.toString());
    }

    @Test
    void shouldReturnItselfWhenMergedOrResetForChaining()
    {
        final FrameCounts counts = new FrameCounts().add(FrameOutcome.DECODED);
        final FrameCounts other = new FrameCounts().add(FrameOutcome.NON_IP);

        assertEquals(2, counts.add(other).add(other).count(FrameOutcome.NON_IP));
        assertEquals(1, counts.reset().add(FrameOutcome.NON_IP).total());
    }

    @Test
    void shouldCallEveryOutcomeButDecodedAndNonIpMalformed()
    {
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            assertEquals(outcome != FrameOutcome.DECODED && outcome != FrameOutcome.NON_IP, outcome.isMalformed(),
                outcome.name());
        }
        assertEquals(false, FrameOutcome.DECODED.isMalformed());
        assertEquals(false, FrameOutcome.NON_IP.isMalformed());
        assertEquals(true, FrameOutcome.TRUNCATED_LINK_HEADER.isMalformed());
    }
}
