package io.trafficanalyzer.sqlite;

/**
 * What a {@link SqliteSink} counts, across the files it reopens: batches written, replaced, merged late, skipped and
 * dropped, rows written and ignored, maintenance failures, reopens and other writers' commits seen. Written by the
 * sink's delivery thread only, so an increment needs no atomic; read from any thread.
 */
final class SinkCounters
{
    private volatile long batchesWritten;
    private volatile long batchesReplaced;
    private volatile long lateBatchesMerged;
    private volatile long batchesSkipped;
    private volatile long batchesDropped;
    private volatile long rowsWritten;
    private volatile long unknownViewRows;
    private volatile long maintenanceFailures;
    private volatile long reopens;
    private volatile long othersCommitted;
    private volatile long spacePrunesOfClosedFiles;

    void onWritten(final long batches, final long rows)
    {
        batchesWritten += batches;
        rowsWritten += rows;
    }

    void onReplaced(final int contributions)
    {
        batchesReplaced += contributions;
    }

    void onLateMerged()
    {
        lateBatchesMerged++;
    }

    void onSkipped()
    {
        batchesSkipped++;
    }

    void onDropped()
    {
        batchesDropped++;
    }

    void onUnknownViewRow()
    {
        unknownViewRows++;
    }

    void onMaintenanceFailure()
    {
        maintenanceFailures++;
    }

    void onReopen()
    {
        reopens++;
    }

    void onOthersCommitted()
    {
        othersCommitted++;
    }

    /*
     * A file was closed: its prunes for space stay counted after its Retention is gone.
     */
    void onClosed(final long spacePrunes)
    {
        spacePrunesOfClosedFiles += spacePrunes;
    }

    long batchesWritten()
    {
        return batchesWritten;
    }

    long batchesReplaced()
    {
        return batchesReplaced;
    }

    long lateBatchesMerged()
    {
        return lateBatchesMerged;
    }

    long batchesSkipped()
    {
        return batchesSkipped;
    }

    long batchesDropped()
    {
        return batchesDropped;
    }

    long rowsWritten()
    {
        return rowsWritten;
    }

    long unknownViewRows()
    {
        return unknownViewRows;
    }

    long maintenanceFailures()
    {
        return maintenanceFailures;
    }

    long reopens()
    {
        return reopens;
    }

    long othersCommitted()
    {
        return othersCommitted;
    }

    long spacePrunesOfClosedFiles()
    {
        return spacePrunesOfClosedFiles;
    }
}
