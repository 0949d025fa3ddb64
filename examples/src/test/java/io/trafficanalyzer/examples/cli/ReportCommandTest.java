package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.trafficanalyzer.examples.TrafficScript.A;
import static io.trafficanalyzer.examples.TrafficScript.T0_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportCommandTest
{
    private static final String LINK_HEADER =
        "time,packets,bytes,in_bytes,out_bytes,in_packets,out_packets,bits_per_second,complete\r\n";
    private static final String HOST_HEADER = "time,in_bytes,out_bytes,in_packets,out_packets,bits_per_second\r\n";

    @TempDir
    static Path dir;

    private static TrafficScript script;
    private static String db;

    @BeforeAll
    static void replay()
    {
        script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        db = dir.resolve("t.db").toString();
        final Cli.Result result = Cli.run("replay", "--db", db, capture.toString());
        assertEquals(0, result.exitCode(), result::toString);
    }

    @Test
    void shouldReportTheLinkPerStepWithRawNumbersWhenCsv()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--step", "10s", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(LINK_HEADER + linkRows(10), result.out());
    }

    @Test
    void shouldChooseTheBucketWidthAsStepForAShortRange()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(LINK_HEADER + linkRows(10), result.out());
        assertEquals(10, ReportCommand.autoStep(30, 10));
        assertEquals(60, ReportCommand.autoStep(3600, 10));
        assertEquals(1800, ReportCommand.autoStep(86_400, 10));
        assertEquals(604_800, ReportCommand.autoStep(400L * 86_400, 10));
    }

    @Test
    void shouldSumWholeBucketsIntoACoarserStep()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--step", "1m", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(LINK_HEADER + linkRows(60), result.out());
        assertEquals(2, result.out().split("\r\n").length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1s", "5s", "7s"})
    void shouldRoundTheStepUpToWholeBucketsAndSaySoWhenItIsFinerOrUnaligned(final String step)
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--step", step, "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(LINK_HEADER + linkRows(10), result.out());
        assertEquals("note: --step=" + step + " rounded up to 10s: steps are whole buckets, and the finest stored in " +
            "this range are 10s", result.err().strip());
    }

    @Test
    void shouldTitleTheRoundedStepWhenATable()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--step", "15s");

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("Traffic of the link per 20s in "), result.out());
    }

    @Test
    void shouldReportOneHostInAndOutWhenHostIsGiven()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--host", A, "--step", "10s", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        final StringBuilder expected = new StringBuilder(HOST_HEADER);
        for (long start = T0_SECONDS; start < T0_SECONDS + 30; start += 10)
        {
            final long[] m = script.view("host", start, start + 10).get(List.of(A));
            if (null != m)
            {
                expected.append(Instant.ofEpochSecond(start)).append(',').append(m[0]).append(',').append(m[2])
                    .append(',').append(m[1]).append(',').append(m[3]).append(',')
                    .append(Math.round((m[0] + m[2]) * 8.0 / 10)).append("\r\n");
            }
        }
        assertEquals(expected.toString(), result.out());
    }

    @Test
    void shouldShowTimesAndHumanUnitsWhenTable()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--last", "10s");

        assertEquals(0, result.exitCode(), result::toString);
        final String[] lines = result.out().split("\n");
        assertEquals("Traffic of the link per 10s in " + Path.of(db).toAbsolutePath() +
            ", 2024-05-01T10:00:20Z .. 2024-05-01T10:00:30Z (10s)", lines[0]);
        assertTrue(lines[1].startsWith("TIME "), result::toString);
        // the last bucket: 512 packets of 1024 bytes received by A
        assertEquals(List.of("2024-05-01T10:00:20Z", "512", "512.0", "KiB", "512.0", "KiB", "0", "B", "512",
            "0", "419.43", "kbit/s", "yes"), List.of(lines[2].trim().split("\\s+")));
        assertEquals(3, lines.length);
    }

    @Test
    void shouldReportOneAgentsRowsOrEveryAgentsSummedWhenAgentsShareAStore()
    {
        final String fleet = dir.resolve("fleet.db").toString();
        final String capture = dir.resolve("standard.pcap").toString();
        assertEquals(0, Cli.run("replay", "--db", fleet, "--agent", "edge-1", capture).exitCode());
        assertEquals(0, Cli.run("replay", "--db", fleet, "--agent", "edge-2", capture).exitCode());

        final Cli.Result one = Cli.run("report", "--db", fleet, "--agent", "edge-1", "--step", "10s", "--format",
            "csv");
        final Cli.Result both = Cli.run("report", "--db", fleet, "--step", "10s", "--format", "csv");
        final Cli.Result json = Cli.run("report", "--db", fleet, "--agent", "edge-2", "--format", "json");

        assertEquals(0, one.exitCode(), one::toString);
        assertEquals(LINK_HEADER + linkRows(10), one.out());
        assertEquals(0, both.exitCode(), both::toString);
        assertEquals(LINK_HEADER + linkRows(10, 2), both.out());
        assertTrue(json.out().startsWith("{\n  \"db\": \"" + Path.of(fleet).toAbsolutePath() + "\",\n" +
            "  \"agent\": \"edge-2\",\n  \"host\": null,\n"), json::toString);
    }

    private static String linkRows(final long step)
    {
        return linkRows(step, 1);
    }

    // the link's figures per step when `copies` agents saw the script's traffic each
    private static String linkRows(final long step, final int copies)
    {
        final Map<Long, long[]> points = new TreeMap<>();
        for (final TrafficScript.Frame frame : script.frames())
        {
            final TrafficScript.Packet p = frame.packet();
            if (null == p)
            {
                continue;
            }
            final long second = frame.timestampNs() / 1_000_000_000L;
            final long[] point = points.computeIfAbsent(Math.floorDiv(second, step) * step, k -> new long[6]);
            point[0]++;
            point[1] += p.ipLength();
            if (TrafficScript.isLocal(p.dst()))
            {
                point[2] += p.ipLength();
                point[4]++;
            }
            if (TrafficScript.isLocal(p.src()))
            {
                point[3] += p.ipLength();
                point[5]++;
            }
        }

        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<Long, long[]> entry : points.entrySet())
        {
            final long[] m = entry.getValue();
            for (int i = 0; i < m.length; i++)
            {
                m[i] *= copies;
            }
            sb.append(Instant.ofEpochSecond(entry.getKey())).append(',').append(m[0]).append(',').append(m[1])
                .append(',').append(m[2]).append(',').append(m[3]).append(',').append(m[4]).append(',').append(m[5])
                .append(',').append(Math.round(m[1] * 8.0 / step)).append(",true\r\n");
        }
        return sb.toString();
    }
}
