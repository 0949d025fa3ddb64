package io.trafficanalyzer.core.text;

/**
 * JSON string literals, quoted and escaped per RFC 8259: the one escaper of the library's JSON documents (alerts,
 * the web API, the command line's output).
 */
public final class JsonText
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText()
    {
    }

    /**
     * Append a string as a JSON string literal.
     *
     * @param sb   where to append.
     * @param text the string.
     * @return {@code sb}.
     */
    public static StringBuilder appendQuoted(final StringBuilder sb, final String text)
    {
        sb.append('"');
        for (int i = 0, length = text.length(); i < length; i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    sb.append("\\\"");
                    break;

                case '\\':
                    sb.append("\\\\");
                    break;

                case '\n':
                    sb.append("\\n");
                    break;

                case '\r':
                    sb.append("\\r");
                    break;

                case '\t':
                    sb.append("\\t");
                    break;

                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        // U+2028 and U+2029 are valid in JSON but end a line for JavaScript and some line readers
                        sb.append("\\u").append(HEX[(c >>> 12) & 0xF]).append(HEX[(c >>> 8) & 0xF])
                            .append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }

        return sb.append('"');
    }
}
