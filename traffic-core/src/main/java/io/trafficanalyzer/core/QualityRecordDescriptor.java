package io.trafficanalyzer.core;

import io.trafficanalyzer.core.sink.QualityFigures;

/**
 * Layout of the records the capture agent writes to the flush agent, in native byte order: one quality record
 * ({@link #QUALITY_MSG_TYPE_ID}) per sealed contribution, then an end-of-stream record. A quality record names the
 * contribution: the bucket, the index of its capture stream in the pipeline's stream registry and its part (0 for
 * the bucket as sealed, higher for a group of late packets).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |               Bucket start, seconds since the epoch (64)      |  0
 *  +---------------------------------------------------------------+
 *  |               Seal time, clock nanoseconds (64)               |  8
 *  +-------------------------------+-------------------------------+
 *  |         Stream index          |             Part              | 16
 *  +-------------------------------+-------------------------------+
 *  |       QualityFigures.LENGTH counts, 64 bits each              | 24
 *  |                             ...                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class QualityRecordDescriptor
{
    static final int QUALITY_MSG_TYPE_ID = 1;
    static final int END_OF_STREAM_MSG_TYPE_ID = 3;

    static final int BUCKET_START_OFFSET = 0;
    static final int SEAL_TIME_OFFSET = 8;
    static final int STREAM_INDEX_OFFSET = 16;
    static final int PART_OFFSET = 20;
    static final int FIGURES_OFFSET = 24;
    static final int QUALITY_LENGTH = FIGURES_OFFSET + QualityFigures.LENGTH * Long.BYTES;
    static final int END_OF_STREAM_LENGTH = 8;

    private QualityRecordDescriptor()
    {
    }

    static int figureOffset(final int index)
    {
        return FIGURES_OFFSET + index * Long.BYTES;
    }
}
