package io.trafficanalyzer.sqlite;

import java.time.Instant;

/**
 * One stored alert, raised or cleared, as the {@code alert_history} view shows it.
 *
 * @param at            when the state changed (the end of the bucket that changed it).
 * @param agent         the analyzer that raised it.
 * @param rule          the rule's name.
 * @param state         {@code raised} or {@code cleared}.
 * @param subject       a host's address, a network, or {@code capture}.
 * @param metric        {@code rate}, {@code new-peers}, {@code drops}, {@code malformed} or {@code silent}.
 * @param direction     {@code in}, {@code out}, {@code both}, or empty for capture-wide metrics.
 * @param view          the view read, or empty for capture-wide metrics.
 * @param value         the measured value, in the unit.
 * @param bound         the bound it rose above, in the unit.
 * @param clear         the level at or below which it clears, in the unit.
 * @param unit          {@code bit/s}, {@code peers/min}, {@code frames} or {@code s}.
 * @param windowSeconds the window measured over.
 * @param raisedAt      when the alert was raised; equal to at for a raise.
 */
public record StoredAlert(
    Instant at,
    String agent,
    String rule,
    String state,
    String subject,
    String metric,
    String direction,
    String view,
    double value,
    double bound,
    double clear,
    String unit,
    long windowSeconds,
    Instant raisedAt)
{
}
