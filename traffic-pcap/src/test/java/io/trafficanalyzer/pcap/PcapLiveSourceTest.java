package io.trafficanalyzer.pcap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapLiveSourceTest
{
    @Test
    void shouldListTheExistingInterfacesWhenInterfaceUnknown() throws IOException
    {
        final PcapException ex = assertThrows(
            PcapException.class, () -> PcapLiveSource.builder().interfaces("nosuch0").build());

        assertEquals(PcapException.Reason.NO_SUCH_INTERFACE, ex.reason());
        assertTrue(ex.getMessage().startsWith("no interface 'nosuch0'; the interfaces are: "), ex.getMessage());
        final String listed = ex.getMessage().substring(ex.getMessage().indexOf(": ") + 2);
        final List<String> names = List.of(listed.split(", "));
        for (final String name : systemInterfaceNames())
        {
            assertTrue(names.contains(name), name + " not in " + names);
        }
    }

    @Test
    void shouldNameTheSettingWhenValueInvalid()
    {
        assertEquals("snaplen=0: must be 1..262144", assertThrows(IllegalArgumentException.class,
            () -> PcapLiveSource.builder().interfaces("lo").snaplen(0).build()).getMessage());
        assertEquals("interfaces: at least one interface (or \"any\") is needed", assertThrows(
            IllegalArgumentException.class, () -> PcapLiveSource.builder().build()).getMessage());
        assertEquals("interfaces: lo given twice", assertThrows(IllegalArgumentException.class,
            () -> PcapLiveSource.builder().interfaces("lo", "lo").build()).getMessage());
        assertEquals("bufferSize=-1: must be >= 0", assertThrows(IllegalArgumentException.class,
            () -> PcapLiveSource.builder().interfaces("lo").bufferSize(-1).build()).getMessage());
        assertEquals("retryBackoffMillis=10,5: need 1 <= initial <= max", assertThrows(
            IllegalArgumentException.class,
            () -> PcapLiveSource.builder().interfaces("lo").retryBackoffMillis(10, 5).build()).getMessage());
    }

    @Test
    void shouldSayWhichPackageToInstallWhenLibpcapMissing() throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process process = new ProcessBuilder(
            java,
            "-D" + NativeNames.PCAP_LIBRARY_PROPERTY + "=pcap_not_installed_here",
            "-cp", System.getProperty("java.class.path"),
            MissingLibraryProbe.class.getName())
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes()).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));

        final String[] lines = output.split("\n");
        assertEquals(3, lines.length, output);
        for (final String line : lines)
        {
            assertEquals("LIBRARY_MISSING libpcap is not installed: apt-get install libpcap0.8 (Debian/Ubuntu), " +
                "dnf install libpcap (Fedora), apk add libpcap (Alpine), Npcap on Windows (Unable to load library " +
                "'pcap_not_installed_here': libpcap_not_installed_here.so: cannot open shared object file: " +
                "No such file or directory)", line);
        }
    }

    static List<String> systemInterfaceNames() throws IOException
    {
        final List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/sys/class/net")))
        {
            entries.forEach((entry) -> names.add(entry.getFileName().toString()));
        }

        return names;
    }
}
