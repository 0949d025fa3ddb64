package io.trafficanalyzer.web.query;

import io.trafficanalyzer.core.text.JsonText;

/**
 * The little JSON the tool, the examples and the web API write: strings quoted and escaped per RFC 8259 (by
 * core's {@link JsonText}), nothing more.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * A string as a JSON string literal.
     *
     * @param text the string.
     * @return it quoted and escaped.
     */
    public static String quote(final String text)
    {
        return appendQuoted(new StringBuilder(text.length() + 2), text).toString();
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
        return JsonText.appendQuoted(sb, text);
    }
}
