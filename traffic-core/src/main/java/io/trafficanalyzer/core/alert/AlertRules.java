package io.trafficanalyzer.core.alert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated set of alert rules and the actions they notify, read from a rules file (format in docs/alerts.md);
 * hand it to {@code TrafficAnalyzer.Builder.alerts(AlertRules)}. Immutable.
 */
public final class AlertRules
{
    private final String source;
    private final List<AlertRule> rules;
    private final Map<String, ActionSpec> actions;

    private AlertRules(final String source, final List<AlertRule> rules, final Map<String, ActionSpec> actions)
    {
        this.source = source;
        this.rules = List.copyOf(rules);
        this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
    }

    /**
     * Read and check a rules file.
     *
     * @param file the file, UTF-8.
     * @return the rules.
     * @throws AlertRulesException naming the file's name and the first bad line.
     * @throws UncheckedIOException when the file cannot be read.
     */
    public static AlertRules parse(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            final String reason = ex instanceof NoSuchFileException ? "no such file" :
                ex instanceof AccessDeniedException ? "permission denied" : ex.toString();
            throw new UncheckedIOException(file + ": cannot read the alert rules: " + reason, ex);
        }
        final Path name = file.getFileName();
        return parse(null == name ? file.toString() : name.toString(), text);
    }

    /**
     * Check rules given as text.
     *
     * @param source the name errors give for the text, e.g. {@code alerts.rules}.
     * @param text   the rules, one per line.
     * @return the rules.
     * @throws AlertRulesException naming the source and the first bad line.
     */
    public static AlertRules parse(final String source, final String text)
    {
        final RuleParser parser = new RuleParser(source).parse(text);
        return new AlertRules(source, parser.rules(), parser.actions());
    }

    /**
     * Number of rules.
     *
     * @return the count.
     */
    public int size()
    {
        return rules.size();
    }

    /**
     * The rules file's name and the rule and action names, for logs.
     *
     * @return the text.
     */
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(source).append(": ");
        for (int i = 0; i < rules.size(); i++)
        {
            sb.append(i > 0 ? ", " : "").append(rules.get(i).name());
        }
        return sb.append(" -> ").append(String.join(", ", actions.keySet())).toString();
    }

    String source()
    {
        return source;
    }

    List<AlertRule> rules()
    {
        return rules;
    }

    Map<String, ActionSpec> actions()
    {
        return actions;
    }
}
