package io.trafficanalyzer.sqlite;

/**
 * The data-quality figures of a time range, summed over its stored buckets.
 *
 * @param buckets        stored buckets (at whatever granularity is kept) whose start is in the range.
 * @param frames         frames read.
 * @param packets        decoded IP packets, local and transit.
 * @param bytes          bytes of the decoded IP packets.
 * @param transitPackets packets between two remote hosts.
 * @param transitBytes   bytes of the transit packets.
 * @param nonIp          well-formed frames that carry no IP packet.
 * @param malformed      frames skipped as malformed, all reasons.
 * @param latePackets    packets counted in a later bucket because theirs was sealed.
 * @param ringDrops      frames dropped because a ring buffer was full.
 * @param kernelDrops    frames the kernel or capture mechanism dropped.
 * @param foldedKeys     keys folded into a host's "other" row.
 * @param complete       true when no bucket of the range lost packets (also for an empty range).
 */
public record TrafficTotals(
    long buckets,
    long frames,
    long packets,
    long bytes,
    long transitPackets,
    long transitBytes,
    long nonIp,
    long malformed,
    long latePackets,
    long ringDrops,
    long kernelDrops,
    long foldedKeys,
    boolean complete)
{
}
