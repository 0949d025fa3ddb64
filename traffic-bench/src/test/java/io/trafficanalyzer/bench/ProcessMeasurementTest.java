package io.trafficanalyzer.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcessMeasurementTest
{
    private static final String REPORT = String.join("\n",
        "\tCommand being timed: \"tcpdump -r /tmp/e2e/synthetic-64.pcap -w /dev/null\"",
        "\tUser time (seconds): 0.24",
        "\tSystem time (seconds): 0.11",
        "\tPercent of CPU this job got: 48%",
        "\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:00.73",
        "\tMaximum resident set size (kbytes): 6388",
        "\tAverage resident set size (kbytes): 0",
        "\tPage size (bytes): 4096",
        "\tExit status: 0",
        "");

    @Test
    void shouldReadCpuRssAndExitStatusWhenGivenTheReportOfTimeV()
    {
        final ProcessMeasurement m = ProcessMeasurement.parse("tcpdump", 5_000_000, 730_000_000L, REPORT);

        assertEquals(0.35, m.cpuSeconds(), 1e-9);
        assertEquals(6388, m.maxRssKb);
        assertEquals(0, m.exitStatus);
        assertEquals(5_000_000 / 0.73, m.packetsPerSecond(), 1e-3);
        assertEquals(70.0, m.cpuNanosPerPacket(), 1e-9);
    }

    @Test
    void shouldRefuseTextWhenItIsNotAReportOfTimeV()
    {
        assertThrows(IllegalArgumentException.class, () -> ProcessMeasurement.parse("x", 1, 1, "Command exited"));
    }

    @Test
    void shouldTakeTheMedianRunAndTheHighestRssWhenRepeated()
    {
        final ProcessMeasurement fast = new ProcessMeasurement("r", 100, 1_000, 1.0, 0.5, 300, 0);
        final ProcessMeasurement median = new ProcessMeasurement("r", 100, 2_000, 2.0, 0.5, 100, 0);
        final ProcessMeasurement slow = new ProcessMeasurement("r", 100, 9_000, 3.0, 0.5, 200, 0);
        median.inProcessNs = 1_500;

        final ProcessMeasurement result = ProcessMeasurement.median(List.of(slow, fast, median));

        assertEquals(2_000, result.wallNs);
        assertEquals(2.5, result.cpuSeconds(), 1e-9);
        assertEquals(300, result.maxRssKb);
        assertEquals(1_500, result.inProcessNs);
    }
}
