package io.trafficanalyzer.pcap;

/**
 * How frames are taken from libpcap. Neither allocates per frame; they differ in how often Java calls into C.
 */
public enum PcapReadMode
{
    /**
     * One {@code pcap_dispatch} call per batch of frames: libpcap's own {@code pcap_dump} copies each frame into a
     * memory stream over a buffer of ours, which is then read in place. The default and the fastest; where the C
     * library has no {@code fmemopen} (Windows) the capture falls back to {@link #NEXT_EX}.
     */
    DISPATCH,

    /**
     * One {@code pcap_next_ex} call per frame, reading libpcap's header and frame in place.
     */
    NEXT_EX
}
