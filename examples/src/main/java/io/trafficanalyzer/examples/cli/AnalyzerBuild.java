package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.capture.CaptureSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the analyzer of a command that writes ({@code replay}, {@code capture}) from the options they share, and
 * turns a configuration error into the tool's one-line usage error naming the option at fault, after releasing the
 * source and the outputs the command opened for it.
 */
final class AnalyzerBuild
{
    private final CaptureSource source;
    private final Outputs outputs;
    private final ErrorLog errors;
    // the analyzer's setting -> the command's own option as the user wrote it, e.g. "shards" -> "--shards=4"
    private final Map<String, String> options = new HashMap<>();
    private String agent;
    private Duration bucket;
    private List<String> localNets = List.of();

    AnalyzerBuild(final CaptureSource source, final Outputs outputs, final ErrorLog errors)
    {
        this.source = source;
        this.outputs = outputs;
        this.errors = errors;
    }

    AnalyzerBuild agent(final String agent)
    {
        this.agent = agent;
        return this;
    }

    AnalyzerBuild bucket(final Duration bucket)
    {
        this.bucket = bucket;
        return this;
    }

    AnalyzerBuild localNets(final List<String> localNets)
    {
        this.localNets = localNets;
        return this;
    }

    /**
     * Name the command's own option that sets a setting of the analyzer, for its errors.
     *
     * @param setting the analyzer's setting, as {@link ConfigurationException#setting()} names it.
     * @param option  the option and its value as given, e.g. {@code --shards=4}.
     * @return this for a fluent API.
     */
    AnalyzerBuild option(final String setting, final String option)
    {
        options.put(setting, option);
        return this;
    }

    /**
     * Add the shared options to the command's builder and build the analyzer.
     *
     * @param builder the builder with the command's own settings.
     * @return the analyzer.
     * @throws CliException a usage error naming the option at fault; the source and the outputs are released.
     */
    TrafficAnalyzer build(final TrafficAnalyzer.Builder builder)
    {
        builder
            .source(source)
            .bucket(bucket)
            // the command's own StopSignal closes the analyzer on Ctrl-C or SIGTERM, then prints the summary
            .closeOnShutdown(false)
            .errorHandler(errors);
        outputs.addTo(builder);
        if (null != agent)
        {
            builder.agent(agent);
        }
        if (!localNets.isEmpty())
        {
            builder.localNetworks(localNets.toArray(new String[0]));
        }

        try
        {
            return builder.build();
        }
        catch (final ConfigurationException ex)
        {
            source.close();
            outputs.discard();
            throw CliException.usage(describe(ex), ex);
        }
    }

    /**
     * What a configuration error says without its {@code setting=value: } prefix, for a message that names the
     * option instead.
     *
     * @param ex the error.
     * @return the reason alone.
     */
    static String problem(final ConfigurationException ex)
    {
        final String prefix = ex.setting() + "=" + ex.value() + ": ";
        final String message = ex.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private String describe(final ConfigurationException ex)
    {
        final String problem = problem(ex);
        switch (ex.setting())
        {
            case "agent":
                // the analyzer's advice names its API; on the command line the option is the way
                return null != agent ? "--agent=" + agent + ": " + problem :
                    "--agent: the host name '" + ex.value() + "' cannot name this analyzer: " +
                    problem.replace("; the host name is the default, set agent(...)", "") + "; name it with --agent";

            case "sink":
                return "--sink=" + ex.value() + ": " + problem;

            case "bucket":
                return "--bucket=" + Durations.format(bucket) + ": " + problem;

            case "localNetworks":
                return "--local-net=" + String.join(",", localNets) + ": " + problem;

            default:
                final String option = options.get(ex.setting());
                return null == option ? ex.getMessage() : option + ": " + problem;
        }
    }
}
