/**
 * Examples of embedding the analyzer ({@code EmbeddingExample}) and of extending it through its SPI: a capture
 * source of one's own ({@code GeneratorSource}, which {@code CustomSourceExample} runs) and a sink
 * ({@code JsonLinesSink}). The command-line tool is in {@code io.trafficanalyzer.examples.cli}.
 */
package io.trafficanalyzer.examples;
