package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.testing.Prerequisite;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening a capture without CAP_NET_RAW: as root the probe runs in a child JVM whose capabilities were dropped with
 * {@code setpriv}; otherwise the test JVM itself lacks them.
 */
class PcapPermissionIT
{
    private static final String EXPECTED_START =
        "PERMISSION_DENIED capture on lo needs root or CAP_NET_RAW+CAP_NET_ADMIN: run it as root, as a systemd " +
        "service with AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN (examples/systemd), or with setcap on a private " +
        "copy of the JDK, never on the system java (docs/reliability.md) (libpcap: ";

    @Test
    void shouldSayWhatIsNeededWhenCapabilitiesMissing() throws Exception
    {
        final String output;
        if (Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"))
        {
            Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux), to drop the " +
                "capture capabilities as root");
            final List<String> command = new ArrayList<>(List.of(
                "/usr/bin/setpriv", "--inh-caps=-net_raw,-net_admin", "--bounding-set=-net_raw,-net_admin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PermissionProbe.class.getName(), "lo"));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String all = new String(process.getInputStream().readAllBytes());
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            output = lastLine(all);
        }
        else
        {
            final PcapException ex = org.junit.jupiter.api.Assertions.assertThrows(
                PcapException.class, () -> PcapLiveSource.builder().interfaces("lo").build());
            output = ex.reason() + " " + ex.getMessage();
        }

        assertTrue(output.startsWith(EXPECTED_START), output);
        assertTrue(output.endsWith(")"), output);
        assertEquals(1, output.split("\n").length);
    }

    private static String lastLine(final String text)
    {
        final String[] lines = text.trim().split("\n");
        return lines[lines.length - 1];
    }
}
