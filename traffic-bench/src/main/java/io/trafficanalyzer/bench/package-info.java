/**
 * JMH benchmarks, one {@code *Benchmark} per subject, each with preallocated inputs; run from the shaded
 * {@code benchmarks.jar}.
 */
package io.trafficanalyzer.bench;
