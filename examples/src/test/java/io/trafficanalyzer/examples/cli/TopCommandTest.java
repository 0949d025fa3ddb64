package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.examples.TrafficScript;
import io.trafficanalyzer.sqlite.SqliteSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.trafficanalyzer.examples.TrafficScript.A;
import static io.trafficanalyzer.examples.TrafficScript.B;
import static io.trafficanalyzer.examples.TrafficScript.T0_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopCommandTest
{
    private static final String MEASURES = "bytes,in_bytes,out_bytes,in_packets,out_packets,bits_per_second";

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
    void shouldSayThePacketsWereTransitWhenNoLocalHostIsInTheStore()
    {
        final String transit = dir.resolve("transit.db").toString();
        final Path capture = dir.resolve("standard.pcap");
        assertEquals(0, Cli.run("replay", "--db", transit, "--local-net", "192.0.2.0/24", capture.toString())
            .exitCode());

        final Cli.Result result = Cli.run("top", "--db", transit);

        assertEquals(0, result.exitCode(), result::toString);
        final long ip = script.ipPackets();
        assertEquals("(no traffic of a local host in this range: all " + ip + " packets were transit, between two " +
            "hosts outside the local networks; replay or capture again with --local-net naming the networks of the " +
            "hosts to count)", result.out().strip().lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void shouldRankHostsByBytesWithRawNumbersWhenCsv()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(csv("host," + MEASURES, expected("host", 0, 30, k -> true), 30, 10), result.out());
    }

    @Test
    void shouldRankPortsOfAllHostsWhenNoHostIsGiven()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--by", "ports", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(csv("host,protocol,port,role," + MEASURES, expected("ports", 0, 30, k -> true), 30, 10),
            result.out());
    }

    @Test
    void shouldRankTheServicePortsOfOneHost()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--by", "PORTS", "--host", B, "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        final List<TrafficScript.Row> rows = withoutHost(expected("ports", 0, 30, k -> k.get(0).equals(B)));
        assertEquals(2, rows.size());
        assertEquals(csv("protocol,port,role," + MEASURES, rows, 30, 10), result.out());
    }

    @Test
    void shouldRankThePeersOfAllHostsAndOfOneHost()
    {
        final Cli.Result all = Cli.run("top", "--db", db, "--by", "peers", "--format", "csv");
        final Cli.Result ofA = Cli.run("top", "--db", db, "--by", "peers", "--host", A, "--format", "csv");

        assertEquals(0, all.exitCode(), all::toString);
        assertEquals(csv("host,peer," + MEASURES, expected("peers", 0, 30, k -> true), 30, 10), all.out());
        assertEquals(0, ofA.exitCode(), ofA::toString);
        assertEquals(csv("peer," + MEASURES, withoutHost(expected("peers", 0, 30, k -> k.get(0).equals(A))), 30, 10),
            ofA.out());
    }

    @Test
    void shouldBreakOneHostDownByProtocolWhenByHostsWithAHost()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--host", B, "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        final List<TrafficScript.Row> rows = withoutHost(expected("hosts", 0, 30, k -> k.get(0).equals(B)));
        assertEquals(2, rows.size());
        assertEquals(csv("protocol," + MEASURES, rows, 30, 10), result.out());
    }

    @Test
    void shouldCountBackFromTheNewestStoredBucketWhenLast()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--last", "10s", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        final List<TrafficScript.Row> rows = expected("host", 20, 30, k -> true);
        assertEquals(1, rows.size());
        assertEquals(csv("host," + MEASURES, rows, 10, 10), result.out());
    }

    @Test
    void shouldQueryTheGivenRangeWhenFromAndTo()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--from", "2024-05-01T10:00:10Z",
            "--to", "2024-05-01T10:00:20", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(csv("host," + MEASURES, expected("host", 10, 20, k -> true), 10, 10), result.out());
    }

    @Test
    void shouldKeepTheFirstRowsWhenLimited()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--by", "peers", "--limit", "2", "--format", "csv");

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals(csv("host,peer," + MEASURES, expected("peers", 0, 30, k -> true), 30, 2), result.out());
    }

    @Test
    void shouldShowHumanUnitsWhenTable()
    {
        final Cli.Result result = Cli.run("top", "--db", db);

        assertEquals(0, result.exitCode(), result::toString);
        final String[] lines = result.out().split("\n");
        assertEquals("Top 10 hosts by bytes in " + Path.of(db).toAbsolutePath() +
            ", 2024-05-01T10:00:00Z .. 2024-05-01T10:00:30Z (30s)", lines[0]);
        assertEquals(List.of("HOST", "TOTAL", "IN", "OUT", "PKTS", "IN", "PKTS", "OUT", "AVG", "RATE"),
            List.of(lines[1].trim().split("\\s+")));
        // A received 1536 x 1024 B = 1.5 MiB and sent 512 x 64 B + 5 x 200 B = 33768 B = 33.0 KiB
        final TrafficScript.Row a = expected("host", 0, 30, k -> k.get(0).equals(A)).get(0);
        assertEquals(1536L * 1024, a.measures()[0]);
        assertEquals(512L * 64 + 5 * 200, a.measures()[2]);
        assertEquals(List.of(A, "1.5", "MiB", "1.5", "MiB", "33.0", "KiB", "1536", "517", "428.44", "kbit/s"),
            List.of(lines[2].trim().split("\\s+")));
        assertEquals(4, lines.length);
    }

    @Test
    void shouldWriteOneJsonDocumentWithRawNumbers()
    {
        final Cli.Result result = Cli.run("top", "--db", db, "--limit", "1", "--format", "json");

        assertEquals(0, result.exitCode(), result::toString);
        final TrafficScript.Row a = expected("host", 0, 30, k -> true).get(0);
        final long[] m = a.measures();
        final String expected = "{\n" +
            "  \"db\": \"" + Path.of(db).toAbsolutePath() + "\",\n" +
            "  \"agent\": null,\n" +
            "  \"by\": \"hosts\",\n" +
            "  \"host\": null,\n" +
            "  \"from\": \"2024-05-01T10:00:00Z\",\n" +
            "  \"to\": \"2024-05-01T10:00:30Z\",\n" +
            "  \"rows\": [\n" +
            "    {\"host\": \"" + A + "\", \"bytes\": " + a.bytes() + ", \"in_bytes\": " + m[0] +
            ", \"out_bytes\": " + m[2] + ", \"in_packets\": " + m[1] + ", \"out_packets\": " + m[3] +
            ", \"bits_per_second\": " + Math.round(a.bytes() * 8.0 / 30) + "}\n" +
            "  ]\n" +
            "}" + System.lineSeparator();
        assertEquals(expected, result.out());
    }

    @Test
    void shouldRankOneAgentsRowsOverItsOwnSpanOrEveryAgentsSummedWhenAgentsShareAStore()
    {
        // two agents saw the same traffic an hour apart: each alone is the script, together twice it
        final Path later = dir.resolve("later.pcap");
        script.shifted(3600).writePcap(later);
        final String fleet = dir.resolve("fleet.db").toString();
        final Path capture = dir.resolve("standard.pcap");
        assertEquals(0, Cli.run("replay", "--db", fleet, "--agent", "edge-1", capture.toString()).exitCode());
        assertEquals(0, Cli.run("replay", "--db", fleet, "--agent", "edge-2", later.toString()).exitCode());

        final Cli.Result first = Cli.run("top", "--db", fleet, "--agent", "edge-1", "--format", "csv");
        final Cli.Result second = Cli.run("top", "--db", fleet, "--agent", "edge-2", "--by", "peers", "--format",
            "csv");
        final Cli.Result both = Cli.run("top", "--db", fleet, "--format", "csv");
        final Cli.Result json = Cli.run("top", "--db", fleet, "--agent", "edge-2", "--format", "json");

        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(csv("host," + MEASURES, expected("host", 0, 30, k -> true), 30, 10), first.out());
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals(csv("host,peer," + MEASURES, expected("peers", 0, 30, k -> true), 30, 10), second.out());
        assertEquals(0, both.exitCode(), both::toString);
        final List<TrafficScript.Row> doubled = new ArrayList<>();
        for (final TrafficScript.Row row : expected("host", 0, 30, k -> true))
        {
            final long[] m = row.measures().clone();
            for (int i = 0; i < m.length; i++)
            {
                m[i] *= 2;
            }
            doubled.add(new TrafficScript.Row(row.key(), m));
        }
        assertEquals(csv("host," + MEASURES, doubled, 3630, 10), both.out());
        assertTrue(json.out().startsWith("{\n  \"db\": \"" + Path.of(fleet).toAbsolutePath() + "\",\n" +
            "  \"agent\": \"edge-2\",\n  \"by\": \"hosts\",\n  \"host\": null,\n" +
            "  \"from\": \"2024-05-01T11:00:00Z\",\n  \"to\": \"2024-05-01T11:00:30Z\",\n"), json::toString);
    }

    @Test
    void shouldSaySoWhenTheStoreHoldsNoTrafficYet()
    {
        final Path empty = dir.resolve("empty.db");
        SqliteSink.builder(empty).build().close();

        final Cli.Result table = Cli.run("top", "--db", empty.toString());
        final Cli.Result csv = Cli.run("top", "--db", empty.toString(), "--format", "csv");

        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.out().contains("(the store holds no traffic yet)"), table::toString);
        assertEquals(0, csv.exitCode(), csv::toString);
        assertEquals("host," + MEASURES + "\r\n", csv.out());
    }

    private static List<TrafficScript.Row> expected(
        final String view, final long fromOffset, final long toOffset, final Predicate<List<Object>> filter)
    {
        final Map<List<Object>, long[]> rows = script.view(view, T0_SECONDS + fromOffset, T0_SECONDS + toOffset);
        rows.keySet().removeIf(filter.negate());
        return TrafficScript.ranked(rows);
    }

    private static List<TrafficScript.Row> withoutHost(final List<TrafficScript.Row> rows)
    {
        final List<TrafficScript.Row> result = new ArrayList<>();
        for (final TrafficScript.Row row : rows)
        {
            result.add(new TrafficScript.Row(row.key().subList(1, row.key().size()), row.measures()));
        }
        return result;
    }

    private static String csv(
        final String header, final List<TrafficScript.Row> rows, final long rangeSeconds, final int limit)
    {
        final StringBuilder sb = new StringBuilder(header).append("\r\n");
        for (final TrafficScript.Row row : rows.subList(0, Math.min(limit, rows.size())))
        {
            for (final Object key : row.key())
            {
                sb.append(key).append(',');
            }
            final long[] m = row.measures();
            sb.append(row.bytes()).append(',').append(m[0]).append(',').append(m[2]).append(',')
                .append(m[1]).append(',').append(m[3]).append(',')
                .append(Math.round(row.bytes() * 8.0 / rangeSeconds)).append("\r\n");
        }
        return sb.toString();
    }
}
