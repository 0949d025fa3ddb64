/**
 * Live capture and offline reading through the system's libpcap: {@link io.trafficanalyzer.pcap.PcapLiveSource}
 * for interfaces ({@code pcap:} URIs), {@link io.trafficanalyzer.pcap.PcapFileSource} for the capture files only
 * libpcap reads ({@code pcapfile:} URIs), and {@link io.trafficanalyzer.pcap.PcapInterface} to list what can be
 * captured. pcap4j finds the interfaces; frames are read through a direct JNA binding that allocates nothing per
 * frame ({@link io.trafficanalyzer.pcap.PcapReadMode}).
 * <p>
 * The system property {@code io.trafficanalyzer.pcap.library} names the library to load when it is not the
 * platform's {@code pcap} ({@code wpcap} on Windows), e.g. a full path. A 64-bit JVM is required.
 */
package io.trafficanalyzer.pcap;
