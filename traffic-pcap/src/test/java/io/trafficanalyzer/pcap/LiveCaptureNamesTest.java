package io.trafficanalyzer.pcap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveCaptureNamesTest
{
    @Test
    void shouldNameTheLoggerAfterThePublicSourceWhenUsersConfigureItByClass()
    {
        // users configure live capture's messages under the public class's name, as before the names moved here
        assertEquals(PcapLiveSource.class.getName(), LiveCaptureNames.LOGGER_NAME);
        assertEquals("any", PcapLiveSource.ANY);
    }
}
