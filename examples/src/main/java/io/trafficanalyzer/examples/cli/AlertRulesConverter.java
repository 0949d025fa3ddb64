package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.alert.AlertRules;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The {@code --alerts FILE} option: reads and checks the rules file when the command line is parsed, so that a bad
 * rule stops the command before it captures anything, with an error that names the file's line.
 */
final class AlertRulesConverter implements ITypeConverter<AlertRules>
{
    static final String HELP = "Alert rules to evaluate on each bucket (thresholds on a host's rate, new peers, " +
        "drops, malformed frames, silence) and the actions they run: a log line, a webhook, a command. Format: " +
        "docs/alerts.md. Alerts are stored in the --db store and shown by the dashboard.";

    public AlertRules convert(final String value)
    {
        try
        {
            return AlertRules.parse(Path.of(value));
        }
        catch (final IllegalArgumentException | UncheckedIOException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
