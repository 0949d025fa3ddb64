package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Opens capture sources and sinks by URI: the scheme picks the provider among those {@link ServiceLoader} finds on
 * the class path, the first of each scheme, case-insensitive. A URI that is not one, an unknown scheme or a provider
 * that fails is a {@link ConfigurationException} naming the setting and the URI.
 */
final class Providers
{
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private Providers()
    {
    }

    static CaptureSource openSource(final String uri)
    {
        final CaptureSourceProvider provider =
            provider("source", uri, CaptureSourceProvider.class, CaptureSourceProvider::scheme);
        try
        {
            return provider.newSource(uri);
        }
        catch (final Exception ex)
        {
            throw new ConfigurationException("source", uri, "cannot open: " + ex.getMessage(), ex);
        }
    }

    static StatsSink openSink(final String uri)
    {
        final StatsSinkProvider provider = provider("sink", uri, StatsSinkProvider.class, StatsSinkProvider::scheme);
        try
        {
            return provider.newSink(uri);
        }
        catch (final Exception ex)
        {
            throw new ConfigurationException("sink", uri, "cannot open: " + ex.getMessage(), ex);
        }
    }

    private static <P> P provider(
        final String setting, final String uri, final Class<P> type, final Function<P, String> schemeOf)
    {
        final String scheme = scheme(setting, uri);
        final Map<String, P> known = new LinkedHashMap<>();
        for (final P provider : ServiceLoader.load(type))
        {
            known.putIfAbsent(schemeOf.apply(provider).toLowerCase(), provider);
        }

        final P provider = known.get(scheme);
        if (null == provider)
        {
            throw new ConfigurationException(
                setting, uri, "unknown scheme '" + scheme + "'; known schemes: " + new TreeSet<>(known.keySet()));
        }

        return provider;
    }

    private static String scheme(final String setting, final String uri)
    {
        final int colon = uri.indexOf(':');
        if (colon <= 0 || !SCHEME.matcher(uri.substring(0, colon)).matches())
        {
            throw new ConfigurationException(setting, uri, "is not a URI of the form scheme:rest");
        }

        return uri.substring(0, colon).toLowerCase();
    }
}
