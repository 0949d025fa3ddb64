package io.trafficanalyzer.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AlertsOptionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameTheFileAndLineAndCaptureNothingWhenARuleIsBad() throws Exception
    {
        final Path rules = dir.resolve("alerts.rules");
        Files.writeString(rules, "# thresholds\naction ops log\nrule big host 10.0.0.5 out > 50 Mbit/z for 1m\n");
        final Path db = dir.resolve("t.db");

        final Cli.Result result = Cli.run("capture", "--interface", "lo", "--db", db.toString(), "--alerts",
            rules.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("error: Invalid value for option '--alerts': alerts.rules:3: > 50Mbit/z: unknown rate " +
            "unit 'Mbit/z' with a unit: bit/s, kbit/s, Mbit/s, Gbit/s (or bps, kbps, Mbps, Gbps) (see " +
            "'traffic-analyzer capture --help')", result.err().strip());
        assertEquals("", result.out());
        assertFalse(Files.exists(db), "nothing is created on a usage error");
    }

    @Test
    void shouldNameTheFileWhenTheRulesFileIsMissing()
    {
        final Path rules = dir.resolve("missing.rules");

        final Cli.Result result = Cli.run("capture", "--interface", "lo", "--alerts", rules.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertEquals("error: Invalid value for option '--alerts': " + rules + ": cannot read the alert " +
            "rules: no such file (see 'traffic-analyzer capture --help')", result.err().strip());
    }
}
