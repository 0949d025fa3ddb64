/**
 * Self-metrics and diagnostics of the pipeline: the {@link io.trafficanalyzer.core.status.TrafficCounter} descriptors,
 * the {@link io.trafficanalyzer.core.status.TrafficCounters} that hold their values, readable at any time, and
 * {@link io.trafficanalyzer.core.status.SafeText}, which escapes outside text for log lines and messages.
 */
package io.trafficanalyzer.core.status;
