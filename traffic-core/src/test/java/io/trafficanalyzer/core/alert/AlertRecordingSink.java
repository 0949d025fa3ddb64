package io.trafficanalyzer.core.alert;

import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

// A sink that stores alerts, as the SQLite sink does: counts the buckets it commits and keeps every alert.
final class AlertRecordingSink implements StatsSink, AlertAction
{
    final List<Alert> alerts = new CopyOnWriteArrayList<>();
    final AtomicInteger buckets = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();

    public void onAlert(final Alert alert)
    {
        threads.add(Thread.currentThread().getName());
        alerts.add(alert);
    }

    public void onBatchStart(final StatsBatch batch)
    {
    }

    public void onRow(final StatsRow row)
    {
    }

    public void onBatchEnd(final StatsBatch batch)
    {
        buckets.incrementAndGet();
    }
}
