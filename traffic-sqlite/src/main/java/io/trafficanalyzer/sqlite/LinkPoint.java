package io.trafficanalyzer.sqlite;

import java.time.Instant;

/**
 * One step of the whole link's time series, from the buckets' data-quality figures: every decoded IP packet, local
 * or transit, counted once.
 *
 * @param start    start of the step (a multiple of the step since the epoch).
 * @param packets  decoded IP packets.
 * @param bytes    bytes of those packets.
 * @param complete true when no bucket of the step lost packets (ring or kernel drops).
 */
public record LinkPoint(Instant start, long packets, long bytes, boolean complete)
{
}
