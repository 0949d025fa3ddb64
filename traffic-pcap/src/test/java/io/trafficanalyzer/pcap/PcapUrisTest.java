package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapUrisTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSetEveryParameterWhenLiveUriHasThem()
    {
        final PcapLiveSource.Builder builder = PcapUris.live(
            "pcap:eth0,eth1?filter=tcp+port+443%20or%20udp&snaplen=256&promiscuous=true&immediate=true" +
            "&buffer=1048576&timeout=50&nanos=false&mode=next_ex");
        final LiveSettings settings = builder.settings();

        assertEquals(List.of("eth0", "eth1"), builder.interfaceNames());
        assertEquals("tcp port 443 or udp", settings.filter);
        assertEquals(256, settings.snaplen);
        assertTrue(settings.promiscuous);
        assertTrue(settings.immediateMode);
        assertEquals(1_048_576, settings.bufferSize);
        assertEquals(50, settings.timeoutMillis);
        assertEquals(false, settings.nanosecondTimestamps);
        assertEquals(PcapReadMode.NEXT_EX, settings.readMode);
    }

    @Test
    void shouldKeepDefaultsWhenLiveUriNamesOnlyInterface()
    {
        final PcapLiveSource.Builder builder = PcapUris.live("pcap:any");
        final LiveSettings settings = builder.settings();

        assertEquals(List.of("any"), builder.interfaceNames());
        assertNull(settings.filter);
        assertEquals(PcapLiveSource.DEFAULT_SNAPLEN, settings.snaplen);
        assertEquals(false, settings.promiscuous);
        assertEquals(false, settings.immediateMode);
        assertEquals(PcapLiveSource.DEFAULT_BUFFER_SIZE, settings.bufferSize);
        assertEquals(true, settings.nanosecondTimestamps);
        assertEquals(PcapReadMode.RING, settings.readMode);
    }

    @Test
    void shouldNameUriAndProblemWhenLiveUriInvalid()
    {
        assertEquals("pcap:: no interface; e.g. pcap:eth0 or pcap:any", message(() -> PcapUris.live("pcap:")));
        assertEquals("pcap:eth0?snaplen=big: snaplen=big is not a whole number",
            message(() -> PcapUris.live("pcap:eth0?snaplen=big")));
        assertEquals("pcap:eth0?promiscuous=yes: promiscuous=yes must be true or false",
            message(() -> PcapUris.live("pcap:eth0?promiscuous=yes")));
        assertEquals("pcap:eth0?mode=fast: mode=fast must be ring, dispatch or next_ex",
            message(() -> PcapUris.live("pcap:eth0?mode=fast")));
        assertEquals("pcap:eth0?color=red: unknown parameter 'color'; known: filter, snaplen, promiscuous, " +
            "immediate, buffer, timeout, nanos, mode", message(() -> PcapUris.live("pcap:eth0?color=red")));
        assertEquals("pcap:eth0?snaplen=1&snaplen=2: parameter 'snaplen' given twice",
            message(() -> PcapUris.live("pcap:eth0?snaplen=1&snaplen=2")));
        assertEquals("pcap:eth0?filter: parameter 'filter' is not name=value",
            message(() -> PcapUris.live("pcap:eth0?filter")));
        assertEquals("file:/x.pcap: not a pcap: URI", message(() -> PcapUris.live("file:/x.pcap")));
    }

    @Test
    void shouldOpenFileWithFilterAndModeWhenFileUriGiven() throws IOException
    {
        final Path file = dir.resolve("two flows.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(file).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            writer.record(1, TestFrames.frame(Flow.udp("10.0.0.1", 1000, "10.0.0.2", 53, 80)))
                .record(2, TestFrames.frame(Flow.tcp("10.0.0.1", 1000, "10.0.0.2", 443, 90)))
                .record(3, TestFrames.frame(Flow.udp("10.0.0.1", 1000, "10.0.0.2", 53, 100)));
        }

        final String path = file.toString().replace(" ", "%20");
        final RecordingHandler handler = new RecordingHandler();
        try (PcapFileSource source = PcapUris.file("pcapfile://" + path + "?filter=udp&mode=next_ex"))
        {
            assertEquals(PcapReadMode.NEXT_EX, source.readMode());
            while (!source.isEndOfStream())
            {
                source.poll(handler, 10);
            }
        }

        assertEquals(2, handler.frames.size());
        assertEquals(80, handler.frames.get(0).wireLength());
        assertEquals(100, handler.frames.get(1).wireLength());
        assertEquals("pcapfile:?mode=x: no file; e.g. pcapfile:/data/capture.pcap",
            message(() -> PcapUris.file("pcapfile:?mode=x")));
        assertEquals("pcapfile:" + file + "?snaplen=5: unknown parameter 'snaplen'; known: filter, mode",
            message(() -> PcapUris.file("pcapfile:" + file + "?snaplen=5")));
    }

    private static String message(final org.junit.jupiter.api.function.Executable executable)
    {
        return assertThrows(IllegalArgumentException.class, executable).getMessage();
    }
}
