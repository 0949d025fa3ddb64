package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.alert.AlertRule.Direction;
import io.trafficanalyzer.core.alert.AlertRule.Metric;
import io.trafficanalyzer.core.alert.AlertRule.Subject;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.IpAddresses;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rules file line by line into {@link AlertRule}s and {@link ActionSpec}s, rejecting the first bad line with
 * an {@link AlertRulesException} that names it. The grammar is in {@code docs/alerts.md}.
 * <p>
 * Long because each clause of the grammar (subject, metric, bound with its unit, window, clear level, repeat, and
 * the actions' options) has its own check and its own message; one reader keeps the line and word positions those
 * messages name.
 */
final class RuleParser
{
    static final long DEFAULT_REPEAT_SECONDS = 300;
    static final double DEFAULT_CLEAR_RATIO = 0.9;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|min|h|d)");
    private static final Pattern NUMBER_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)([A-Za-z/]*)");
    private static final String RULE_WORDS =
        "host, hosts, net, view, in, out, both, rate, new-peers, drops, malformed, silent, >, for, clear, repeat, then";

    private final String source;
    private final List<AlertRule> rules = new ArrayList<>();
    private final Map<String, ActionSpec> actions = new LinkedHashMap<>();
    private final List<Integer> ruleActionLines = new ArrayList<>();
    private int line;

    RuleParser(final String source)
    {
        this.source = source;
    }

    List<AlertRule> rules()
    {
        return rules;
    }

    Map<String, ActionSpec> actions()
    {
        return actions;
    }

    RuleParser parse(final String text)
    {
        final String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++)
        {
            line = i + 1;
            final List<String> words = tokens(lines[i]);
            if (words.isEmpty())
            {
                continue;
            }

            switch (words.get(0))
            {
                case "rule":
                    rules.add(rule(words));
                    ruleActionLines.add(line);
                    break;

                case "action":
                    final ActionSpec action = action(words);
                    if (null != actions.putIfAbsent(action.name(), action))
                    {
                        throw error("action '" + action.name() + "' is defined twice");
                    }
                    break;

                default:
                    throw error("'" + words.get(0) + "': a line is a rule, an action, a comment (#) or blank");
            }
        }

        resolveActions();
        return this;
    }

    /*
     * A rule without "then" notifies every action of the file, or logs when the file has none; a named action must
     * exist (actions may be defined after the rules that use them).
     */
    private void resolveActions()
    {
        if (actions.isEmpty())
        {
            actions.put("log", new ActionSpec("log", 0, ActionSpec.Kind.LOG, null, List.of(),
                ActionSpec.DEFAULT_TIMEOUT_MS, ActionSpec.DEFAULT_RETRIES, ActionSpec.DEFAULT_BACKOFF_MS));
        }
        for (int i = 0; i < rules.size(); i++)
        {
            final AlertRule rule = rules.get(i);
            line = ruleActionLines.get(i);
            if (rule.actions().isEmpty())
            {
                rules.set(i, withActions(rule, List.copyOf(actions.keySet())));
                continue;
            }
            for (final String name : rule.actions())
            {
                if (!actions.containsKey(name))
                {
                    throw error("then " + name + ": no such action (defined: " +
                        String.join(", ", actions.keySet()) + ")");
                }
            }
        }
    }

    private static AlertRule withActions(final AlertRule r, final List<String> names)
    {
        return new AlertRule(r.name(), r.line(), r.subject(), r.subjectText(), r.host(), r.network(), r.view(),
            r.direction(), r.metric(), r.bound(), r.clear(), r.windowSeconds(), r.repeatSeconds(), names);
    }

    /** A rule's words as read so far. */
    private static final class Draft
    {
        String name;
        Subject subject;
        String subjectText;
        long[] host;
        LocalNetworks network;
        String view;
        Direction direction;
        Metric metric;
        String boundText;
        String clearText;
        long window = -1;
        long repeat = -1;
        List<String> then = List.of();
    }

    private AlertRule rule(final List<String> words)
    {
        if (words.size() < 2 || !NAME.matcher(words.get(1)).matches())
        {
            throw error("a rule starts with 'rule NAME' (letters, digits, '.', '_', '-'; at most 64)");
        }
        final Draft d = new Draft();
        d.name = words.get(1);
        for (final AlertRule rule : rules)
        {
            if (rule.name().equals(d.name))
            {
                throw error("rule '" + d.name + "' is defined twice (first on line " + rule.line() + ")");
            }
        }

        int i = 2;
        while (i < words.size())
        {
            i = word(d, words, i);
        }

        return finish(d);
    }

    // reads the word at i and what it takes, returns the index of the next word
    private int word(final Draft d, final List<String> words, final int at)
    {
        int i = at;
        final String word = words.get(i++);
        switch (word)
        {
            case "host":
                once(null == d.subject, "a rule watches one subject (host, hosts or net)");
                d.subjectText = value(words, i++, "host", "an IP address");
                d.host = address(d.subjectText);
                d.subject = Subject.HOST;
                return i;

            case "hosts":
                once(null == d.subject, "a rule watches one subject (host, hosts or net)");
                d.subject = Subject.EACH_HOST;
                d.subjectText = "local";
                if (i < words.size() && looksLikeNetwork(words.get(i)))
                {
                    d.subjectText = words.get(i++);
                    d.network = network(d.subjectText);
                }
                return i;

            case "net":
                once(null == d.subject, "a rule watches one subject (host, hosts or net)");
                d.subjectText = value(words, i++, "net", "a network such as 10.0.0.0/24");
                d.network = network(d.subjectText);
                d.subject = Subject.NETWORK;
                return i;

            case "view":
                once(null == d.view, "view is given twice");
                d.view = value(words, i++, "view", "a view name such as hosts or peers");
                return i;

            case "in":
            case "out":
            case "both":
                once(null == d.direction, "a rule has one direction (in, out or both)");
                d.direction = Direction.valueOf(word.toUpperCase(Locale.ROOT));
                return i;

            case "rate":
            case "new-peers":
            case "drops":
            case "malformed":
            case "silent":
                once(null == d.metric, "a rule measures one thing (rate, new-peers, drops, malformed, silent)");
                d.metric = Metric.valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
                return i;

            case ">":
                once(null == d.boundText, "> is given twice");
                d.boundText = value(words, i++, ">", "a bound");
                if (i < words.size() && isUnit(words.get(i)))
                {
                    d.boundText += words.get(i++);
                }
                return i;

            case "clear":
                once(null == d.clearText, "clear is given twice");
                d.clearText = value(words, i++, "clear", "a level at or below which the alert clears");
                if (i < words.size() && isUnit(words.get(i)))
                {
                    d.clearText += words.get(i++);
                }
                return i;

            case "for":
                once(d.window < 0, "for is given twice");
                final String forText = durationText(words, i, "for", "a window such as 1m");
                i += forText.equals(words.get(i)) ? 1 : 2;
                d.window = duration("for", forText);
                if (0 == d.window)
                {
                    throw error("for " + forText + ": a window is at least 1s");
                }
                return i;

            case "repeat":
                once(d.repeat < 0, "repeat is given twice");
                final String repeatText = durationText(words, i, "repeat", "an interval such as 10m");
                i += repeatText.equals(words.get(i)) ? 1 : 2;
                d.repeat = duration("repeat", repeatText);
                return i;

            case "then":
                d.then = then(String.join("", words.subList(i, words.size())));
                return words.size();

            default:
                throw error("'" + word + "': not a rule word (" + RULE_WORDS + ")");
        }
    }

    private List<String> then(final String names)
    {
        final List<String> then = new ArrayList<>();
        for (final String action : names.split(",", -1))
        {
            if (!NAME.matcher(action).matches())
            {
                throw error("then " + names + ": expected action names separated by commas");
            }
            then.add(action);
        }
        return List.copyOf(then);
    }

    // "5m", or "5" followed by the unit as its own word
    private String durationText(final List<String> words, final int i, final String word, final String expected)
    {
        final String text = value(words, i, word, expected);
        return i + 1 < words.size() && isDurationUnit(words.get(i + 1)) ? text + words.get(i + 1) : text;
    }

    private AlertRule finish(final Draft d)
    {
        if (null == d.metric)
        {
            if (null == d.boundText)
            {
                throw error("rule " + d.name + " measures nothing: add rate, new-peers, drops, malformed or silent");
            }
            d.metric = Metric.RATE;
        }

        if (d.metric.needsHosts())
        {
            if (null == d.subject)
            {
                throw error(d.metric.label() + " watches hosts: add host IP, hosts [CIDR] or net CIDR");
            }
        }
        else
        {
            if (null != d.subject || null != d.view || null != d.direction)
            {
                throw error(d.metric.label() + " counts frames of the whole capture: no host, hosts, net, view, " +
                    "in, out or both");
            }
            d.subject = Subject.CAPTURE;
            d.subjectText = "capture";
        }

        final double bound;
        final double clear;
        if (Metric.SILENT == d.metric)
        {
            if (null != d.boundText || null != d.clearText)
            {
                throw error("silent takes no > or clear: 'silent for 5m' raises after 5 minutes without traffic " +
                    "and clears on the next traffic");
            }
            if (d.window < 0)
            {
                throw error("silent needs a window: 'silent for 5m'");
            }
            bound = d.window;
            clear = 0;
        }
        else
        {
            if (null == d.boundText)
            {
                throw error(d.metric.label() + " needs a bound: '> 50Mbit/s', '> 100', '> 0'");
            }
            bound = amount(d.metric, ">", d.boundText);
            clear = null == d.clearText ? bound * DEFAULT_CLEAR_RATIO : amount(d.metric, "clear", d.clearText);
            if (clear > bound)
            {
                throw error("clear " + d.clearText + ": must not be above the bound " + d.boundText);
            }
        }

        return new AlertRule(d.name, line, d.subject, d.subjectText, d.host, d.network,
            null != d.view ? d.view : d.metric.defaultView(), null != d.direction ? d.direction : Direction.BOTH,
            d.metric, bound, clear, Math.max(0, d.window), d.repeat < 0 ? DEFAULT_REPEAT_SECONDS : d.repeat, d.then);
    }

    private ActionSpec action(final List<String> words)
    {
        if (words.size() < 2 || !NAME.matcher(words.get(1)).matches())
        {
            throw error("an action starts with 'action NAME' (letters, digits, '.', '_', '-'; at most 64)");
        }
        final String name = words.get(1);
        long timeoutMs = -1;
        int retries = -1;
        long backoffMs = -1;
        int i = 2;
        while (i < words.size())
        {
            final String word = words.get(i++);
            switch (word)
            {
                case "timeout":
                    once(timeoutMs < 0, "timeout is given twice");
                    timeoutMs = duration("timeout", value(words, i++, "timeout", "a time limit such as 5s")) * 1000;
                    if (0 == timeoutMs)
                    {
                        throw error("timeout 0s: an attempt needs at least 1s");
                    }
                    break;

                case "retries":
                    once(retries < 0, "retries is given twice");
                    final String count = value(words, i++, "retries", "a number of retries");
                    if (!count.matches("\\d{1,3}"))
                    {
                        throw error("retries " + count + ": expected a number from 0 to 999");
                    }
                    retries = Integer.parseInt(count);
                    break;

                case "backoff":
                    once(backoffMs < 0, "backoff is given twice");
                    backoffMs = duration("backoff", value(words, i++, "backoff", "a first back-off such as 1s")) * 1000;
                    break;

                case "log":
                case "webhook":
                case "command":
                    return kind(name, word, words.subList(i, words.size()),
                        timeoutMs >= 0 ? timeoutMs :
                        "command".equals(word) ? ActionSpec.DEFAULT_COMMAND_TIMEOUT_MS : ActionSpec.DEFAULT_TIMEOUT_MS,
                        retries < 0 ? ActionSpec.DEFAULT_RETRIES : retries,
                        backoffMs < 0 ? ActionSpec.DEFAULT_BACKOFF_MS : backoffMs);

                default:
                    throw error("'" + word + "': expected timeout, retries, backoff, or the kind (log, webhook URL, " +
                        "command PROGRAM ARGS)");
            }
        }

        throw error("action " + name + " has no kind: end it with log, webhook URL or command PROGRAM ARGS");
    }

    private ActionSpec kind(
        final String name,
        final String kind,
        final List<String> rest,
        final long timeoutMs,
        final int retries,
        final long backoffMs)
    {
        switch (kind)
        {
            case "log":
                if (!rest.isEmpty())
                {
                    throw error("log takes nothing after it, found '" + rest.get(0) + "'");
                }
                return new ActionSpec(name, line, ActionSpec.Kind.LOG, null, List.of(), timeoutMs, retries, backoffMs);

            case "webhook":
                if (rest.size() != 1)
                {
                    throw error("webhook takes one URL, such as http://127.0.0.1:9000/alerts");
                }
                checkUrl(rest.get(0));
                return new ActionSpec(name, line, ActionSpec.Kind.WEBHOOK, rest.get(0), List.of(), timeoutMs, retries,
                    backoffMs);

            default:
                if (rest.isEmpty())
                {
                    throw error("command needs a program to run, such as /usr/local/bin/page-oncall");
                }
                return new ActionSpec(name, line, ActionSpec.Kind.COMMAND, null, List.copyOf(rest), timeoutMs,
                    retries, backoffMs);
        }
    }

    private void checkUrl(final String url)
    {
        try
        {
            final URI uri = new URI(url);
            final String scheme = null == uri.getScheme() ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || null == uri.getHost())
            {
                throw error("webhook " + url + ": expected an http:// or https:// URL with a host");
            }
        }
        catch (final URISyntaxException ex)
        {
            throw error("webhook " + url + ": not a URL (" + ex.getReason() + ")");
        }
    }

    private double amount(final Metric metric, final String word, final String text)
    {
        final Matcher m = NUMBER_UNIT.matcher(text);
        if (!m.matches())
        {
            throw error(word + " " + text + ": expected a number" + unitHint(metric));
        }
        final double number = Double.parseDouble(m.group(1));
        final String unit = m.group(2);
        switch (metric)
        {
            case RATE:
                final long factor = rateFactor(unit);
                if (factor < 0)
                {
                    throw error(word + " " + text + ": unknown rate unit '" + unit + "'" + unitHint(metric));
                }
                return number * factor;

            case NEW_PEERS:
                if (!unit.isEmpty() && !unit.equals("/min"))
                {
                    throw error(word + " " + text + ": new peers are counted per minute" + unitHint(metric));
                }
                return number;

            default:
                if (!unit.isEmpty())
                {
                    throw error(word + " " + text + ": " + metric.label() + " is a count of frames" +
                        unitHint(metric));
                }
                return number;
        }
    }

    private static String unitHint(final Metric metric)
    {
        switch (metric)
        {
            case RATE:
                return " with a unit: bit/s, kbit/s, Mbit/s, Gbit/s (or bps, kbps, Mbps, Gbps)";
            case NEW_PEERS:
                return " of new peers per minute, such as 100 or 100/min";
            default:
                return ", such as 0";
        }
    }

    // bits per second of one unit, SI prefixes; -1 when unknown
    private static long rateFactor(final String unit)
    {
        switch (unit.toLowerCase(Locale.ROOT))
        {
            case "":
            case "bit/s":
            case "bps":
                return 1L;
            case "kbit/s":
            case "kbps":
                return 1_000L;
            case "mbit/s":
            case "mbps":
                return 1_000_000L;
            case "gbit/s":
            case "gbps":
                return 1_000_000_000L;
            case "tbit/s":
            case "tbps":
                return 1_000_000_000_000L;
            default:
                return -1;
        }
    }

    // a unit follows its number as a word of its own: "50 Mbit/s", "100 /min", "10 Gbps"
    private static boolean isUnit(final String word)
    {
        return word.indexOf('/') >= 0 || word.toLowerCase(Locale.ROOT).endsWith("bps");
    }

    private static boolean isDurationUnit(final String word)
    {
        return word.equals("s") || word.equals("m") || word.equals("min") || word.equals("h") || word.equals("d");
    }

    private long duration(final String word, final String text)
    {
        final Matcher m = DURATION.matcher(text);
        if (!m.matches())
        {
            throw error(word + " " + text + ": expected a duration such as 30s, 5m, 1h or 1d");
        }
        final long n = Long.parseLong(m.group(1));
        switch (m.group(2))
        {
            case "s":
                return n;
            case "m":
            case "min":
                return n * 60;
            case "h":
                return n * 3600;
            default:
                return n * 86400;
        }
    }

    private long[] address(final String text)
    {
        try
        {
            return IpAddresses.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error("host " + text + ": not an IP address");
        }
    }

    private LocalNetworks network(final String text)
    {
        try
        {
            return LocalNetworks.of(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(text + ": not a network such as 10.0.0.0/24 (" + ex.getMessage() + ")");
        }
    }

    private static boolean looksLikeNetwork(final String word)
    {
        return word.indexOf('/') > 0 || word.indexOf(':') >= 0 || word.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    private String value(final List<String> words, final int index, final String word, final String expected)
    {
        if (index >= words.size())
        {
            throw error(word + " needs " + expected);
        }
        return words.get(index);
    }

    private void once(final boolean first, final String problem)
    {
        if (!first)
        {
            throw error(problem);
        }
    }

    private AlertRulesException error(final String reason)
    {
        return new AlertRulesException(source, line, reason);
    }

    /*
     * Words separated by blanks; "double quotes" keep blanks in one word; '#' at the start of a word starts a
     * comment to the end of the line.
     */
    private List<String> tokens(final String text)
    {
        final List<String> words = new ArrayList<>();
        int i = 0;
        final int n = text.length();
        while (i < n)
        {
            final char c = text.charAt(i);
            if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                break;
            }
            else if (c == '"')
            {
                final int end = text.indexOf('"', i + 1);
                if (end < 0)
                {
                    throw error("a quote (\") is not closed");
                }
                words.add(text.substring(i + 1, end));
                i = end + 1;
            }
            else
            {
                int end = i;
                while (end < n && !Character.isWhitespace(text.charAt(end)))
                {
                    end++;
                }
                words.add(text.substring(i, end));
                i = end;
            }
        }

        return words;
    }
}
