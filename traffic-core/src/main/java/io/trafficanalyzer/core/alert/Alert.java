package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.text.JsonText;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One change of an alert's state, raised or cleared: which rule, about what, the measured value against the bound,
 * and when in bucket time. Immutable; {@link #toJson()} is the documented webhook document (see docs/alerts.md).
 */
public final class Alert
{
    /** Version of the JSON document, raised when a field changes meaning. */
    public static final int JSON_VERSION = 1;

    private final String rule;
    private final boolean raised;
    private final String subject;
    private final String metric;
    private final String direction;
    private final String view;
    private final double value;
    private final double bound;
    private final double clear;
    private final String unit;
    private final long windowSeconds;
    private final long atEpochSecond;
    private final long raisedEpochSecond;
    private final String agent;

    Alert(
        final String rule,
        final boolean raised,
        final String subject,
        final String metric,
        final String direction,
        final String view,
        final double value,
        final double bound,
        final double clear,
        final String unit,
        final long windowSeconds,
        final long atEpochSecond,
        final long raisedEpochSecond,
        final String agent)
    {
        this.rule = rule;
        this.raised = raised;
        this.subject = subject;
        this.metric = metric;
        this.direction = direction;
        this.view = view;
        this.value = value;
        this.bound = bound;
        this.clear = clear;
        this.unit = unit;
        this.windowSeconds = windowSeconds;
        this.atEpochSecond = atEpochSecond;
        this.raisedEpochSecond = raisedEpochSecond;
        this.agent = agent;
    }

    /**
     * Name of the rule that changed state.
     *
     * @return the rule's name as written in the rules file.
     */
    public String rule()
    {
        return rule;
    }

    /**
     * Whether this is a raise ({@code "raised"}) or a clear ({@code "cleared"}).
     *
     * @return the state's name.
     */
    public String state()
    {
        return raised ? "raised" : "cleared";
    }

    /**
     * Whether the alert was raised, rather than cleared.
     *
     * @return true for a raise.
     */
    public boolean isRaised()
    {
        return raised;
    }

    /**
     * What the alert is about: a host's address, a network ({@code 10.0.0.0/24}) or {@code capture}.
     *
     * @return the subject's text.
     */
    public String subject()
    {
        return subject;
    }

    /**
     * What was measured: {@code rate}, {@code new-peers}, {@code drops}, {@code malformed} or {@code silent}.
     *
     * @return the metric's name.
     */
    public String metric()
    {
        return metric;
    }

    /**
     * Which traffic counted: {@code in}, {@code out} or {@code both}.
     *
     * @return the direction's name.
     */
    public String direction()
    {
        return direction;
    }

    /**
     * The view whose rows were read, or an empty string for capture-wide metrics.
     *
     * @return the view's name.
     */
    public String view()
    {
        return view;
    }

    /**
     * The measured value when the state changed, in {@link #unit()}.
     *
     * @return the value.
     */
    public double value()
    {
        return value;
    }

    /**
     * The bound the value rose above to raise the alert, in {@link #unit()}.
     *
     * @return the bound.
     */
    public double bound()
    {
        return bound;
    }

    /**
     * The level at or below which the alert clears, in {@link #unit()}.
     *
     * @return the clear level.
     */
    public double clear()
    {
        return clear;
    }

    /**
     * Unit of the value, bound and clear level: {@code bit/s}, {@code peers/min}, {@code frames} or {@code s}.
     *
     * @return the unit.
     */
    public String unit()
    {
        return unit;
    }

    /**
     * Length of the window the value was measured over, in seconds.
     *
     * @return the window.
     */
    public long windowSeconds()
    {
        return windowSeconds;
    }

    /**
     * When the state changed: the end of the bucket that changed it, seconds since the Unix epoch.
     *
     * @return the time.
     */
    public long atEpochSecond()
    {
        return atEpochSecond;
    }

    /**
     * When the alert was raised, seconds since the Unix epoch; equal to {@link #atEpochSecond()} for a raise.
     *
     * @return the time.
     */
    public long raisedEpochSecond()
    {
        return raisedEpochSecond;
    }

    /**
     * The analyzer's agent name.
     *
     * @return the name.
     */
    public String agent()
    {
        return agent;
    }

    /**
     * One line for people: {@code raised big-out: 10.0.0.5 out rate 62.5 Mbit/s > 50 Mbit/s over 60s}.
     *
     * @return the text.
     */
    public String message()
    {
        final StringBuilder sb = new StringBuilder(state()).append(' ').append(rule).append(": ").append(subject);
        if (!"capture".equals(subject))
        {
            sb.append(' ').append(direction);
        }
        sb.append(' ').append(metric).append(' ').append(human(value))
            .append(raised ? " > " : " <= ").append(human(raised ? bound : clear))
            .append(" over ").append(windowSeconds).append('s');
        return sb.toString();
    }

    /**
     * The webhook's JSON document: one object, fields as in docs/alerts.md, times as ISO-8601 UTC and epoch seconds.
     *
     * @return the JSON text.
     */
    public String toJson()
    {
        final StringBuilder sb = new StringBuilder(256).append('{');
        for (final Map.Entry<String, Object> field : fields().entrySet())
        {
            if (sb.length() > 1)
            {
                sb.append(',');
            }
            string(sb, field.getKey()).append(':');
            final Object v = field.getValue();
            if (v instanceof String)
            {
                string(sb, (String)v);
            }
            else
            {
                sb.append(v);
            }
        }
        return sb.append('}').toString();
    }

    /**
     * The alert as environment variables for a command: {@code TRAFFIC_ALERT_RULE}, ..., {@code TRAFFIC_ALERT_JSON}.
     *
     * @return the variables, in a stable order.
     */
    public Map<String, String> environment()
    {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final Map.Entry<String, Object> field : fields().entrySet())
        {
            env.put("TRAFFIC_ALERT_" + field.getKey().toUpperCase(Locale.ROOT), String.valueOf(field.getValue()));
        }
        env.put("TRAFFIC_ALERT_JSON", toJson());
        return env;
    }

    private Map<String, Object> fields()
    {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("version", JSON_VERSION);
        f.put("rule", rule);
        f.put("state", state());
        f.put("subject", subject);
        f.put("metric", metric);
        f.put("direction", direction);
        f.put("view", view);
        f.put("value", number(value));
        f.put("bound", number(bound));
        f.put("clear", number(clear));
        f.put("unit", unit);
        f.put("window_seconds", windowSeconds);
        f.put("at", Instant.ofEpochSecond(atEpochSecond).toString());
        f.put("at_epoch_second", atEpochSecond);
        f.put("raised_at", Instant.ofEpochSecond(raisedEpochSecond).toString());
        f.put("raised_at_epoch_second", raisedEpochSecond);
        f.put("agent", agent);
        f.put("message", message());
        return f;
    }

    /**
     * Equal rule, state, subject, values and times.
     *
     * @param o the other object.
     * @return true when equal.
     */
    public boolean equals(final Object o)
    {
        return o instanceof Alert && toJson().equals(((Alert)o).toJson());
    }

    /**
     * Hash of the JSON document.
     *
     * @return the hash.
     */
    public int hashCode()
    {
        return toJson().hashCode();
    }

    /**
     * The {@link #message()}, for logs.
     *
     * @return the text.
     */
    public String toString()
    {
        return message();
    }

    // an integral value as an integer (exact in JSON), else the shortest decimal that reads back the same
    private static Object number(final double v)
    {
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53)
        {
            return (long)v;
        }
        return Double.isFinite(v) ? (Object)v : (Object)0L;
    }

    private String human(final double v)
    {
        if (!"bit/s".equals(unit))
        {
            return number(v) + " " + unit;
        }
        final String[] prefixes = { "", "k", "M", "G", "T" };
        double scaled = v;
        int p = 0;
        while (Math.abs(scaled) >= 1000 && p < prefixes.length - 1)
        {
            scaled /= 1000;
            p++;
        }
        return new BigDecimal(scaled).round(new MathContext(5)).stripTrailingZeros().toPlainString() + ' ' +
            prefixes[p] + "bit/s";
    }

    private static StringBuilder string(final StringBuilder sb, final String text)
    {
        return JsonText.appendQuoted(sb, text);
    }
}
