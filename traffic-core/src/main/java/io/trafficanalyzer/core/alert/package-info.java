/**
 * Thresholds and alerts evaluated on each sealed bucket: {@link io.trafficanalyzer.core.alert.AlertRules} parsed
 * from a small rules file, the {@link io.trafficanalyzer.core.alert.AlertMonitor} that evaluates them off the packet
 * path, and the {@link io.trafficanalyzer.core.alert.Alert} each raise or clear hands to its actions.
 */
package io.trafficanalyzer.core.alert;
