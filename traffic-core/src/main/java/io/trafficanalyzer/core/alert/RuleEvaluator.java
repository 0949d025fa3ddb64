package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.alert.AlertRule.Metric;
import io.trafficanalyzer.core.alert.AlertRule.Subject;
import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.SealedBucket;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The state of one rule: the amounts of the buckets inside its window per subject key (a host, a network, or the
 * capture), the peers and last-seen times it remembers, and each key's alert state. On each sealed bucket it adds
 * the bucket's amounts, measures every key, and returns the raises and clears.
 * <p>
 * Time is bucket time (the packets' timestamps), so replaying a capture raises the same alerts as capturing it.
 * Single-threaded: the flush agent's thread.
 */
final class RuleEvaluator
{
    /** How long a host remembers a peer: one it has not seen for longer is new again. */
    static final long REMEMBER_PEER_SECONDS = 3600;

    private static final String CAPTURE_KEY = "capture";
    private static final long NEVER = Long.MIN_VALUE;

    private final AlertRule rule;
    private final TreeMap<Long, Map<String, Long>> slots = new TreeMap<>();
    private final Map<String, KeyState> states = new TreeMap<>();
    private final Map<String, Map<Address, Long>> peers = new HashMap<>();
    private final Map<String, Long> lastSeen = new TreeMap<>();
    private long now = NEVER;
    private String agent = "";

    private record Address(long hi, long lo)
    {
    }

    private static final class KeyState
    {
        boolean raised;
        long raisedAt = NEVER;
        long lastRaisedAt = NEVER;
    }

    RuleEvaluator(final AlertRule rule)
    {
        this.rule = rule;
    }

    AlertRule rule()
    {
        return rule;
    }

    /*
     * Adds the bucket and appends the alerts it raises or clears, in key order. Returns the raises it held back for
     * the repeat interval.
     */
    int onBucket(final SealedBucket bucket, final List<Alert> alerts)
    {
        final long start = bucket.startEpochSecond();
        final long end = bucket.endEpochSecond();
        agent = bucket.agent();
        if (NEVER == now)
        {
            // a watched host or network that never shows up has been silent since the first bucket
            if (Metric.SILENT == rule.metric() && Subject.EACH_HOST != rule.subject())
            {
                lastSeen.put(fixedKey(), start);
            }
        }
        now = Math.max(now, end);

        final Map<String, Long> amounts = slots.computeIfAbsent(start, (s) -> new TreeMap<>());
        measure(bucket, amounts);

        final int width = bucket.widthSeconds();
        final long span = rule.windowSeconds() > 0 ? (rule.windowSeconds() + width - 1) / width * width : width;
        slots.headMap(now - span, false).clear();

        final TreeSet<String> keys = new TreeSet<>(states.keySet());
        if (Metric.SILENT == rule.metric())
        {
            keys.addAll(lastSeen.keySet());
        }
        else
        {
            for (final Map<String, Long> slot : slots.values())
            {
                keys.addAll(slot.keySet());
            }
        }

        int suppressed = 0;
        for (final String key : keys)
        {
            final double value = value(key, span);
            final KeyState state = states.computeIfAbsent(key, (k) -> new KeyState());
            if (!state.raised && value > rule.bound())
            {
                if (NEVER != state.lastRaisedAt && now - state.lastRaisedAt < rule.repeatSeconds())
                {
                    suppressed++;
                }
                else
                {
                    state.raised = true;
                    state.raisedAt = now;
                    state.lastRaisedAt = now;
                    alerts.add(alert(key, true, value, span, now));
                }
            }
            else if (state.raised && value <= rule.clear())
            {
                state.raised = false;
                alerts.add(alert(key, false, value, span, state.raisedAt));
            }
        }

        forget();
        return suppressed;
    }

    private void measure(final SealedBucket bucket, final Map<String, Long> amounts)
    {
        switch (rule.metric())
        {
            case DROPS:
                add(amounts, CAPTURE_KEY, bucket.quality().ringDrops() + bucket.quality().kernelDrops());
                return;

            case MALFORMED:
                long malformed = 0;
                for (int i = 0; i < FrameOutcome.count(); i++)
                {
                    final FrameOutcome outcome = FrameOutcome.get(i);
                    if (outcome.isMalformed())
                    {
                        malformed += bucket.quality().frames(outcome);
                    }
                }
                add(amounts, CAPTURE_KEY, malformed);
                return;

            default:
                break;
        }

        final int view = bucket.views().indexOf(rule.view());
        final long start = bucket.startEpochSecond();
        final long end = bucket.endEpochSecond();
        for (int row = 0, rows = bucket.rowCount(); row < rows; row++)
        {
            if (bucket.viewIndex(row) != view)
            {
                continue;
            }
            final long hi = bucket.hostHi(row);
            final long lo = bucket.hostLo(row);
            if (!rule.matches(hi, lo))
            {
                continue;
            }
            final long bytes = rule.direction().of(bucket.inBytes(row), bucket.outBytes(row));
            final String key = Subject.EACH_HOST == rule.subject() ? IpAddresses.format(hi, lo) : fixedKey();
            switch (rule.metric())
            {
                case RATE:
                    add(amounts, key, bytes);
                    break;

                case NEW_PEERS:
                    if (bytes > 0 && !bucket.isFolded(row))
                    {
                        final Map<Address, Long> known = peers.computeIfAbsent(key, (k) -> new HashMap<>());
                        final Long seen = known.put(new Address(bucket.peerHi(row), bucket.peerLo(row)), end);
                        final boolean isNew = null == seen || seen < start - REMEMBER_PEER_SECONDS;
                        add(amounts, key, isNew ? 1 : 0);
                    }
                    break;

                default:
                    if (bytes > 0)
                    {
                        lastSeen.merge(key, end, Math::max);
                    }
                    break;
            }
        }
    }

    private double value(final String key, final long span)
    {
        if (Metric.SILENT == rule.metric())
        {
            final Long seen = lastSeen.get(key);
            return null == seen ? 0 : now - seen;
        }

        long sum = 0;
        for (final Map<String, Long> slot : slots.values())
        {
            sum += slot.getOrDefault(key, 0L);
        }
        switch (rule.metric())
        {
            case RATE:
                return sum * 8.0 / span;
            case NEW_PEERS:
                return sum * 60.0 / span;
            default:
                return sum;
        }
    }

    private Alert alert(final String key, final boolean raised, final double value, final long span, final long since)
    {
        final boolean capture = Subject.CAPTURE == rule.subject();
        return new Alert(rule.name(), raised, key, rule.metric().label(), capture ? "" : rule.direction().label(),
            capture ? "" : rule.view(), value, rule.bound(), rule.clear(), rule.metric().unit(),
            Metric.SILENT == rule.metric() ? rule.windowSeconds() : span, now, since, agent);
    }

    private String fixedKey()
    {
        switch (rule.subject())
        {
            case HOST:
                return IpAddresses.format(rule.host()[0], rule.host()[1]);
            case NETWORK:
                return rule.subjectText();
            default:
                return CAPTURE_KEY;
        }
    }

    /*
     * Bounds the memory: keys that are clear and past their repeat interval, and peers not seen for the remembering
     * time, are dropped.
     */
    private void forget()
    {
        final Iterator<Map.Entry<String, KeyState>> it = states.entrySet().iterator();
        while (it.hasNext())
        {
            final KeyState state = it.next().getValue();
            if (!state.raised && (NEVER == state.lastRaisedAt || now - state.lastRaisedAt >= rule.repeatSeconds()))
            {
                it.remove();
            }
        }
        if (Metric.NEW_PEERS == rule.metric())
        {
            for (final Iterator<Map<Address, Long>> known = peers.values().iterator(); known.hasNext(); )
            {
                final Map<Address, Long> map = known.next();
                map.values().removeIf((seen) -> seen < now - REMEMBER_PEER_SECONDS);
                if (map.isEmpty())
                {
                    known.remove();
                }
            }
        }
    }

    private static void add(final Map<String, Long> amounts, final String key, final long amount)
    {
        amounts.merge(key, amount, Long::sum);
    }
}
