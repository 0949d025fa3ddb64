package io.trafficanalyzer.sqlite;

import java.time.Instant;

/**
 * One step of a host's time series: the traffic of the stored buckets that start within the step.
 *
 * @param start      start of the step (a multiple of the step since the epoch).
 * @param inBytes    bytes received.
 * @param inPackets  packets received.
 * @param outBytes   bytes sent.
 * @param outPackets packets sent.
 */
public record TrafficPoint(Instant start, long inBytes, long inPackets, long outBytes, long outPackets)
{
}
