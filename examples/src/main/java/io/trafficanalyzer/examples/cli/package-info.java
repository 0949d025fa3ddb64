/**
 * The command-line tool ({@code replay}, {@code capture}, {@code collect}, {@code top}, {@code report},
 * {@code serve}, {@code interfaces}); {@code TrafficAnalyzerCommand} is its entry point, the jar's main class.
 */
package io.trafficanalyzer.examples.cli;
