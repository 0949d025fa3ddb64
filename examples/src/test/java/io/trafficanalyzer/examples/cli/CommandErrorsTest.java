package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.examples.TrafficScript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandErrorsTest
{
    @TempDir
    Path dir;

    private String capture;
    private String db;

    @BeforeEach
    void writeCapture()
    {
        final Path file = dir.resolve("small.pcap");
        new TrafficScript()
            .tcp(TrafficScript.T0_SECONDS * 1_000_000_000L, TrafficScript.A, TrafficScript.R1, 40000, 443, 100)
            .writePcap(file);
        capture = file.toString();
        db = dir.resolve("t.db").toString();
    }

    @Test
    void shouldNameTheOptionWhenItIsUnknown()
    {
        final Cli.Result result = Cli.run("replay", "--nope", capture);

        assertUsageError(result, "error: Unknown option: '--nope' (see 'traffic-analyzer replay --help')");
    }

    @Test
    void shouldNameOptionAndValueWhenADurationIsBad()
    {
        final Cli.Result result = Cli.run("replay", "--db", db, "--bucket", "10x", capture);

        assertUsageError(result, "error: Invalid value for option '--bucket': invalid duration '10x': unit must be " +
            "ms, s, m, h or d (e.g. 10s, 5m, 1h) (see 'traffic-analyzer replay --help')");
        assertFalse(Files.exists(Path.of(db)), "nothing is created on a usage error");
    }

    @Test
    void shouldNameOptionAndValueWhenTheLibraryRejectsTheBucketWidth()
    {
        final Cli.Result result = Cli.run("replay", "--db", db, "--bucket", "2h", capture);

        assertUsageError(result, "error: --bucket=2h: must be whole seconds from 1 s to 1 h");
        assertFalse(Files.exists(Path.of(db)), "a refused setting leaves no store behind");
    }

    @Test
    void shouldLeaveNoStoreBehindWhenTheLibraryRefusesASetting() throws IOException
    {
        for (final String[] setting : new String[][] {{"--shards", "0"}, {"--bucket", "1500ms"}, {"--bucket", "2h"}})
        {
            final Cli.Result result = Cli.run("replay", "--db", db, setting[0], setting[1], capture);

            assertEquals(1, result.exitCode(), result::toString);
            try (var files = Files.list(dir))
            {
                assertEquals(java.util.List.of("small.pcap"), files.map((f) -> f.getFileName().toString()).toList(),
                    "after " + String.join(" ", setting));
            }
        }
    }

    @Test
    void shouldKeepAnExistingStoreWhenASettingIsRefused()
    {
        assertEquals(0, Cli.run("replay", "--db", db, capture).exitCode());
        final String before = Cli.run("top", "--db", db, "--format", "csv").out();

        assertUsageError(Cli.run("replay", "--db", db, "--shards", "0", capture),
            "error: --shards=0: must be from 1 to 64");

        assertEquals(before, Cli.run("top", "--db", db, "--format", "csv").out());
        assertTrue(before.contains(TrafficScript.A + ",100,"), before);
    }

    @Test
    void shouldRefuseASnapLengthTooShortForTheHeadersCounted()
    {
        final Cli.Result result = Cli.run("capture", "--interface", "lo", "--snaplen", "10", "--db", db);

        assertUsageError(result, "error: --snaplen=10: must be from 62 to 262144 (the headers counted: Ethernet, a " +
            "VLAN tag, an IPv6 header and the ports take 62 bytes)");
        assertFalse(Files.exists(Path.of(db)));
    }

    @Test
    void shouldSayTheFileIsEmptyWhenADatabaseHasNoSchemaYet() throws IOException
    {
        Files.createFile(Path.of(db));

        final Cli.Result result = Cli.run("top", "--db", db);

        assertUsageError(result, "error: --db=" + db + ": an empty database, not yet a traffic store: nothing has " +
            "been written to it");
    }

    @Test
    void shouldNameOptionAndValueWhenTheShardCountIsOutOfRange()
    {
        final Cli.Result result = Cli.run("replay", "--db", db, "--shards", "0", capture);

        assertUsageError(result, "error: --shards=0: must be from 1 to 64");
    }

    @Test
    void shouldNameOptionAndValueWhenACidrIsBad()
    {
        final Cli.Result result = Cli.run("replay", "--db", db, "--local-net", "10.0.0.0/33", capture);

        assertUsageError(result, "error: Invalid value for option '--local-net' (CIDR): invalid local network " +
            "'10.0.0.0/33': prefix length must be 0..32 (see 'traffic-analyzer replay --help')");
    }

    @Test
    void shouldNameTheFileWhenItIsMissing()
    {
        final String missing = dir.resolve("missing.pcap").toString();

        final Cli.Result result = Cli.run("replay", "--db", db, capture, missing);

        assertUsageError(result, "error: FILE " + missing + ": no such file");
    }

    @Test
    void shouldNameTheDatabaseWhenItCannotBeCreated() throws IOException
    {
        final Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        final Path unwritable = notADirectory.resolve("sub").resolve("t.db");

        final Cli.Result result = Cli.run("replay", "--db", unwritable.toString(), capture);

        assertEquals(1, result.exitCode(), result::toString);
        assertOneLine(result);
        assertTrue(result.err().startsWith("error: --db=" + unwritable + ": "), result::toString);
    }

    @Test
    void shouldNameTheDatabaseWhenQueryingOneThatDoesNotExist()
    {
        final Cli.Result result = Cli.run("top", "--db", db);

        assertUsageError(result, "error: --db=" + db + ": no such file (write one with 'replay' or 'capture')");
    }

    @Test
    void shouldRefuseLastTogetherWithFromOrTo()
    {
        assertEquals(0, Cli.run("replay", "--db", db, capture).exitCode());

        final Cli.Result result = Cli.run("top", "--db", db, "--last", "1h", "--from", "2024-05-01");

        assertUsageError(result, "error: --last cannot be combined with --from or --to");
    }

    @Test
    void shouldNameTheValueWhenATimeOrAnAddressOrAFormatIsBad()
    {
        assertUsageError(Cli.run("top", "--from", "yesterday"), "error: Invalid value for option '--from': " +
            "invalid time 'yesterday': expected ISO-8601 like 2024-05-01T10:00:00Z or 2024-05-01 " +
            "(see 'traffic-analyzer top --help')");
        assertUsageError(Cli.run("report", "--host", "10.0.0.300"), "error: Invalid value for option '--host': " +
            "invalid IP address '10.0.0.300' (see 'traffic-analyzer report --help')");
        final Cli.Result format = Cli.run("top", "--format", "xml");
        assertEquals(1, format.exitCode(), format::toString);
        assertOneLine(format);
        assertTrue(format.err().startsWith("error: Invalid value for option '--format': expected one of "),
            format::toString);
    }

    @Test
    void shouldRefuseAStepOfPartSeconds()
    {
        final Cli.Result result = Cli.run("report", "--db", db, "--step", "500ms");

        assertUsageError(result, "error: --step=500ms: must be whole seconds, at least 1s");
    }

    @Test
    void shouldPrintTheUsageAsAnErrorWhenNoCommandIsGiven()
    {
        final Cli.Result result = Cli.run();

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("error: a command is needed"), result::toString);
        assertTrue(result.err().contains("replay"), result::toString);
        assertEquals("", result.out());
    }

    @Test
    void shouldPrintHelpOnEveryCommand()
    {
        for (final String command : new String[]{ "capture", "replay", "collect", "top", "report", "interfaces" })
        {
            final Cli.Result result = Cli.run(command, "--help");

            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.out().startsWith("Usage: traffic-analyzer " + command), result::toString);
            assertTrue(result.out().contains("--verbose"), result::toString);
            assertEquals("", result.err());
        }
        assertTrue(Cli.run("top", "--help").out().replaceAll("\\s+", " ")
            .contains("counted back from the end of the newest bucket in the store"));
        assertTrue(Cli.run("top", "--help").out().replaceAll("\\s+", " ")
            .contains("a host that two agents saw (e.g. both ends of a link) counts with the traffic of both"));
    }

    @Test
    void shouldNameOptionAndValueWhenASinkOrAnAgentIsBad()
    {
        assertUsageError(Cli.run("replay", "--sink", "kafka://:9092/t", capture), "error: Invalid value for " +
            "option '--sink' (URI): servers=:9092: must be HOST:PORT with a port from 1 to 65535 " +
            "(see 'traffic-analyzer replay --help')");
        assertUsageError(Cli.run("replay", "--sink", "kafka://b:9092/t?linger.ms=soon", capture), "error: " +
            "--sink=kafka://b:9092/t?linger.ms=soon: linger.ms=soon: Not a number of type LONG");
        assertUsageError(Cli.run("replay", "--sink", "nope:x", capture), "error: --sink=nope:x: unknown scheme " +
            "'nope'; known schemes: [jsonl, kafka, sqlite]");
        assertUsageError(Cli.run("replay", "--sink", "no-scheme", capture), "error: Invalid value for option " +
            "'--sink' (URI): 'no-scheme' is not a sink URI (scheme:...), e.g. " +
            "kafka://broker:9092/traffic.buckets.v1 or sqlite:/var/lib/traffic/traffic.db " +
            "(see 'traffic-analyzer replay --help')");
        assertUsageError(Cli.run("replay", "--db", db, "--agent", "x".repeat(65), capture), "error: --agent=" +
            "x".repeat(65) + ": must be at most 64 characters");
    }

    @Test
    void shouldNameTheOptionWhenCollectIsMisused()
    {
        assertUsageError(Cli.run("collect"), "error: Missing required option: '--from=URI' " +
            "(see 'traffic-analyzer collect --help')");
        assertUsageError(Cli.run("collect", "--from", "http://b:9092/t", "--db", db), "error: Invalid value for " +
            "option '--from': must start with kafka:// (see 'traffic-analyzer collect --help')");
        assertUsageError(Cli.run("collect", "--from", "kafka://b:9092/t", "--db", db, "--until-idle", "0s"),
            "error: Invalid value for option '--until-idle': invalid duration '0s': must be positive " +
            "(see 'traffic-analyzer collect --help')");
        assertUsageError(Cli.run("collect", "--from", "kafka://b:9092/t?enable.auto.commit=true", "--db", db),
            "error: --from=kafka://b:9092/t?enable.auto.commit=true: enable.auto.commit=true: the collector " +
            "commits offsets only once the sink committed");
        assertUsageError(Cli.run("collect", "--from", "kafka://b:9092/t", "--group", " ", "--db", db),
            "error: --group= : must not be empty");
    }

    @Test
    void shouldNameTheAgentsOfTheStoreWhenTopIsAskedForAnotherOne()
    {
        assertEquals(0, Cli.run("replay", "--db", db, "--agent", "edge-1", capture).exitCode());
        assertEquals(0, Cli.run("replay", "--db", db, "--agent", "edge-2", capture).exitCode());

        assertUsageError(Cli.run("top", "--db", db, "--agent", "edge-3"), "error: --agent=edge-3: no such agent " +
            "in " + Path.of(db).toAbsolutePath() + "; its agents: edge-1, edge-2");
        assertUsageError(Cli.run("report", "--db", db, "--agent", "edge"), "error: --agent=edge: no such agent " +
            "in " + Path.of(db).toAbsolutePath() + "; its agents: edge-1, edge-2");
    }

    @Test
    void shouldPrintOneLineWithoutVerboseAndTheStackTraceWithIt() throws IOException
    {
        final Path damaged = dir.resolve("damaged.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(damaged))
        {
            writer.header().bytes(new byte[]{ 1, 2, 3 });
        }

        final Cli.Result quiet = Cli.run("replay", "--db", db, damaged.toString());
        final Cli.Result verbose = Cli.run("replay", "--verbose", "--db", db, damaged.toString());
        final Cli.Result verboseFirst = Cli.run("--verbose", "replay", "--db", db, damaged.toString());

        assertEquals(2, quiet.exitCode(), quiet::toString);
        assertOneLine(quiet);
        assertTrue(quiet.err().startsWith("error: " + damaged + ": at byte offset 24: "), quiet::toString);
        for (final Cli.Result result : new Cli.Result[]{ verbose, verboseFirst })
        {
            assertEquals(2, result.exitCode(), result::toString);
            final String[] lines = result.err().split("\\R");
            assertEquals(quiet.err().strip(), lines[0]);
            assertTrue(lines[1].startsWith(CliException.class.getName() + ": "), result::toString);
            assertTrue(result.err().contains("Caused by: " + io.trafficanalyzer.core.capture.CaptureFileException.class
                .getName()), result::toString);
            assertTrue(result.err().contains("\tat io.trafficanalyzer."), result::toString);
        }
    }

    private static void assertUsageError(final Cli.Result result, final String line)
    {
        assertEquals(1, result.exitCode(), result::toString);
        assertOneLine(result);
        assertEquals(line, result.err().strip());
        assertEquals("", result.out());
    }

    private static void assertOneLine(final Cli.Result result)
    {
        assertFalse(result.err().strip().contains("\n"), result::toString);
    }
}
