package io.trafficanalyzer.core.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SafeTextTest
{
    @Test
    void shouldReturnTheSameStringWhenNothingIsUnsafe()
    {
        final String text = "/var/lib/traffic/caf\u00e9 \u65e5\u672c C:\\captures\\x.pcap \ud83d\ude00";

        assertSame(text, SafeText.escape(text));
    }

    @Test
    void shouldEscapeLineBreaksControlsAndBidiOverridesWhenPresent()
    {
        assertEquals("a\\nb\\rc\\td", SafeText.escape("a\nb\rc\td"));
        assertEquals("\\x00\\x1b[31m\\x7f\\x85\\x9f", SafeText.escape("\u0000\u001b[31m\u007f\u0085\u009f"));
        assertEquals("x\\u2028y\\u2029z", SafeText.escape("x\u2028y\u2029z"));
        assertEquals("\\u202egnp.exe\\u202c \\u2066\\u200f\\ufeff", SafeText.escape(
            "\u202egnp.exe\u202c \u2066\u200f\ufeff"));
        assertEquals("lone \\ud800 and \\udc00", SafeText.escape("lone \ud800 and \udc00"));
    }

    @Test
    void shouldPrintNullAsNullWhenGivenNull()
    {
        assertEquals("null", SafeText.escape(null));
    }

    @Test
    void shouldLeaveNoUnsafeCharacterWhenGivenEveryCharacter()
    {
        final StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++)
        {
            all.append(c);
        }

        final String escaped = SafeText.escape(all);

        assertEquals(escaped, SafeText.escape(escaped));
        escaped.chars().forEach((c) ->
        {
            if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR ||
                Character.getType(c) == Character.PARAGRAPH_SEPARATOR)
            {
                throw new AssertionError("unescaped U+" + Integer.toHexString(c));
            }
        });
    }
}
