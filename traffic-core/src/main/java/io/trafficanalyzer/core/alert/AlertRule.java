package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.classify.LocalNetworks;

import java.util.List;

/**
 * One parsed rule: what it watches (subject, view, direction, metric), its bound and clear level, its window and
 * repeat interval, and the actions it notifies. Immutable; made by {@link RuleParser}.
 *
 * @param name          the rule's name.
 * @param line          the line of the rules file it is on.
 * @param subject       what kind of subject it watches.
 * @param subjectText   the subject as written: an address, a network, "local" or "capture".
 * @param host          the host's {hi, lo} for {@link Subject#HOST}, else null.
 * @param network       the network for a network subject, null for every local host.
 * @param view          the view whose rows it reads, null for capture-wide metrics.
 * @param direction     which bytes count.
 * @param metric        what it measures.
 * @param bound         the value above which it raises.
 * @param clear         the value at or below which it clears.
 * @param windowSeconds the window, 0 for one bucket.
 * @param repeatSeconds the least time between two raises of one subject.
 * @param actions       the names of the actions it notifies.
 */
record AlertRule(
    String name,
    int line,
    Subject subject,
    String subjectText,
    long[] host,
    LocalNetworks network,
    String view,
    Direction direction,
    Metric metric,
    double bound,
    double clear,
    long windowSeconds,
    long repeatSeconds,
    List<String> actions)
{
    /** What a rule is about: one host, each host (of a network or every local one), a network as one, the capture. */
    enum Subject
    {
        HOST, EACH_HOST, NETWORK, CAPTURE
    }

    /** Which side's bytes count: received, sent, or both. */
    enum Direction
    {
        IN("in"), OUT("out"), BOTH("both");

        private final String label;

        Direction(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }

        long of(final long in, final long out)
        {
            switch (this)
            {
                case IN:
                    return in;
                case OUT:
                    return out;
                default:
                    return in + out;
            }
        }
    }

    /** What is measured and compared with the bound. */
    enum Metric
    {
        RATE("rate", "bit/s", "hosts"),
        NEW_PEERS("new-peers", "peers/min", "peers"),
        DROPS("drops", "frames", null),
        MALFORMED("malformed", "frames", null),
        SILENT("silent", "s", "hosts");

        private final String label;
        private final String unit;
        private final String defaultView;

        Metric(final String label, final String unit, final String defaultView)
        {
            this.label = label;
            this.unit = unit;
            this.defaultView = defaultView;
        }

        String label()
        {
            return label;
        }

        String unit()
        {
            return unit;
        }

        String defaultView()
        {
            return defaultView;
        }

        boolean needsHosts()
        {
            return null != defaultView;
        }
    }

    /**
     * Whether a local host is one this rule watches.
     *
     * @param hi upper 64 bits of the address.
     * @param lo lower 64 bits.
     * @return true when the host is the rule's host, inside its network, or any host for every local host.
     */
    boolean matches(final long hi, final long lo)
    {
        switch (subject)
        {
            case HOST:
                return host[0] == hi && host[1] == lo;
            case EACH_HOST:
            case NETWORK:
                return null == network || network.isLocal(hi, lo);
            default:
                return false;
        }
    }

    /**
     * Where the rule was written, for messages: {@code alerts.rules:3}.
     *
     * @param source the rules file's name.
     * @return the text.
     */
    String where(final String source)
    {
        return source + ':' + line;
    }
}
