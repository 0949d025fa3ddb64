/**
 * The command-line tool ({@code replay}, {@code capture}, {@code top}, {@code report}, {@code interfaces}) and
 * the examples of embedding the analyzer and extending it through its SPI.
 */
package io.trafficanalyzer.examples;
