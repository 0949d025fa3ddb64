package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.testing.Prerequisite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The systemd unit shipped for running {@code capture} as a service: systemd accepts it, its command line is one the
 * tool accepts, and it grants the two capabilities live capture needs and nothing more.
 */
class SystemdUnitTest
{
    private static final Path UNIT = Path.of("systemd", "traffic-analyzer@.service");

    @TempDir
    Path dir;

    @Test
    void shouldBeAcceptedBySystemdWhenVerifiedForAnInterface() throws Exception
    {
        final boolean present = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
        Prerequisite.require(present, "systemd-analyze (Debian: apt-get install systemd)");
        final Path instance = Files.copy(UNIT, dir.resolve("traffic-analyzer@eth0.service"));

        final Process verify = new ProcessBuilder("systemd-analyze", "verify", instance.toString())
            .redirectErrorStream(true)
            .start();
        final String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));

        // an unknown or misspelt directive is only a warning to systemd: any output at all fails the test
        assertEquals("", output.trim(), "systemd-analyze verify");
        assertEquals(0, verify.exitValue());
    }

    @Test
    void shouldRunACaptureCommandTheToolAcceptsWhenItsInstanceIsAnInterface() throws IOException
    {
        final List<String> words = execStart();
        final int jar = words.indexOf("-jar");
        assertEquals("/usr/bin/java", words.get(0));
        assertEquals("/opt/traffic-analyzer/traffic-analyzer.jar", words.get(jar + 1));

        final List<String> args = new ArrayList<>(words.subList(jar + 2, words.size()));
        args.replaceAll((word) -> word.replace("%i", "eth0"));
        assertEquals(List.of("capture", "--interface", "eth0", "--db", "/var/lib/traffic-analyzer/traffic.db"), args);
        args.add("--help");
        final Cli.Result parsed = Cli.run(args.toArray(new String[0]));
        assertEquals(0, parsed.exitCode(), parsed.err());
        assertEquals("", parsed.err());
    }

    @Test
    void shouldGrantOnlyTheCapabilitiesOfLiveCaptureWhenRunAsItsOwnUser() throws IOException
    {
        final List<String> lines = Files.readAllLines(UNIT);

        assertEquals(List.of("CAP_NET_RAW CAP_NET_ADMIN"), values(lines, "AmbientCapabilities"));
        assertEquals(List.of("CAP_NET_RAW CAP_NET_ADMIN"), values(lines, "CapabilityBoundingSet"));
        assertEquals(List.of("yes"), values(lines, "NoNewPrivileges"));
        assertEquals(List.of("traffic-analyzer"), values(lines, "User"));
        assertEquals(List.of("traffic-analyzer"), values(lines, "StateDirectory"));
        assertEquals(List.of("strict"), values(lines, "ProtectSystem"));
        // the exit status of a capture stopped by SIGTERM once it stored everything
        assertEquals(List.of("143"), values(lines, "SuccessExitStatus"));
    }

    private static List<String> execStart() throws IOException
    {
        final List<String> exec = values(Files.readAllLines(UNIT), "ExecStart");
        assertEquals(1, exec.size());
        return Arrays.asList(exec.get(0).trim().split("\\s+"));
    }

    private static List<String> values(final List<String> lines, final String key)
    {
        return lines.stream()
            .filter((line) -> line.startsWith(key + "="))
            .map((line) -> line.substring(key.length() + 1))
            .collect(Collectors.toList());
    }
}
