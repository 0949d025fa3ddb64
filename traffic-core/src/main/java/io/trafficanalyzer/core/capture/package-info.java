/**
 * Capture sources: the {@link io.trafficanalyzer.core.capture.CaptureSource} SPI and the pure-Java reader of
 * pcap and pcapng files.
 */
package io.trafficanalyzer.core.capture;
