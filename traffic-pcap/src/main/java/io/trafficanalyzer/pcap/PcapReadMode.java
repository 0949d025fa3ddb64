package io.trafficanalyzer.pcap;

/**
 * How frames are taken from the kernel or a file. None allocates per frame; they differ in how often Java calls into
 * C and in how often each frame is copied.
 */
public enum PcapReadMode
{
    /**
     * Live capture on Linux: a packet socket of the library's own with the kernel's {@code TPACKET_V3} ring mapped
     * into the process, each frame read where the kernel wrote it and its block handed back once read: no copy and no
     * call into C while frames wait. libpcap still lists the interfaces and compiles the BPF filter, which runs in the
     * kernel. {@code any} is one cooked socket whose frames get a Linux cooked v2 header, as libpcap gives them. The
     * default for live sources; where it cannot serve (immediate mode, promiscuous {@code any}, an interface that is
     * neither Ethernet nor loopback, not Linux) the capture uses {@link #DISPATCH}, and files are always read with
     * {@link #DISPATCH}.
     */
    RING,

    /**
     * One {@code pcap_dispatch} call per batch of frames: libpcap's own {@code pcap_dump} copies each frame into a
     * memory stream over a buffer of ours, which is then read in place. The default for files; where the C
     * library has no {@code fmemopen} (Windows) the capture falls back to {@link #NEXT_EX}.
     */
    DISPATCH,

    /**
     * One {@code pcap_next_ex} call per frame, reading libpcap's header and frame in place.
     */
    NEXT_EX
}
