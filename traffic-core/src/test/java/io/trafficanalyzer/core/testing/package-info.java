/**
 * Test utilities shared with the other modules' tests through the test jar: writers of pcap and pcapng files.
 */
package io.trafficanalyzer.core.testing;
