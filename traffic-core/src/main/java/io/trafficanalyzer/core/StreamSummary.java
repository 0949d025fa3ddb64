package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureStream;

/**
 * What one capture stream (a file, a live run) brought to the analyzer: the time span its frames covered and how
 * much of them was counted. The figures of the stream being read grow as it is read; they are final once
 * {@link #ended()}.
 *
 * @param stream           the stream.
 * @param firstTimestampNs earliest frame timestamp, nanoseconds since the epoch; {@link Long#MIN_VALUE} without
 *                         frames.
 * @param lastTimestampNs  latest frame timestamp, nanoseconds since the epoch; {@link Long#MIN_VALUE} without
 *                         frames.
 * @param frames           frames read, IP or not.
 * @param packets          IP packets counted.
 * @param bytes            IP bytes of those packets.
 * @param latePackets      IP packets that arrived after their bucket was sealed, counted in contributions of their
 *                         own.
 * @param ended            whether the stream has ended: a later stream began, or the source ended.
 */
public record StreamSummary(
    CaptureStream stream,
    long firstTimestampNs,
    long lastTimestampNs,
    long frames,
    long packets,
    long bytes,
    long latePackets,
    boolean ended)
{
}
