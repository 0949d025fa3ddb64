package io.trafficanalyzer.core.classify;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
