package io.trafficanalyzer.core;

/**
 * Layout of the records an aggregator shard writes to its ring buffer towards the flush agent, in native byte
 * order: a row record ({@link #ROW_MSG_TYPE_ID}) is one row of one view of a sealed bucket, in the layout of
 * {@link io.trafficanalyzer.core.sink.BucketRow}; a bucket-end record ({@link #BUCKET_END_MSG_TYPE_ID}) follows the
 * rows of each sealed bucket:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Bucket start, seconds since the epoch (64)      |  0
 *  +---------------------------------------------------------------+
 *  |               Packets folded into "other" rows (64)           |  8
 *  +---------------------------------------------------------------+
 * </pre>
 * An end-of-stream record ({@link #END_OF_STREAM_MSG_TYPE_ID}) follows the last bucket.
 */
final class RowRecordDescriptor
{
    static final int ROW_MSG_TYPE_ID = 1;
    static final int BUCKET_END_MSG_TYPE_ID = 2;
    static final int END_OF_STREAM_MSG_TYPE_ID = 3;

    static final int BUCKET_START_OFFSET = 0;
    static final int FOLDED_COUNT_OFFSET = 8;
    static final int BUCKET_END_LENGTH = 16;
    static final int END_OF_STREAM_LENGTH = 8;

    private RowRecordDescriptor()
    {
    }
}
