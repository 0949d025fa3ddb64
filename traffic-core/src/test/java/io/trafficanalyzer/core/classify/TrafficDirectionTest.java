package io.trafficanalyzer.core.classify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficDirectionTest
{
    @Test
    void shouldClassifyEachCombinationOfLocalEnds()
    {
        assertEquals(TrafficDirection.OUTBOUND, TrafficDirection.of(true, false));
        assertEquals(TrafficDirection.INBOUND, TrafficDirection.of(false, true));
        assertEquals(TrafficDirection.INTERNAL, TrafficDirection.of(true, true));
        assertEquals(TrafficDirection.TRANSIT, TrafficDirection.of(false, false));
    }

    @Test
    void shouldTakeTheLowerPortAsServiceAndTellWhichSideServesIt()
    {
        // a local client 10.0.0.5:51000 -> remote server :443
        final int service = TrafficDirection.servicePort(51000, 443);
        assertEquals(443, service);
        assertFalse(TrafficDirection.isServed(51000, service));
        // the server's reply, for a local server
        assertEquals(443, TrafficDirection.servicePort(443, 51000));
        assertTrue(TrafficDirection.isServed(443, service));
        assertTrue(TrafficDirection.isServed(53, TrafficDirection.servicePort(53, 53)));
    }
}
