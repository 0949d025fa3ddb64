/**
 * Live capture and offline reading through the system's libpcap: {@link io.trafficanalyzer.pcap.PcapLiveSource}
 * for interfaces ({@code pcap:} URIs), {@link io.trafficanalyzer.pcap.PcapFileSource} for the capture files only
 * libpcap reads ({@code pcapfile:} URIs), and {@link io.trafficanalyzer.pcap.PcapInterface} to list what can be
 * captured. pcap4j finds the interfaces; frames are read through a direct JNA binding that allocates nothing per
 * frame.
 */
package io.trafficanalyzer.pcap;
