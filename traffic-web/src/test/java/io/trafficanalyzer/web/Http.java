package io.trafficanalyzer.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP client for the tests, and readers of the JSON the API writes (one row per line).
 */
final class Http
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http()
    {
    }

    static HttpResponse<String> get(final String url, final String... headers)
    {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    static HttpResponse<String> send(final HttpRequest.Builder builder, final String... headers)
    {
        for (int i = 0; i < headers.length; i += 2)
        {
            builder.header(headers[i], headers[i + 1]);
        }
        try
        {
            return CLIENT.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /*
     * The rows of a top document by its first column: {bytes, in_bytes, out_bytes, in_packets, out_packets}.
     */
    static Map<String, long[]> rows(final String json, final String keyColumn)
    {
        final Pattern row = Pattern.compile("\\{\"" + keyColumn + "\": \"([^\"]+)\", \"bytes\": (\\d+), " +
            "\"in_bytes\": (\\d+), \"out_bytes\": (\\d+), \"in_packets\": (\\d+), \"out_packets\": (\\d+)");
        final Map<String, long[]> rows = new LinkedHashMap<>();
        final Matcher matcher = row.matcher(json);
        while (matcher.find())
        {
            final long[] values = new long[5];
            for (int i = 0; i < 5; i++)
            {
                values[i] = Long.parseLong(matcher.group(i + 2));
            }
            rows.put(matcher.group(1), values);
        }
        return rows;
    }
}
