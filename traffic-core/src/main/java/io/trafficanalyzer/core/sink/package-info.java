/**
 * The sink SPI: {@link io.trafficanalyzer.core.sink.StatsSink} receives each sealed bucket as a
 * {@link io.trafficanalyzer.core.sink.StatsBatch} under the batch contract (start, rows, end).
 */
package io.trafficanalyzer.core.sink;
