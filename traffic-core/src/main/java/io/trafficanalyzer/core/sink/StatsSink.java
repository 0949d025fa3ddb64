package io.trafficanalyzer.core.sink;

/**
 * Receives the statistics of each sealed bucket, under the batch contract: {@link #onBatchStart(StatsBatch)},
 * then {@link #onRow(StatsRow)} for every row of every view, then {@link #onBatchEnd(StatsBatch)}, which commits.
 * <p>
 * Calls come from the sink's own delivery thread, never from the packet path. When any call throws, the batch is
 * delivered again later, whole, from {@link #onBatchStart(StatsBatch)}. A batch is one contribution to a bucket
 * (see {@link StatsBatch}): a sink that keeps totals adds the batches of different identities (agent, stream, bucket
 * start, part) and makes a batch of an identity it has seen (a retry after an unknown outcome, the same file
 * replayed) replace, not add to, what that identity wrote. A batch wider than the pipeline's bucket (merged while
 * the sink was failing) stands for every part-0 contribution of its stream within its range.
 * The row and batch objects are reused: copy what must outlive the call.
 * <p>
 * Example, a sink that prints host totals:
 * <pre>{@code
 * public final class PrintSink implements StatsSink
 * {
 *     public void onBatchStart(final StatsBatch batch) { System.out.println("bucket " + batch.startEpochSecond()); }
 *     public void onRow(final StatsRow row)
 *     {
 *         if (row.view().equals(StatsRow.HOSTS))
 *         {
 *             System.out.println(IpAddresses.format(row.hostHi(), row.hostLo()) + " " + row.inBytes());
 *         }
 *     }
 *     public void onBatchEnd(final StatsBatch batch) { System.out.flush(); }
 * }
 * }</pre>
 */
public interface StatsSink extends AutoCloseable
{
    /**
     * A bucket begins.
     *
     * @param batch the bucket's time range and data-quality figures.
     * @throws Exception to have the whole batch retried later.
     */
    void onBatchStart(StatsBatch batch) throws Exception;

    /**
     * One row of one view of the current batch.
     *
     * @param row the row, valid only during this call.
     * @throws Exception to have the whole batch retried later.
     */
    void onRow(StatsRow row) throws Exception;

    /**
     * The bucket ends: commit what was received since {@link #onBatchStart(StatsBatch)}.
     *
     * @param batch the same batch as at the start.
     * @throws Exception to have the whole batch retried later.
     */
    void onBatchEnd(StatsBatch batch) throws Exception;

    /**
     * Several batches follow, each under the batch contract, that the sink may store together in one commit at
     * {@link #onGroupEnd()} instead of one at each {@link #onBatchEnd(StatsBatch)}. A sink that does so returns true:
     * the caller then counts the group's batches stored only once {@link #onGroupEnd()} returned, and when any call of
     * the group throws it delivers the whole group again, from here, so the sink must keep none or all of it. The
     * default returns false: each batch is stored at its own {@link #onBatchEnd(StatsBatch)}, as outside a group.
     *
     * @return true when the sink holds the group's batches until {@link #onGroupEnd()}.
     * @throws Exception to have the whole group retried later.
     */
    default boolean onGroupStart() throws Exception
    {
        return false;
    }

    /**
     * The group begun by {@link #onGroupStart()} ends: commit every batch ended since.
     *
     * @throws Exception to have the whole group retried later.
     */
    default void onGroupEnd() throws Exception
    {
    }

    /**
     * Release the sink's resources; called once, after the last batch.
     *
     * @throws Exception when closing fails; reported, never rethrown into the pipeline.
     */
    @Override
    default void close() throws Exception
    {
    }
}
