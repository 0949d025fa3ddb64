package io.trafficanalyzer.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.status.Logging;
import io.trafficanalyzer.web.query.AlertDocuments;
import io.trafficanalyzer.web.query.Json;
import io.trafficanalyzer.web.query.OutputFormat;
import io.trafficanalyzer.web.query.PercentileDocument;
import io.trafficanalyzer.web.query.PercentileQuery;
import io.trafficanalyzer.web.query.QueryException;
import io.trafficanalyzer.web.query.ResultTable;
import io.trafficanalyzer.web.query.StoreReader;
import io.trafficanalyzer.web.query.TimeRange;
import io.trafficanalyzer.web.query.TrafficDocuments;
import io.trafficanalyzer.web.query.TrafficDocuments.TopView;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Routes the dashboard's requests below its base path: fixed pages and assets from the jar, the JSON API over the
 * store and the live view, and {@code /metrics}. Only GET and HEAD; anything unknown is a 404, a bad parameter a 400
 * naming it, and no failure shows more than one line.
 */
final class DashboardHandler implements HttpHandler
{
    static final int MAX_PATH_LENGTH = 256;
    static final int MAX_LIMIT = 1000;
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.web");
    private static final String JSON = "application/json; charset=utf-8";
    private static final String PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Set<String> TOP = Set.of("agent", "by", "host", "limit", "last", "from", "to");
    private static final Set<String> REPORT = Set.of("agent", "host", "step", "last", "from", "to");
    private static final Set<String> QUALITY = Set.of("agent", "step", "last", "from", "to");
    private static final Set<String> PERCENTILE =
        Set.of("agent", "host", "p", "period", "billing_day", "last", "from", "to");
    private static final Set<String> LIVE = Set.of("limit");
    private static final Set<String> ALERTS = Set.of("limit", "last", "from", "to");
    private static final Set<String> NONE = Set.of();

    private final Path store;
    private final TrafficAnalyzer analyzer;
    private final Map<String, StaticAsset> assets = StaticAsset.all();
    private StoreReader reader;

    DashboardHandler(final Path store, final TrafficAnalyzer analyzer)
    {
        this.store = store;
        this.analyzer = analyzer;
    }

    public void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final Headers headers = exchange.getResponseHeaders();
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            try
            {
                route(exchange);
            }
            catch (final BadRequest ex)
            {
                sendError(exchange, ex.status(), ex.parameter(), ex.getMessage());
            }
            catch (final QueryException ex)
            {
                if (ex.isBadParameter())
                {
                    sendError(exchange, 400, ex.parameter(), ex.getMessage());
                }
                else
                {
                    LOGGER.log(System.Logger.Level.WARNING, ex.getMessage(), ex);
                    sendError(exchange, 503, null, "the store cannot be read now");
                }
            }
            catch (final RuntimeException ex)
            {
                LOGGER.log(System.Logger.Level.ERROR, "dashboard request failed: " + ex, ex);
                sendError(exchange, 500, null, "internal error");
            }
        }
    }

    private void route(final HttpExchange exchange) throws IOException
    {
        final String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method))
        {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new BadRequest(405, null, "method " + safe(method) + " not allowed: the dashboard is read-only");
        }

        final String rawPath = exchange.getRequestURI().getRawPath();
        if (null == rawPath || rawPath.length() > MAX_PATH_LENGTH)
        {
            throw new BadRequest(414, null, "the path is longer than " + MAX_PATH_LENGTH + " characters");
        }
        // the context is the base path without its final slash, which matches by prefix: "/traffic" answers
        // "/traffic" (sent on to "/traffic/") and "/trafficking" (not ours)
        final String context = exchange.getHttpContext().getPath();
        final String base = context.endsWith("/") ? context : context + "/";
        if (rawPath.equals(context) && !context.equals(base))
        {
            exchange.getResponseHeaders().set("Location", base);
            send(exchange, 308, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        if (!rawPath.startsWith(base))
        {
            throw new BadRequest(404, null, "not found");
        }
        final String path = rawPath.substring(base.length());
        final String query = exchange.getRequestURI().getRawQuery();

        switch (path)
        {
            case "api/top":
                sendJson(exchange, top(QueryParameters.parse(query, TOP)));
                break;

            case "api/report":
                sendJson(exchange, report(QueryParameters.parse(query, REPORT)));
                break;

            case "api/quality":
                sendJson(exchange, quality(QueryParameters.parse(query, QUALITY)));
                break;

            case "api/percentile":
                sendJson(exchange, percentile(QueryParameters.parse(query, PERCENTILE)));
                break;

            case "api/alerts":
                sendJson(exchange, alerts(QueryParameters.parse(query, ALERTS)));
                break;

            case "api/status":
                QueryParameters.parse(query, NONE);
                sendJson(exchange, status());
                break;

            case "api/live":
                sendJson(exchange, live(QueryParameters.parse(query, LIVE)));
                break;

            case "metrics":
                QueryParameters.parse(query, NONE);
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                final String metrics = PrometheusText.write(analyzer, store);
                send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics.getBytes(StandardCharsets.UTF_8));
                break;

            default:
                final StaticAsset asset = assets.get(path);
                if (null == asset)
                {
                    throw new BadRequest(404, null, "not found");
                }
                if (asset.isPage())
                {
                    exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
                    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                }
                else
                {
                    exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
                }
                send(exchange, 200, asset.contentType(), asset.bytes());
        }
    }

    private String top(final QueryParameters parameters)
    {
        final TopView by = parameters.choice("by", TopView.class, TopView.hosts);
        final String host = parameters.address("host");
        final int limit = parameters.integer("limit", 10, 1, MAX_LIMIT);
        final String agent = parameters.text("agent");
        final StoreReader store = reader();
        store.checkAgent(agent, "");
        final StoreReader.Span span = store.span(agent);
        final TimeRange range = null == span ? null : range(parameters, span);
        return render(TrafficDocuments.top(store, agent, range, by, host, limit));
    }

    private String report(final QueryParameters parameters)
    {
        final String host = parameters.address("host");
        final Duration step = parameters.step("step");
        final String agent = parameters.text("agent");
        final StoreReader store = reader();
        store.checkAgent(agent, "");
        final StoreReader.Span span = store.span(agent);
        final TimeRange range = null == span ? null : range(parameters, span);
        final TrafficDocuments.Step rounded = TrafficDocuments.reportStep(store, agent, span, range, step);
        checkPoints(range, rounded.seconds());
        return render(TrafficDocuments.report(store, agent, range, rounded, host));
    }

    private String quality(final QueryParameters parameters)
    {
        final Duration step = parameters.step("step");
        final String agent = parameters.text("agent");
        final StoreReader store = reader();
        store.checkAgent(agent, "");
        final StoreReader.Span span = store.span(agent);
        final TimeRange range = null == span ? null : range(parameters, span);
        final long stepSeconds = TrafficDocuments.stepSeconds(span, range, step);
        checkPoints(range, stepSeconds);
        return render(TrafficDocuments.quality(store, agent, range, stepSeconds));
    }

    private String percentile(final QueryParameters parameters)
    {
        final String host = parameters.address("host");
        final String agent = parameters.text("agent");
        final String billingDay = parameters.text("billing_day");
        final PercentileQuery percentile = PercentileQuery.of(
            null == parameters.text("p") ? "95" : parameters.text("p"),
            parameters.text("period"),
            null == billingDay ? null : parameters.integer("billing_day", 1, 1, PercentileQuery.MAX_BILLING_DAY),
            parameters.duration("last"),
            parameters.time("from"),
            parameters.time("to"),
            "");
        final StoreReader store = reader();
        store.checkAgent(agent, "");
        return render(PercentileDocument.percentile(store, agent, percentile, host));
    }

    private String alerts(final QueryParameters parameters)
    {
        final int limit = parameters.integer("limit", 50, 1, MAX_LIMIT);
        final StoreReader store = reader();
        final StoreReader.Span span = store.span(null);
        final TimeRange range = null == span ? null : range(parameters, span);
        return render(AlertDocuments.alerts(store, range, limit));
    }

    private String status()
    {
        final StringBuilder sb = new StringBuilder("{\"live\": ").append(null != analyzer);
        sb.append(", \"store\": ").append(null != store);
        final StoreReader.Span span = null == store || !Files.exists(store) ? null : reader().span(null);
        sb.append(", \"start\": ").append(null == span ? "null" : Json.quote(span.start().toString()));
        sb.append(", \"end\": ").append(null == span ? "null" : Json.quote(span.end().toString()));
        sb.append(", \"finest_seconds\": ").append(null == span ? "null" : Long.toString(span.finestSeconds()));
        return sb.append("}\n").toString();
    }

    private String live(final QueryParameters parameters)
    {
        final int limit = parameters.integer("limit", 10, 1, 100);
        if (null == analyzer)
        {
            throw new BadRequest(404, null, "no live view: this server shows a store, not a running capture");
        }
        return LiveDocument.write(analyzer, limit);
    }

    private static TimeRange range(final QueryParameters parameters, final StoreReader.Span span)
    {
        return TimeRange.resolve(
            span, parameters.duration("last"), parameters.time("from"), parameters.time("to"), "");
    }

    /*
     * A fine step over a long range would build a huge document: refuse it rather than hold the store.
     */
    private static void checkPoints(final TimeRange range, final long stepSeconds)
    {
        final long maxPoints = 10_000;
        if (null != range && range.seconds() / stepSeconds > maxPoints)
        {
            throw new BadRequest(400, "step", "step=" + stepSeconds + "s: gives more than " + maxPoints +
                " points over the range; choose a wider step or a shorter range");
        }
    }

    private synchronized StoreReader reader()
    {
        if (null == store)
        {
            throw new BadRequest(404, null, "no store: this server shows a running capture only");
        }
        if (null == reader)
        {
            reader = StoreReader.open(store, "");
        }
        return reader;
    }

    synchronized void close()
    {
        if (null != reader)
        {
            reader.close();
            reader = null;
        }
    }

    private static String render(final ResultTable table)
    {
        final StringWriter text = new StringWriter();
        table.print(OutputFormat.json, new PrintWriter(text));
        return text.toString();
    }

    private static void sendJson(final HttpExchange exchange, final String json) throws IOException
    {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendError(
        final HttpExchange exchange, final int status, final String parameter, final String message) throws IOException
    {
        final StringBuilder sb = new StringBuilder("{\"error\": ");
        Json.appendQuoted(sb, message);
        if (null != parameter)
        {
            Json.appendQuoted(sb.append(", \"parameter\": "), parameter);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, JSON, sb.append("}\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType,
        final byte[] body) throws IOException
    {
        drain(exchange.getRequestBody());
        exchange.getResponseHeaders().set("Content-Type", contentType);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /*
     * A GET has no body worth reading; read at most a little so the connection can be reused, never a flood.
     */
    private static void drain(final InputStream body) throws IOException
    {
        final byte[] scratch = new byte[1024];
        int total = 0;
        int read;
        while (total < 8192 && (read = body.read(scratch)) > 0)
        {
            total += read;
        }
    }

    private static String safe(final String text)
    {
        return text.length() > 16 ? text.substring(0, 16) + "..." : text;
    }
}
