package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.List;

/*
 * A bucket the tests replay through a sink, under the batch contract.
 */
record TestBatch(long startEpochSecond, int widthSeconds, TestQuality quality, List<TestRow> rows)
    implements StatsBatch
{
    public int rowCount()
    {
        return rows.size();
    }

    void writeTo(final StatsSink sink) throws Exception
    {
        sink.onBatchStart(this);
        for (final TestRow row : rows)
        {
            sink.onRow(row);
        }
        sink.onBatchEnd(this);
    }
}
