package io.trafficanalyzer.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SkeletonTest
{
    @Test
    void shouldBuild()
    {
        assertEquals(2, 1 + 1);
    }
}
