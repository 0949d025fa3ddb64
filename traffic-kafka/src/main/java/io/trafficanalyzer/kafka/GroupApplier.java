package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.status.Logging;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The sink side of a {@link KafkaCollector}: hands the sink the assembler's ready sub-batches a group at a time (one
 * store transaction), marks them applied only once the sink committed them, and backs off, doubling, while the sink
 * fails. Used by the collector's thread only; its counters are readable from any thread.
 */
final class GroupApplier
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.kafka");

    private final StatsSink sink;
    private final BatchAssembler assembler;
    private final long sliceNs;
    private final long minBackoffNs;
    private final long maxBackoffNs;
    private final long maxGroupRows;
    private final SubBatch[] group;
    private long backoffNs;
    private long nextAttemptNs;
    private volatile long batchesApplied;
    private volatile long rowsApplied;
    private volatile long sinkFailures;

    GroupApplier(
        final StatsSink sink,
        final BatchAssembler assembler,
        final long sliceNs,
        final long minBackoffNs,
        final long maxBackoffNs,
        final long maxGroupRows,
        final int maxGroupBatches)
    {
        this.sink = sink;
        this.assembler = assembler;
        this.sliceNs = sliceNs;
        this.minBackoffNs = minBackoffNs;
        this.maxBackoffNs = Math.max(minBackoffNs, maxBackoffNs);
        this.maxGroupRows = maxGroupRows;
        this.group = new SubBatch[maxGroupBatches];
        this.backoffNs = this.minBackoffNs;
    }

    /**
     * Apply ready groups for up to one slice of time.
     *
     * @param now {@link System#nanoTime()}.
     * @return false while the sink is failing and waits for its next attempt, true otherwise.
     */
    boolean applyReady(final long now)
    {
        // a long backlog is applied a slice at a time, so that offsets follow what the sink took
        final long until = now + sliceNs;
        while (assembler.hasReady())
        {
            if (now - nextAttemptNs < 0)
            {
                return false;
            }

            final int count = collectGroup();
            int stored = 0;
            boolean held = false;
            try
            {
                held = sink.onGroupStart();
                for (int i = 0; i < count; i++)
                {
                    group[i].deliverTo(sink);
                    if (!held)
                    {
                        // the sink committed this batch alone: its offsets may go now, and soon
                        applied(group[i]);
                        stored++;
                        if (System.nanoTime() - until >= 0)
                        {
                            break;
                        }
                    }
                }
                sink.onGroupEnd();
            }
            catch (final Exception ex)
            {
                sinkFailures++;
                LOGGER.log(System.Logger.Level.WARNING, "the sink failed to take " + describeGroup(stored, count) +
                    "; retrying in " + TimeUnit.NANOSECONDS.toMillis(backoffNs) + " ms: " + ex);
                nextAttemptNs = now + backoffNs;
                backoffNs = Math.min(maxBackoffNs, backoffNs * 2);
                Arrays.fill(group, 0, count, null);
                return false;
            }
            // only now, the store having committed the whole group, may its offsets be committed
            for (int i = 0; held && i < count; i++)
            {
                applied(group[i]);
            }
            Arrays.fill(group, 0, count, null);
            backoffNs = minBackoffNs;
            if (System.nanoTime() - until >= 0)
            {
                break;
            }
        }

        return true;
    }

    long batchesApplied()
    {
        return batchesApplied;
    }

    long rowsApplied()
    {
        return rowsApplied;
    }

    long sinkFailures()
    {
        return sinkFailures;
    }

    /*
     * The oldest ready sub-batches, in order, up to the group's row and batch limits but at least one.
     */
    private int collectGroup()
    {
        int count = 0;
        long rows = 0;
        final Iterator<SubBatch> ready = assembler.readyBatches();
        while (ready.hasNext() && count < group.length)
        {
            final SubBatch batch = ready.next();
            if (count > 0 && rows + batch.rowCount() > maxGroupRows)
            {
                break;
            }
            group[count++] = batch;
            rows += batch.rowCount();
        }

        return count;
    }

    private String describeGroup(final int from, final int count)
    {
        if (from >= count)
        {
            return "the end of a group";
        }
        return count - from == 1 ? String.valueOf(group[from]) : count - from + " batches from " + group[from];
    }

    private void applied(final SubBatch batch)
    {
        assembler.applied(batch);
        batchesApplied++;
        rowsApplied += batch.rowCount();
    }
}
