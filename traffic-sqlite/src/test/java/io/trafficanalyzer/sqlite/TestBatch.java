package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.capture.CaptureStream;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.List;

/*
 * A contribution the tests replay through a sink, under the batch contract: by default part 0 of the stream STREAM
 * of the agent AGENT.
 */
record TestBatch(
    String agent,
    CaptureStream stream,
    int part,
    long startEpochSecond,
    int widthSeconds,
    TestQuality quality,
    List<TestRow> rows) implements StatsBatch
{
    static final String AGENT = "test-agent";
    static final CaptureStream STREAM = new CaptureStream("run:test", "test");

    TestBatch(final long startEpochSecond, final int widthSeconds, final TestQuality quality, final List<TestRow> rows)
    {
        this(AGENT, STREAM, 0, startEpochSecond, widthSeconds, quality, rows);
    }

    /* The same rows and figures as another stream's contribution. */
    TestBatch of(final CaptureStream other)
    {
        return new TestBatch(agent, other, part, startEpochSecond, widthSeconds, quality, rows);
    }

    /* The same rows and figures as another agent's. */
    TestBatch of(final String otherAgent)
    {
        return new TestBatch(otherAgent, stream, part, startEpochSecond, widthSeconds, quality, rows);
    }

    /* The same rows and figures as another part. */
    TestBatch part(final int otherPart)
    {
        return new TestBatch(agent, stream, otherPart, startEpochSecond, widthSeconds, quality, rows);
    }

    static CaptureStream file(final String name)
    {
        return new CaptureStream(CaptureStream.FILE_PREFIX + name, name);
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
