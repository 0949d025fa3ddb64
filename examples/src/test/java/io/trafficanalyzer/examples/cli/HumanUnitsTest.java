package io.trafficanalyzer.examples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HumanUnitsTest
{
    @Test
    void shouldUseBinaryUnitsForBytes()
    {
        assertEquals("1023 B", HumanUnits.bytes(1023));
        assertEquals("1.0 KiB", HumanUnits.bytes(1024));
        assertEquals("1.5 MiB", HumanUnits.bytes(1024 * 1024 * 3 / 2));
        assertEquals("2.0 GiB", HumanUnits.bytes(2L << 30));
    }

    @Test
    void shouldUseDecimalUnitsForBitRates()
    {
        assertEquals("999 bit/s", HumanUnits.bitRate(999));
        assertEquals("1.50 kbit/s", HumanUnits.bitRate(1500));
        assertEquals("12.35 Mbit/s", HumanUnits.bitRate(12_345_678));
        assertEquals("1.00 Gbit/s", HumanUnits.bitRate(1e9));
    }

    @Test
    void shouldAbbreviateLargeCounts()
    {
        assertEquals("9999", HumanUnits.count(9999));
        assertEquals("12.3k", HumanUnits.count(12_345));
        assertEquals("12.3M", HumanUnits.count(12_345_678));
    }
}
