package io.trafficanalyzer.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A page or asset of the dashboard, read once from the jar: the pages and script of this module, and uPlot from its
 * WebJar. The set is fixed, so a request names one of these or gets a 404; no request path ever reaches a file
 * system or a class path lookup.
 */
final class StaticAsset
{
    private static final String PAGES = "/io/trafficanalyzer/web/static/";

    private final String contentType;
    private final byte[] bytes;
    private final boolean page;

    private StaticAsset(final String contentType, final byte[] bytes, final boolean page)
    {
        this.contentType = contentType;
        this.bytes = bytes;
        this.page = page;
    }

    static Map<String, StaticAsset> all()
    {
        final String uplot = "/META-INF/resources/webjars/uplot/" + webjarVersion("uplot.version") + "/dist/";
        final Map<String, StaticAsset> assets = new HashMap<>();
        final StaticAsset index = page(PAGES + "index.html");
        assets.put("", index);
        assets.put("index.html", index);
        assets.put("host", page(PAGES + "host.html"));
        assets.put("live", page(PAGES + "live.html"));
        assets.put("static/dashboard.js", asset(PAGES + "dashboard.js", "text/javascript; charset=utf-8"));
        assets.put("static/dashboard.css", asset(PAGES + "dashboard.css", "text/css; charset=utf-8"));
        assets.put("static/uPlot.iife.min.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        assets.put("static/uPlot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        return assets;
    }

    String contentType()
    {
        return contentType;
    }

    byte[] bytes()
    {
        return bytes;
    }

    boolean isPage()
    {
        return page;
    }

    private static StaticAsset page(final String resource)
    {
        return new StaticAsset("text/html; charset=utf-8", read(resource), true);
    }

    private static StaticAsset asset(final String resource, final String contentType)
    {
        return new StaticAsset(contentType, read(resource), false);
    }

    private static String webjarVersion(final String key)
    {
        final Properties properties = new Properties();
        final String resource = PAGES + "webjars.properties";
        try (InputStream in = StaticAsset.class.getResourceAsStream(resource))
        {
            if (null == in)
            {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(resource + ": " + ex.getMessage(), ex);
        }
        return properties.getProperty(key);
    }

    private static byte[] read(final String resource)
    {
        try (InputStream in = StaticAsset.class.getResourceAsStream(resource))
        {
            if (null == in)
            {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(resource + ": " + ex.getMessage(), ex);
        }
    }
}
