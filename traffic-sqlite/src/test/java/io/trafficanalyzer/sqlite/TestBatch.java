package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.List;

/*
 * A bucket the tests replay through a sink, under the batch contract.
 */
record TestBatch(long startEpochSecond, int widthSeconds, TestQuality quality, List<TestRow> rows)
    implements StatsBatch
{
    static final CaptureStream STREAM = new CaptureStream("run:test", "test");

    public String agent()
    {
        return "test-agent";
    }

    public CaptureStream stream()
    {
        return STREAM;
    }

    public int part()
    {
        return 0;
    }

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
