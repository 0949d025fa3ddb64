package io.trafficanalyzer.core.status;

import io.trafficanalyzer.core.codec.FrameOutcome;

/**
 * The counters of a running analyzer, each an (id, label) descriptor; read their values with
 * {@link TrafficCounters#get(TrafficCounter)}.
 * <p>
 * Totals since the start, except {@link #FLUSH_LAG_NS} which is the latest value.
 */
public enum TrafficCounter
{
    /** Frames read from the source, whatever became of them. */
    FRAMES(0, "frames"),
    /** Decoded IP packets that were aggregated or counted as transit. */
    PACKETS(1, "packets"),
    /** Bytes of those packets. */
    BYTES(2, "bytes"),
    /** Well-formed frames that carry no IP packet. */
    NON_IP(3, "non_ip"),
    /** Malformed frames, all reasons together. */
    MALFORMED(4, "malformed"),
    /** Frames of a link type the decoder does not know. */
    MALFORMED_UNSUPPORTED_LINK_TYPE(5, "malformed_unsupported_link_type"),
    /** Frames ending inside their link-layer header. */
    MALFORMED_TRUNCATED_LINK_HEADER(6, "malformed_truncated_link_header"),
    /** Frames with a bad IP version. */
    MALFORMED_BAD_IP_VERSION(7, "malformed_bad_ip_version"),
    /** Frames with a bad IP header length. */
    MALFORMED_BAD_IP_HEADER_LENGTH(8, "malformed_bad_ip_header_length"),
    /** Frames ending inside the IP header. */
    MALFORMED_TRUNCATED_IP_HEADER(9, "malformed_truncated_ip_header"),
    /** Frames ending inside an IPv6 extension header. */
    MALFORMED_TRUNCATED_EXTENSION_HEADER(10, "malformed_truncated_extension_header"),
    /** Frames ending before the transport ports. */
    MALFORMED_TRUNCATED_TRANSPORT_HEADER(11, "malformed_truncated_transport_header"),
    /** IP packets between two remote hosts. */
    TRANSIT_PACKETS(12, "transit_packets"),
    /** Packets dropped because a ring buffer was full (live sources only). */
    RING_DROPS(13, "ring_drops"),
    /** Frames the capture mechanism dropped (e.g. the kernel's). */
    KERNEL_DROPS(14, "kernel_drops"),
    /** Packets that arrived after their bucket was sealed and went to a later one. */
    LATE_PACKETS(15, "late_packets"),
    /** Packet records folded into a host's "other" row because a view reached its key limit. */
    FOLDED(16, "folded"),
    /** Buckets sealed and merged across shards. */
    BUCKETS_SEALED(17, "buckets_sealed"),
    /** Batches handed to the sinks (one per bucket and sink). */
    BATCHES_FLUSHED(18, "batches_flushed"),
    /** Batches a sink committed. */
    BATCHES_DELIVERED(19, "batches_delivered"),
    /** Failed deliveries of a batch to a sink (each is retried). */
    SINK_FAILURES(20, "sink_failures"),
    /** Pending batches merged into a coarser one because a sink's queue was full. */
    SINK_MERGES(21, "sink_merges"),
    /** Batches a sink never received: its queue was full and could not merge, or it did not drain on close. */
    SINK_DROPS(22, "sink_drops"),
    /** Nanoseconds from the decision to seal the latest bucket to its hand-off to the sinks. */
    FLUSH_LAG_NS(23, "flush_lag_ns"),
    /** Errors reported to the error handler (source failures, listener failures, agent errors). */
    ERRORS(24, "errors"),
    /** Alerts raised by the alert rules. */
    ALERTS_RAISED(25, "alerts_raised"),
    /** Raised alerts that cleared. */
    ALERTS_CLEARED(26, "alerts_cleared"),
    /** Raises held back because the same alert was raised less than its repeat interval before. */
    ALERTS_SUPPRESSED(27, "alerts_suppressed"),
    /** Alert actions that failed or timed out (each is retried with back-off). */
    ALERT_ACTION_FAILURES(28, "alert_action_failures"),
    /** Alerts an action never completed: its queue was full, its retries ran out, or it was closed first. */
    ALERT_ACTION_DROPS(29, "alert_action_drops");

    private static final TrafficCounter[] VALUES = values();
    private static final TrafficCounter[] MALFORMED_BY_OUTCOME = new TrafficCounter[FrameOutcome.count()];

    static
    {
        for (final TrafficCounter counter : VALUES)
        {
            if (counter.id != counter.ordinal())
            {
                throw new IllegalStateException("id must equal ordinal: " + counter);
            }
        }

        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            final FrameOutcome outcome = FrameOutcome.get(i);
            if (outcome.isMalformed())
            {
                MALFORMED_BY_OUTCOME[i] = valueOf("MALFORMED_" + outcome.name());
            }
        }
    }

    private final int id;
    private final String label;

    TrafficCounter(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /**
     * Stable numeric id of the counter.
     *
     * @return the id.
     */
    public int id()
    {
        return id;
    }

    /**
     * Stable snake_case label of the counter, for logs and reports.
     *
     * @return the label.
     */
    public String label()
    {
        return label;
    }

    /**
     * The counter of a malformed-frame reason.
     *
     * @param outcome a malformed outcome ({@link FrameOutcome#isMalformed()}).
     * @return its counter, or null for {@link FrameOutcome#DECODED} and {@link FrameOutcome#NON_IP}.
     */
    public static TrafficCounter malformed(final FrameOutcome outcome)
    {
        return MALFORMED_BY_OUTCOME[outcome.ordinal()];
    }

    /**
     * Counter by id without allocating a values array.
     *
     * @param id the id.
     * @return the counter.
     */
    public static TrafficCounter get(final int id)
    {
        return VALUES[id];
    }

    /**
     * Number of counters.
     *
     * @return the count of constants.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
