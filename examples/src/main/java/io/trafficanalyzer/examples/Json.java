package io.trafficanalyzer.examples;

/**
 * The little JSON the examples write, as {@link io.trafficanalyzer.web.query.Json} escapes it for the tool and the
 * web API alike.
 */
final class Json
{
    private Json()
    {
    }

    static StringBuilder appendQuoted(final StringBuilder sb, final String text)
    {
        return io.trafficanalyzer.web.query.Json.appendQuoted(sb, text);
    }
}
