package io.trafficanalyzer.pcap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libpcap functions the capture uses, mapped directly (JNA direct mapping): pointers are passed as {@code long}
 * addresses so that a call allocates nothing. Loading fails with an {@link UnsatisfiedLinkError} when libpcap is not
 * installed; {@link PcapHandles#loadLibrary()} turns that into a {@link PcapException} that says what to install.
 */
final class LibPcap
{
    static final int ERRBUF_SIZE = 256;
    static final int PCAP_ERROR = -1;
    static final int PCAP_ERROR_BREAK = -2;
    static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    static final int PCAP_ERROR_PERM_DENIED = -8;
    static final int PCAP_ERROR_IFACE_NOT_UP = -9;
    static final int PCAP_ERROR_PROMISC_PERM_DENIED = -11;
    static final int PCAP_ERROR_TSTAMP_PRECISION_NOTSUP = -12;
    static final int TSTAMP_PRECISION_MICRO = 0;
    static final int TSTAMP_PRECISION_NANO = 1;
    static final int NETMASK_UNKNOWN = 0xFFFF_FFFF;
    /** sizeof(struct bpf_program): a u_int length and a pointer to the instructions. */
    static final int BPF_PROGRAM_SIZE = 16;
    /** sizeof(struct pcap_stat) on Linux and the BSDs: ps_recv, ps_drop, ps_ifdrop (Windows adds one field). */
    static final int STAT_SIZE = 16;
    static final int STAT_RECEIVED_OFFSET = 0;
    static final int STAT_DROPPED_OFFSET = 4;
    static final int STAT_INTERFACE_DROPPED_OFFSET = 8;

    /** Address of {@code pcap_dump}, the C callback that {@code pcap_dispatch} hands every frame to. */
    static final long PCAP_DUMP;

    static
    {
        if (Native.POINTER_SIZE != 8)
        {
            throw new UnsatisfiedLinkError("traffic-pcap needs a 64-bit JVM");
        }

        final NativeLibrary library = NativeNames.library(NativeNames.pcapLibraryName());
        Native.register(LibPcap.class, library);
        PCAP_DUMP = Pointer.nativeValue(library.getFunction("pcap_dump"));
    }

    private LibPcap()
    {
    }

    static native String pcapLibVersion();

    static native long pcapCreate(String device, long errbuf);

    static native int pcapSetSnaplen(long pcap, int snaplen);

    static native int pcapSetPromisc(long pcap, int promisc);

    static native int pcapSetTimeout(long pcap, int timeoutMillis);

    static native int pcapSetBufferSize(long pcap, int bufferSize);

    static native int pcapSetImmediateMode(long pcap, int immediate);

    static native int pcapSetTstampPrecision(long pcap, int precision);

    static native int pcapGetTstampPrecision(long pcap);

    static native int pcapActivate(long pcap);

    static native int pcapSetnonblock(long pcap, int nonblock, long errbuf);

    static native long pcapOpenOfflineWithTstampPrecision(String file, int precision, long errbuf);

    static native long pcapFile(long pcap);

    static native int pcapDatalink(long pcap);

    static native int pcapSetDatalink(long pcap, int linkType);

    static native int pcapSnapshot(long pcap);

    static native int pcapCompile(long pcap, long program, String expression, int optimize, int netmask);

    static native int pcapSetfilter(long pcap, long program);

    static native void pcapFreecode(long program);

    static native int pcapNextEx(long pcap, long headerPointer, long dataPointer);

    static native int pcapDispatch(long pcap, int count, long callback, long user);

    static native long pcapDumpFopen(long pcap, long stream);

    static native void pcapDumpClose(long dumper);

    static native int pcapStats(long pcap, long stat);

    static native int pcapGetSelectableFd(long pcap);

    static native String pcapGeterr(long pcap);

    static native String pcapStatustostr(int status);

    static native void pcapClose(long pcap);
}
