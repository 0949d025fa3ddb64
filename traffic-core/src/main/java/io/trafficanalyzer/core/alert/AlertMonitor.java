package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.sink.BucketListener;
import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.status.TrafficCounter;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.ErrorHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates alert rules on each sealed bucket and hands each raise and clear to the rule's actions and to every
 * recorder (a store), each action on a thread of its own behind a bounded queue so that none can slow the pipeline.
 * <p>
 * {@code TrafficAnalyzer.Builder.alerts(AlertRules)} makes one and closes it with the analyzer; one made by hand is
 * added with {@code Builder.listener(...)} and closed by its maker.
 */
public final class AlertMonitor implements BucketListener, AutoCloseable
{
    /** Alerts an action's queue holds before it drops new ones. */
    public static final int QUEUE_CAPACITY = 1024;

    private final List<RuleEvaluator> evaluators = new ArrayList<>();
    private final Map<String, ActionWorker> workers = new HashMap<>();
    private final List<ActionWorker[]> ruleWorkers = new ArrayList<>();
    private final List<ActionWorker> recorders = new ArrayList<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final TrafficCounters counters;
    private boolean closed;

    /**
     * A monitor of the rules, its action threads started.
     *
     * @param rules     the rules and their actions.
     * @param views     the analyzer's views, which the rules' views must be among.
     * @param recorders told of every alert besides the rules' actions, e.g. stores; may be empty.
     * @param counters  where the alert counters go.
     * @param errorHandler told of each alert an action gave up on.
     * @throws AlertRulesException naming the rule's line when it reads a view the analyzer does not have.
     */
    public AlertMonitor(
        final AlertRules rules,
        final List<String> views,
        final List<AlertAction> recorders,
        final TrafficCounters counters,
        final ErrorHandler errorHandler)
    {
        this.counters = counters;
        for (final AlertRule rule : rules.rules())
        {
            if (null != rule.view() && !views.contains(rule.view()))
            {
                throw new AlertRulesException(rules.source(), rule.line(), "view " + rule.view() +
                    ": not a view of this analyzer (" + String.join(", ", views) + ")");
            }
        }

        for (final ActionSpec spec : rules.actions().values())
        {
            workers.put(spec.name(), new ActionWorker(spec.name(), action(spec), QUEUE_CAPACITY, spec.retries(),
                spec.backoffMs(), counters, errorHandler));
        }
        for (final AlertRule rule : rules.rules())
        {
            evaluators.add(new RuleEvaluator(rule));
            final ActionWorker[] notified = new ActionWorker[rule.actions().size()];
            for (int i = 0; i < notified.length; i++)
            {
                notified[i] = workers.get(rule.actions().get(i));
            }
            ruleWorkers.add(notified);
        }
        for (int i = 0; i < recorders.size(); i++)
        {
            this.recorders.add(new ActionWorker("recorder-" + i, recorders.get(i), QUEUE_CAPACITY,
                ActionSpec.DEFAULT_RETRIES, ActionSpec.DEFAULT_BACKOFF_MS, counters, errorHandler));
        }

        workers.values().forEach(ActionWorker::start);
        this.recorders.forEach(ActionWorker::start);
    }

    /**
     * Evaluate every rule on a sealed bucket and queue the alerts it raises or clears; never blocks.
     *
     * @param bucket the bucket.
     */
    public void onBucketSealed(final SealedBucket bucket)
    {
        for (int r = 0; r < evaluators.size(); r++)
        {
            alerts.clear();
            final int suppressed = evaluators.get(r).onBucket(bucket, alerts);
            if (suppressed > 0)
            {
                counters.addAtomic(TrafficCounter.ALERTS_SUPPRESSED, suppressed);
            }
            for (final Alert alert : alerts)
            {
                counters.addAtomic(alert.isRaised() ? TrafficCounter.ALERTS_RAISED : TrafficCounter.ALERTS_CLEARED, 1);
                for (final ActionWorker worker : ruleWorkers.get(r))
                {
                    worker.offer(alert);
                }
                for (final ActionWorker recorder : recorders)
                {
                    recorder.offer(alert);
                }
            }
        }
    }

    /**
     * Let the actions finish what is queued for up to the timeout, then stop them; alerts left are counted as dropped.
     *
     * @param timeout how long to wait for the queues to drain.
     */
    public void close(final Duration timeout)
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        final long deadlineNs = System.nanoTime() + Math.max(0, timeout.toNanos());
        for (final ActionWorker worker : workers.values())
        {
            worker.close(deadlineNs);
        }
        for (final ActionWorker recorder : recorders)
        {
            recorder.close(deadlineNs);
        }
    }

    /**
     * Close with a timeout of 5 seconds.
     */
    public void close()
    {
        close(Duration.ofSeconds(5));
    }

    private static AlertAction action(final ActionSpec spec)
    {
        switch (spec.kind())
        {
            case WEBHOOK:
                return new WebhookAction(spec.url(), spec.timeoutMs());
            case COMMAND:
                return new CommandAction(spec.command(), spec.timeoutMs());
            default:
                return new LogAction();
        }
    }
}
