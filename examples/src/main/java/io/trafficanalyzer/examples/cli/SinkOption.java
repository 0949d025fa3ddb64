package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.kafka.KafkaSink;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.util.regex.Pattern;

/**
 * A {@code --sink URI} of {@code replay} and {@code capture}: a {@code kafka://} or {@code sqlite:} URI, checked when
 * the command line is read and opened here so that the summary can say what each took, or the URI of another sink on
 * the class path (e.g. {@code jsonl:}), handed to the analyzer as it is.
 */
final class SinkOption
{
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:.*", Pattern.DOTALL);

    private final String text;
    private final KafkaSink.Builder kafka;
    private final StoreOption store;

    private SinkOption(final String text, final KafkaSink.Builder kafka, final StoreOption store)
    {
        this.text = text;
        this.kafka = kafka;
        this.store = store;
    }

    static SinkOption parse(final String text)
    {
        if (!SCHEME.matcher(text).matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a sink URI (scheme:...), e.g. " +
                "kafka://broker:9092/traffic.buckets.v1 or sqlite:/var/lib/traffic/traffic.db");
        }
        if (hasScheme(text, KafkaSink.SCHEME))
        {
            try
            {
                return new SinkOption(text, KafkaSink.fromUri(text), null);
            }
            catch (final ConfigurationException ex)
            {
                throw new IllegalArgumentException(problem(ex, "uri"), ex);
            }
        }
        if (hasScheme(text, SqliteSink.SCHEME))
        {
            return new SinkOption(text, null, StoreOption.parse(text));
        }

        return new SinkOption(text, null, null);
    }

    /*
     * The store of a sqlite: URI, or null.
     */
    StoreOption store()
    {
        return store;
    }

    /*
     * Build the Kafka sink of a kafka:// URI (it connects at its first batch), or null for other schemes.
     */
    KafkaSink openKafka()
    {
        if (null == kafka)
        {
            return null;
        }

        try
        {
            return kafka.build();
        }
        catch (final ConfigurationException ex)
        {
            throw CliException.usage("--sink=" + text + ": " + problem(ex, "uri"), ex);
        }
    }

    /*
     * The URI without its query, which may hold client settings: what the summary and messages show.
     */
    String shown()
    {
        final int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    public String toString()
    {
        return text;
    }

    /*
     * A configuration error as the part after "--option=value: ": the bare problem when the setting is the whole
     * value, else "setting=value: problem".
     */
    static String problem(final ConfigurationException ex, final String wholeValueSetting)
    {
        return wholeValueSetting.equals(ex.setting()) ? AnalyzerBuild.problem(ex) : ex.getMessage();
    }

    private static boolean hasScheme(final String text, final String scheme)
    {
        return text.regionMatches(true, 0, scheme + ":", 0, scheme.length() + 1);
    }
}
