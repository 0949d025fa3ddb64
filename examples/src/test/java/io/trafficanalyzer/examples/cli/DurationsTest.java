package io.trafficanalyzer.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest
{
    @Test
    void shouldParseEachUnit()
    {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
    }

    @Test
    void shouldFormatInTheLargestWholeUnit()
    {
        assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("5m", Durations.format(Duration.ofSeconds(300)));
        assertEquals("1h", Durations.format(Duration.ofSeconds(3600)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void shouldDescribeLongDurationsInEveryUnitThatIsNotZero()
    {
        assertEquals("30s", Durations.describe(Duration.ofSeconds(30)));
        assertEquals("1h 30m", Durations.describe(Duration.ofMinutes(90)));
        assertEquals("2d 1s", Durations.describe(Duration.ofDays(2).plusSeconds(1)));
        assertEquals("7176d 17h 31m 50s", Durations.describe(Duration.ofSeconds(620_069_510L)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "s", "10", "10x", "-5s", "1.5h", "P1X" })
    void shouldNameTheValueWhenRejectingIt(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(ex.getMessage().contains("'" + text + "'"), ex.getMessage());
    }
}
