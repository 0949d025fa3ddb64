/**
 * Self-metrics of the pipeline: the {@link io.trafficanalyzer.core.status.TrafficCounter} descriptors and the
 * {@link io.trafficanalyzer.core.status.TrafficCounters} that hold their values, readable at any time.
 */
package io.trafficanalyzer.core.status;
