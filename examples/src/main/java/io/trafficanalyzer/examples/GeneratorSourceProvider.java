package io.trafficanalyzer.examples;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.CaptureSourceProvider;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Serves {@code generator:} source URIs with a {@link GeneratorSource}:
 * {@code generator:packets=100000&hosts=8&size=512&pps=10000&start=2024-05-01T00:00:00Z}, every setting optional
 * (those are the defaults). Listed in {@code META-INF/services/io.trafficanalyzer.core.capture.CaptureSourceProvider},
 * so {@code TrafficAnalyzer.builder().source("generator:hosts=4")} finds it by its scheme.
 */
public final class GeneratorSourceProvider implements CaptureSourceProvider
{
    /**
     * The scheme served.
     */
    public static final String SCHEME = "generator";

    /**
     * {@inheritDoc}
     */
    public String scheme()
    {
        return SCHEME;
    }

    /**
     * A generator configured by the URI's settings.
     *
     * @param uri {@code generator:} and {@code name=value} settings separated by {@code &}.
     * @return the source.
     * @throws IllegalArgumentException naming a setting that is unknown or invalid.
     */
    public CaptureSource newSource(final String uri)
    {
        long packets = 100_000;
        int hosts = 8;
        int size = 512;
        long pps = 10_000;
        Instant start = Instant.parse("2024-05-01T00:00:00Z");

        final String settings = uri.substring(SCHEME.length() + 1);
        for (final String setting : settings.isEmpty() ? new String[0] : settings.split("&"))
        {
            final int equals = setting.indexOf('=');
            final String name = equals < 0 ? setting : setting.substring(0, equals);
            final String value = equals < 0 ? "" : setting.substring(equals + 1);
            try
            {
                switch (name)
                {
                    case "packets":
                        packets = Long.parseLong(value);
                        break;

                    case "hosts":
                        hosts = Integer.parseInt(value);
                        break;

                    case "size":
                        size = Integer.parseInt(value);
                        break;

                    case "pps":
                        pps = Long.parseLong(value);
                        break;

                    case "start":
                        start = Instant.parse(value);
                        break;

                    default:
                        throw new IllegalArgumentException(
                            "unknown setting '" + name + "'; known: packets, hosts, size, pps, start");
                }
            }
            catch (final NumberFormatException | DateTimeParseException ex)
            {
                throw new IllegalArgumentException(name + "=" + value + ": not a valid value", ex);
            }
        }

        return new GeneratorSource(packets, hosts, size, pps, start);
    }
}
