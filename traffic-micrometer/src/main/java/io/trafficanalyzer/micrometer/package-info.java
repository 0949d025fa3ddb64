/**
 * The analyzer's counters in a Micrometer registry ({@link io.trafficanalyzer.micrometer.TrafficMeterBinder}).
 */
package io.trafficanalyzer.micrometer;
