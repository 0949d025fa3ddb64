package io.trafficanalyzer.core.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * POSTs each alert's JSON document ({@link Alert#toJson()}) to a URL with the JDK's HTTP client; any answer but a
 * 2xx, or none within the time limit, is a failure to retry.
 */
final class WebhookAction implements AlertAction
{
    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    WebhookAction(final String url, final long timeoutMs)
    {
        this.uri = URI.create(url);
        this.timeout = Duration.ofMillis(timeoutMs);
        this.client = HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    public void onAlert(final Alert alert) throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "traffic-analyzer-alerts/" + Alert.JSON_VERSION)
            .POST(HttpRequest.BodyPublishers.ofString(alert.toJson(), StandardCharsets.UTF_8))
            .build();
        final HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2)
        {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
    }
}
