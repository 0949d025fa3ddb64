package io.trafficanalyzer.pcap;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the URIs of the libpcap sources:
 * <ul>
 * <li>{@code pcap:IFACE[,IFACE...][?filter=BPF&snaplen=N&promiscuous=BOOL&immediate=BOOL&buffer=BYTES&timeout=MS
 * &nanos=BOOL&mode=ring|dispatch|next_ex]}, e.g. {@code pcap:eth0?filter=not%20port%2022} or {@code pcap:any};</li>
 * <li>{@code pcapfile:PATH[?filter=BPF&mode=dispatch|next_ex]}, e.g. {@code pcapfile:/data/old.pcap}.</li>
 * </ul>
 * Values are percent-decoded ({@code +} is a space), so a filter can be written {@code filter=tcp+port+443}.
 */
final class PcapUris
{
    static final String LIVE_SCHEME = "pcap";
    static final String FILE_SCHEME = "pcapfile";

    private PcapUris()
    {
    }

    /**
     * A builder configured from a {@code pcap:} URI.
     *
     * @param uri the whole URI.
     * @return the builder, not yet built.
     * @throws IllegalArgumentException naming the URI and what is wrong with it.
     */
    static PcapLiveSource.Builder live(final String uri)
    {
        final String rest = withoutScheme(uri, LIVE_SCHEME);
        final int question = rest.indexOf('?');
        final String interfaces = decode(question < 0 ? rest : rest.substring(0, question));
        if (interfaces.isEmpty())
        {
            throw new IllegalArgumentException(uri + ": no interface; e.g. pcap:eth0 or pcap:any");
        }

        final PcapLiveSource.Builder builder = PcapLiveSource.builder().interfaces(interfaces.split(","));
        for (final Map.Entry<String, String> parameter : query(uri, rest, question).entrySet())
        {
            final String value = parameter.getValue();
            switch (parameter.getKey())
            {
                case "filter":
                    builder.filter(value);
                    break;
                case "snaplen":
                    builder.snaplen(integer(uri, parameter));
                    break;
                case "promiscuous":
                    builder.promiscuous(bool(uri, parameter));
                    break;
                case "immediate":
                    builder.immediateMode(bool(uri, parameter));
                    break;
                case "buffer":
                    builder.bufferSize(integer(uri, parameter));
                    break;
                case "timeout":
                    builder.timeoutMillis(integer(uri, parameter));
                    break;
                case "nanos":
                    builder.nanosecondTimestamps(bool(uri, parameter));
                    break;
                case "mode":
                    builder.readMode(mode(uri, value));
                    break;
                default:
                    throw new IllegalArgumentException(uri + ": unknown parameter '" + parameter.getKey() +
                        "'; known: filter, snaplen, promiscuous, immediate, buffer, timeout, nanos, mode");
            }
        }

        return builder;
    }

    /**
     * Open the file a {@code pcapfile:} URI names.
     *
     * @param uri the whole URI.
     * @return the open source.
     * @throws IOException              when the file cannot be opened.
     * @throws IllegalArgumentException naming the URI and what is wrong with it.
     */
    static PcapFileSource file(final String uri) throws IOException
    {
        String rest = withoutScheme(uri, FILE_SCHEME);
        final int question = rest.indexOf('?');
        final Map<String, String> parameters = query(uri, rest, question);
        rest = question < 0 ? rest : rest.substring(0, question);
        if (rest.startsWith("//"))
        {
            rest = rest.substring(2);
        }
        final String path = decode(rest);
        if (path.isEmpty())
        {
            throw new IllegalArgumentException(uri + ": no file; e.g. pcapfile:/data/capture.pcap");
        }

        String filter = null;
        PcapReadMode readMode = PcapReadMode.DISPATCH;
        for (final Map.Entry<String, String> parameter : parameters.entrySet())
        {
            switch (parameter.getKey())
            {
                case "filter":
                    filter = parameter.getValue();
                    break;
                case "mode":
                    readMode = mode(uri, parameter.getValue());
                    break;
                default:
                    throw new IllegalArgumentException(
                        uri + ": unknown parameter '" + parameter.getKey() + "'; known: filter, mode");
            }
        }

        return PcapFileSource.open(Path.of(path), filter, readMode);
    }

    private static String withoutScheme(final String uri, final String scheme)
    {
        if (null == uri || !uri.regionMatches(true, 0, scheme + ":", 0, scheme.length() + 1))
        {
            throw new IllegalArgumentException(uri + ": not a " + scheme + ": URI");
        }

        return uri.substring(scheme.length() + 1);
    }

    private static Map<String, String> query(final String uri, final String rest, final int question)
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (question < 0 || question == rest.length() - 1)
        {
            return parameters;
        }

        for (final String pair : rest.substring(question + 1).split("&"))
        {
            final int equals = pair.indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException(uri + ": parameter '" + pair + "' is not name=value");
            }
            final String name = decode(pair.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (null != parameters.put(name, decode(pair.substring(equals + 1))))
            {
                throw new IllegalArgumentException(uri + ": parameter '" + name + "' given twice");
            }
        }

        return parameters;
    }

    private static String decode(final String text)
    {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static int integer(final String uri, final Map.Entry<String, String> parameter)
    {
        try
        {
            return Integer.parseInt(parameter.getValue());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                uri + ": " + parameter.getKey() + "=" + parameter.getValue() + " is not a whole number", ex);
        }
    }

    private static boolean bool(final String uri, final Map.Entry<String, String> parameter)
    {
        switch (parameter.getValue().toLowerCase(Locale.ROOT))
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new IllegalArgumentException(
                    uri + ": " + parameter.getKey() + "=" + parameter.getValue() + " must be true or false");
        }
    }

    private static PcapReadMode mode(final String uri, final String value)
    {
        try
        {
            return PcapReadMode.valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(uri + ": mode=" + value + " must be ring, dispatch or next_ex", ex);
        }
    }
}
