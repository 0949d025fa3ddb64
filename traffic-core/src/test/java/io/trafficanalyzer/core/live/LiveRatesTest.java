package io.trafficanalyzer.core.live;

import io.trafficanalyzer.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveRatesTest
{
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    private final LiveRates rates = new LiveRates(true, 60);

    private LiveView fileView()
    {
        return new LiveView(rates, List.of(), 60, 5, 10, null);
    }

    private static List<Long> totals(final LiveView.Rates r)
    {
        return List.of(r.packets(), r.bytes(), r.inPackets(), r.inBytes(), r.outPackets(), r.outBytes());
    }

    @Test
    void shouldDivideByOneSecondWhenTheFirstPacketIsAlone()
    {
        final LiveView view = fileView();
        assertEquals(0.0, view.rates().packetsPerSecond());
        assertEquals(0, view.rates().coveredNanos());

        rates.onPacket(T0 + 300 * MS, 1000, true, false);
        rates.publish();

        final LiveView.Rates r = view.rates();
        assertEquals(List.of(1L, 1000L, 1L, 1000L, 0L, 0L), totals(r));
        assertEquals(0, r.coveredNanos());
        assertEquals(1.0, r.packetsPerSecond());
        assertEquals(8000.0, r.inBitsPerSecond());
        assertEquals(T0 / S, r.latestSecond());
    }

    @Test
    void shouldEndAFileSourcesWindowAtItsLatestPacketAndStartItAtTheFirst()
    {
        final LiveView view = fileView();
        // 0.5 s to 2.5 s every 100 ms: 21 packets of 100 bytes, out, over the 2 s from the first to the latest
        for (long t = 500 * MS; t <= 2500 * MS; t += 100 * MS)
        {
            rates.onPacket(T0 + t, 100, false, true);
        }
        rates.publish();

        LiveView.Rates r = view.rates();
        assertEquals(List.of(21L, 2100L, 0L, 0L, 21L, 2100L), totals(r));
        assertEquals(2 * S, r.coveredNanos());
        assertEquals(10.5, r.packetsPerSecond(), 1e-9);
        assertEquals(10.5, r.outPacketsPerSecond(), 1e-9);
        assertEquals(8400.0, r.outBitsPerSecond(), 1e-9);
        assertEquals(0.0, r.inPacketsPerSecond());

        // the window of 1 s before 2.5 s, (1.5 s, 2.5 s], holds second 2 whole: 2.0 s to 2.5 s, 6 packets
        r = view.rates(1);
        assertEquals(6, r.packets());
        assertEquals(S / 2, r.coveredNanos());
        assertEquals(6.0, r.packetsPerSecond(), 1e-9);

        // at 7.2 s the 5 s window (2.2 s, 7.2 s] holds seconds 3 to 7 whole: only the packet at 7.2 s
        rates.onPacket(T0 + 7200 * MS, 100, false, true);
        rates.publish();
        r = view.rates();
        assertEquals(1, r.packets());
        assertEquals(4200 * MS, r.coveredNanos());
        assertEquals(1 / 4.2, r.packetsPerSecond(), 1e-9);
        assertEquals(T0 / S + 7, r.latestSecond());
    }

    @Test
    void shouldFollowTheWallClockOfALiveSourceWhenTrafficStops()
    {
        final ManualClock clock = new ManualClock(T0);
        final LiveView view = new LiveView(rates, List.of(), 60, 5, 10, clock);
        for (int second = 0; second < 4; second++)
        {
            for (int i = 0; i < 10; i++)
            {
                rates.onPacket(T0 + second * S + i * 100 * MS, 50, true, false);
            }
        }
        rates.publish();

        // packet time ends at 3.9 s, the wall clock at 4.5 s: (-0.5 s, 4.5 s] from the first packet, 40 packets
        clock.set(T0 + 4500 * MS);
        LiveView.Rates r = view.rates();
        assertEquals(40, r.packets());
        assertEquals(4500 * MS, r.coveredNanos());
        assertEquals(40 / 4.5, r.packetsPerSecond(), 1e-9);

        // at 8 s: (3 s, 8 s] holds seconds 4 to 7 whole, and the quiet second 8 just begun: nothing over 4 s
        clock.set(T0 + 8 * S);
        r = view.rates();
        assertEquals(0, r.packets());
        assertEquals(4 * S, r.coveredNanos());
        assertEquals(0.0, r.packetsPerSecond());

        // a wall clock behind packet time does not pull the window back: it ends at the latest packet, 3.9 s
        clock.set(T0 + S);
        r = view.rates(2);
        assertEquals(20, r.packets());
        assertEquals(1900 * MS, r.coveredNanos());
    }

    @Test
    void shouldCountNothingOfTheStreamBeforeWhenANewStreamRestartsTheSeconds()
    {
        final LiveView view = fileView();
        for (int second = 100; second < 105; second++)
        {
            rates.onPacket(T0 + second * S, 10, true, false);
            rates.onPacket(T0 + second * S + 1, 10, true, false);
        }
        rates.restart();

        // a second file begins at 101.5 s, older than the end of the first: second 100 of the window holds the
        // first file's packets, which are not this stream's
        rates.onPacket(T0 + 101 * S + S / 2, 30, false, true);
        rates.onPacket(T0 + 101 * S + S / 2 + 250 * MS, 30, false, true);
        rates.publish();

        final LiveView.Rates r = view.rates();
        assertEquals(List.of(2L, 60L, 0L, 0L, 2L, 60L), totals(r));
        assertEquals(250 * MS, r.coveredNanos());
        assertEquals(2.0, r.packetsPerSecond(), 1e-9);
        assertEquals(T0 / S + 101, r.latestSecond());
    }

    @Test
    void shouldCountALatePacketWhenTheRingStillHoldsItsSecond()
    {
        final LiveView view = fileView();
        rates.onPacket(T0 + S, 100, true, false);
        rates.onPacket(T0 + 3 * S, 100, true, false);
        // late: second 2 was never started, so its packet is not counted; second 1 is still in the ring
        rates.onPacket(T0 + 2 * S, 40, true, false);
        rates.onPacket(T0 + S + 5, 60, false, true);
        rates.publish();

        final LiveView.Rates r = view.rates();
        assertEquals(List.of(3L, 260L, 2L, 200L, 1L, 60L), totals(r));
        assertEquals(2 * S, r.coveredNanos());
    }

    @Test
    void shouldNotCountAnythingWhenDisabled()
    {
        final LiveRates disabled = new LiveRates(false, 60);
        disabled.onPacket(T0, 100, true, true);
        disabled.publish();

        final LiveView.Rates r = new LiveView(disabled, List.of(), 60, 5, 10, null).rates();
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L), totals(r));
        assertEquals(Long.MIN_VALUE, r.latestSecond());
    }
}
