package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.text.SafeText;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the bytes of one JSON document that reads tokens without allocating: whitespace, punctuation,
 * literals, strings (as start and end offsets, decoded only when asked), integers, and whole values skipped.
 * Malformed input ends in a {@link BadRecord} that says what and at which byte, never another exception.
 * <p>
 * Reused document after document by one thread ({@link #wrap}); {@link BucketRecordDecoder} gives the tokens their
 * meaning.
 */
final class JsonScanner
{
    private static final int MAX_DEPTH = 32;

    private final StringBuilder escaped = new StringBuilder();

    private byte[] data;
    private int limit;
    private int position;

    void wrap(final byte[] data)
    {
        this.data = data;
        this.limit = null == data ? 0 : data.length;
        this.position = 0;
    }

    byte[] data()
    {
        return data;
    }

    int position()
    {
        return position;
    }

    boolean atEnd()
    {
        return position == limit;
    }

    void skipWhitespace()
    {
        while (position < limit)
        {
            final byte b = data[position];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                return;
            }
            position++;
        }
    }

    byte peek() throws BadRecord
    {
        if (position >= limit)
        {
            throw new BadRecord("malformed JSON: ends at byte " + limit);
        }

        return data[position];
    }

    byte next() throws BadRecord
    {
        final byte b = peek();
        position++;
        return b;
    }

    void expect(final char c) throws BadRecord
    {
        if (next() != c)
        {
            throw new BadRecord("malformed JSON at byte " + (position - 1) + ": expected '" + c + "'");
        }
    }

    void literal(final String word) throws BadRecord
    {
        if (position + word.length() > limit || !matchesAscii(position, position + word.length(), word))
        {
            throw new BadRecord("malformed JSON at byte " + position);
        }
        position += word.length();
    }

    /**
     * Move past a string whose opening quote was just read.
     *
     * @return the offset of its closing quote; its text runs from where the scan started to there.
     * @throws BadRecord when the string is unterminated or holds a control character.
     */
    int scanString() throws BadRecord
    {
        int i = position;
        while (i < limit)
        {
            final byte b = data[i];
            if (b == '"')
            {
                final int end = i;
                position = i + 1;
                return end;
            }
            if (b == '\\')
            {
                i += 2;
                continue;
            }
            if ((b & 0xFF) < 0x20)
            {
                throw new BadRecord("malformed JSON: control character in a string at byte " + i);
            }
            i++;
        }

        throw new BadRecord("malformed JSON: unterminated string");
    }

    /**
     * Read an integer, or a JSON boolean as 1 or 0 (flags another producer may write as booleans).
     *
     * @param name the field's name, for the reason of a refusal.
     * @return the value.
     * @throws BadRecord when it is not an integer or does not fit a long.
     */
    long integer(final String name) throws BadRecord
    {
        final byte first = peek();
        if (first == 't' || first == 'f')
        {
            if (first == 't')
            {
                literal("true");
                return 1;
            }
            literal("false");
            return 0;
        }

        boolean negative = false;
        if (first == '-')
        {
            negative = true;
            position++;
        }
        final int start = position;
        long value = 0;
        while (position < limit && data[position] >= '0' && data[position] <= '9')
        {
            final int digit = data[position++] - '0';
            if (value > (Long.MAX_VALUE - digit) / 10)
            {
                throw new BadRecord(name + ": number out of range");
            }
            value = value * 10 + digit;
        }
        if (position == start)
        {
            throw new BadRecord(name + ": not a number");
        }
        if (position < limit && (data[position] == '.' || data[position] == 'e' || data[position] == 'E'))
        {
            throw new BadRecord(name + ": not an integer");
        }

        return negative ? -value : value;
    }

    void skipValue() throws BadRecord
    {
        skipValue(0);
    }

    private void skipValue(final int depth) throws BadRecord
    {
        if (depth > MAX_DEPTH)
        {
            throw new BadRecord("malformed JSON: nested too deeply");
        }

        final byte b = peek();
        switch (b)
        {
            case '"':
                position++;
                scanString();
                return;
            case '{':
            case '[':
                skipContainer(b == '{' ? (byte)'}' : (byte)']', depth);
                return;
            case 't':
                literal("true");
                return;
            case 'f':
                literal("false");
                return;
            case 'n':
                literal("null");
                return;
            default:
                if (b == '-' || (b >= '0' && b <= '9'))
                {
                    position++;
                    while (position < limit && isNumberByte(data[position]))
                    {
                        position++;
                    }
                    return;
                }
                throw new BadRecord("malformed JSON at byte " + position);
        }
    }

    private void skipContainer(final byte close, final int depth) throws BadRecord
    {
        position++;
        skipWhitespace();
        if (peek() == close)
        {
            position++;
            return;
        }
        while (true)
        {
            skipWhitespace();
            if (close == '}')
            {
                expect('"');
                scanString();
                skipWhitespace();
                expect(':');
                skipWhitespace();
            }
            skipValue(depth + 1);
            skipWhitespace();
            final byte next = next();
            if (next == close)
            {
                return;
            }
            if (next != ',')
            {
                throw new BadRecord("malformed JSON at byte " + (position - 1));
            }
        }
    }

    private static boolean isNumberByte(final byte b)
    {
        return (b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-';
    }

    boolean hasEscape(final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (data[i] == '\\')
            {
                return true;
            }
        }

        return false;
    }

    /**
     * The text of a string's contents with its escapes resolved.
     *
     * @param start the offset after the opening quote.
     * @param end   the offset of the closing quote.
     * @return the text.
     * @throws BadRecord on a bad escape.
     */
    String decodeString(final int start, final int end) throws BadRecord
    {
        if (!hasEscape(start, end))
        {
            return new String(data, start, end - start, StandardCharsets.UTF_8);
        }

        escaped.setLength(0);
        int i = start;
        int plain = start;
        while (i < end)
        {
            if (data[i] != '\\')
            {
                i++;
                continue;
            }
            escaped.append(new String(data, plain, i - plain, StandardCharsets.UTF_8));
            if (i + 1 >= end)
            {
                throw new BadRecord("malformed JSON: bad escape");
            }
            final byte e = data[i + 1];
            i += 2;
            switch (e)
            {
                case '"':
                case '\\':
                case '/':
                    escaped.append((char)e);
                    break;
                case 'b':
                    escaped.append('\b');
                    break;
                case 'f':
                    escaped.append('\f');
                    break;
                case 'n':
                    escaped.append('\n');
                    break;
                case 'r':
                    escaped.append('\r');
                    break;
                case 't':
                    escaped.append('\t');
                    break;
                case 'u':
                    escaped.append(hex4(i, end));
                    i += 4;
                    break;
                default:
                    throw new BadRecord("malformed JSON: bad escape \\" + (char)e);
            }
            plain = i;
        }
        escaped.append(new String(data, plain, end - plain, StandardCharsets.UTF_8));

        return escaped.toString();
    }

    private char hex4(final int from, final int end) throws BadRecord
    {
        if (from + 4 > end)
        {
            throw new BadRecord("malformed JSON: bad \\u escape");
        }
        int value = 0;
        for (int i = from; i < from + 4; i++)
        {
            final int digit = Character.digit(data[i], 16);
            if (digit < 0)
            {
                throw new BadRecord("malformed JSON: bad \\u escape");
            }
            value = (value << 4) | digit;
        }

        return (char)value;
    }

    boolean equalsBytes(final int start, final int end, final byte[] bytes)
    {
        return Arrays.equals(data, start, end, bytes, 0, bytes.length);
    }

    boolean matchesAscii(final int start, final int end, final String text)
    {
        if (end - start != text.length())
        {
            return false;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (data[start + i] != text.charAt(i))
            {
                return false;
            }
        }

        return true;
    }

    /**
     * Up to 40 bytes of a string, quoted and made safe to print, for the reason of a refusal.
     *
     * @param start the offset after the opening quote.
     * @param end   the offset of the closing quote.
     * @return the quoted text.
     */
    String safeText(final int start, final int end)
    {
        final int shown = Math.min(end - start, 40);
        final String text = new String(data, start, shown, StandardCharsets.UTF_8);
        return '\'' + SafeText.escape(text) + (shown < end - start ? "...'" : "'");
    }
}
