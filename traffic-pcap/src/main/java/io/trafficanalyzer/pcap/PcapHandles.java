package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Opens, configures and closes libpcap handles through {@link LibPcap}, turning libpcap's status codes into
 * {@link PcapException}s with messages that say what to do. Not on the frame path.
 */
final class PcapHandles
{
    private static final System.Logger LOGGER = Logging.logger(LiveCaptureNames.LOGGER_NAME);
    private static final String PCAP4J_LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final int BPF_INSTRUCTION_SIZE = 8;
    private static final short BPF_RET_K = 0x06;
    private static final int COMPILE_HANDLE_BUFFER_SIZE = 64 * 1024;
    private static volatile LinkageError loadFailure;

    private PcapHandles()
    {
    }

    /**
     * Load libpcap, or say which package to install. Called before anything touches {@link LibPcap}, whose
     * initialisation is what fails.
     *
     * @throws PcapException with {@link PcapException.Reason#LIBRARY_MISSING} when it cannot be loaded.
     */
    static void loadLibrary() throws PcapException
    {
        final String libraryName = System.getProperty(NativeNames.PCAP_LIBRARY_PROPERTY);
        if (null != libraryName && null == System.getProperty(PCAP4J_LIBRARY_PROPERTY))
        {
            // pcap4j lists the interfaces: let it load the same library
            System.setProperty(PCAP4J_LIBRARY_PROPERTY, libraryName);
        }

        try
        {
            LibPcap.pcapLibVersion();
        }
        catch (final LinkageError ex)
        {
            // later attempts only see "Could not initialize class": report the first, telling, failure
            if (null == loadFailure)
            {
                loadFailure = ex;
            }
            throw PcapException.libraryMissing(loadFailure);
        }
    }

    /**
     * Create and activate a live capture handle, apply its filter and make it non-blocking.
     *
     * @param interfaceName the interface, or {@code any}.
     * @param settings      snapshot length, modes and buffer size.
     * @return the handle's address; the caller closes it with {@link LibPcap#pcapClose(long)}.
     * @throws PcapException naming the interface and the cause.
     */
    static long openLive(final String interfaceName, final LiveSettings settings) throws PcapException
    {
        final UnsafeBuffer errbuf = errorBuffer();
        final long pcap = LibPcap.pcapCreate(interfaceName, errbuf.addressOffset());
        if (0 == pcap)
        {
            throw new PcapException(
                PcapException.Reason.OPEN_FAILED, "cannot open " + interfaceName + ": " + string(errbuf));
        }

        boolean opened = false;
        try
        {
            check(pcap, interfaceName, "snapshot length", LibPcap.pcapSetSnaplen(pcap, settings.snaplen));
            check(pcap, interfaceName, "promiscuous mode", LibPcap.pcapSetPromisc(pcap, settings.promiscuous ? 1 : 0));
            check(pcap, interfaceName, "timeout", LibPcap.pcapSetTimeout(pcap, settings.timeoutMillis));
            if (settings.bufferSize > 0)
            {
                check(pcap, interfaceName, "buffer size", LibPcap.pcapSetBufferSize(pcap, settings.bufferSize));
            }
            if (settings.immediateMode)
            {
                check(pcap, interfaceName, "immediate mode", LibPcap.pcapSetImmediateMode(pcap, 1));
            }
            if (settings.nanosecondTimestamps)
            {
                // where libpcap offers no nanosecond precision the handle keeps microseconds; the reader asks
                LibPcap.pcapSetTstampPrecision(pcap, LibPcap.TSTAMP_PRECISION_NANO);
            }

            final int rc = LibPcap.pcapActivate(pcap);
            if (rc < 0)
            {
                throw activationFailure(interfaceName, rc, message(pcap, rc));
            }
            if (rc > 0)
            {
                LOGGER.log(WARNING, "capture on {0}: {1}", interfaceName, message(pcap, rc));
            }

            applyFilter(pcap, settings.filter, interfaceName);
            if (LibPcap.pcapSetnonblock(pcap, 1, errbuf.addressOffset()) < 0)
            {
                throw new PcapException(
                    PcapException.Reason.OPEN_FAILED,
                    "cannot make the capture on " + interfaceName + " non-blocking: " + string(errbuf));
            }
            opened = true;

            return pcap;
        }
        finally
        {
            if (!opened)
            {
                LibPcap.pcapClose(pcap);
            }
        }
    }

    /**
     * A reader of the given mode over an open handle, or a {@link NextPacketReader} where the mode cannot be served.
     *
     * @param pcap   the activated handle (or one opened on a file).
     * @param mode   the preferred read mode; {@link PcapReadMode#RING} is served by {@link PcapReadMode#DISPATCH}.
     * @param isLive whether the handle captures live (no end of stream).
     * @return the reader; it does not own the handle.
     */
    static FrameReader openReader(final long pcap, final PcapReadMode mode, final boolean isLive)
    {
        final LibPcapHandle handle = new LibPcapHandle(pcap, isLive);
        if (mode != PcapReadMode.NEXT_EX && DumpStreamReader.canServe(pcap))
        {
            final DumpStreamReader reader = new DumpStreamReader(handle);
            if (reader.status() == FrameReader.READY)
            {
                return reader;
            }
            reader.close();
        }

        return new NextPacketReader(handle);
    }

    /**
     * Compile a BPF filter and set it on a handle.
     *
     * @param pcap       the activated handle.
     * @param filter     the expression, or null or blank for none.
     * @param sourceName the interface or file, for the message.
     * @throws PcapException with libpcap's own message when the expression is invalid.
     */
    static void applyFilter(final long pcap, final String filter, final String sourceName) throws PcapException
    {
        if (null == filter || filter.isBlank())
        {
            return;
        }

        final UnsafeBuffer program = new UnsafeBuffer(ByteBuffer.allocateDirect(LibPcap.BPF_PROGRAM_SIZE));
        compile(pcap, program, filter, sourceName);
        try
        {
            if (LibPcap.pcapSetfilter(pcap, program.addressOffset()) < 0)
            {
                throw new PcapException(
                    PcapException.Reason.INVALID_FILTER,
                    "cannot set BPF filter '" + filter + "' on " + sourceName + ": " + LibPcap.pcapGeterr(pcap));
            }
        }
        finally
        {
            LibPcap.pcapFreecode(program.addressOffset());
        }
    }

    /**
     * The classic BPF program a packet socket of ours runs in the kernel: the filter compiled by libpcap on a
     * throwaway handle of the interface (so that it is compiled as for a live Linux capture: VLAN tests read the
     * kernel's tag metadata), or, without a filter, one instruction accepting every frame; either way accepted
     * frames are cut to the snapshot length.
     *
     * @param interfaceName the interface.
     * @param settings      the filter and snapshot length.
     * @param linkType      the link type the filter is compiled for, e.g. Linux cooked v2 for {@code any}; -1 for
     *                      the interface's own.
     * @return the instructions ({@code struct sock_filter}, 8 bytes each) in a buffer of their exact size, as
     *         libpcap compiled them for that link type; null when libpcap cannot give that link type.
     * @throws PcapException with libpcap's own message when the expression is invalid.
     */
    static UnsafeBuffer kernelFilter(final String interfaceName, final LiveSettings settings, final int linkType)
        throws PcapException
    {
        if (null == settings.filter || settings.filter.isBlank())
        {
            final UnsafeBuffer program = new UnsafeBuffer(ByteBuffer.allocateDirect(BPF_INSTRUCTION_SIZE));
            program.putShort(0, BPF_RET_K);
            program.putInt(4, settings.snaplen);
            return program;
        }

        final LiveSettings compileOnly = new LiveSettings(
            settings.snaplen, false, false, COMPILE_HANDLE_BUFFER_SIZE, settings.timeoutMillis, false, null,
            PcapReadMode.NEXT_EX);
        final long pcap = openLive(interfaceName, compileOnly);
        final UnsafeBuffer program = new UnsafeBuffer(ByteBuffer.allocateDirect(LibPcap.BPF_PROGRAM_SIZE));
        try
        {
            if (linkType >= 0 && LibPcap.pcapSetDatalink(pcap, linkType) != 0)
            {
                return null;
            }
            compile(pcap, program, settings.filter, interfaceName);
            try
            {
                // struct bpf_program: u_int bf_len, then the pointer to the instructions
                final int length = program.getInt(0);
                final UnsafeBuffer instructions = new UnsafeBuffer(0, 0);
                instructions.wrap(program.getLong(8), length * BPF_INSTRUCTION_SIZE);
                final UnsafeBuffer copy = new UnsafeBuffer(ByteBuffer.allocateDirect(length * BPF_INSTRUCTION_SIZE));
                copy.putBytes(0, instructions, 0, length * BPF_INSTRUCTION_SIZE);
                return copy;
            }
            finally
            {
                LibPcap.pcapFreecode(program.addressOffset());
            }
        }
        finally
        {
            LibPcap.pcapClose(pcap);
        }
    }

    private static void compile(
        final long pcap, final UnsafeBuffer program, final String filter, final String sourceName) throws PcapException
    {
        final int rc;
        synchronized (PcapHandles.class)
        {
            // libpcap before 1.8 had a non-reentrant filter compiler
            rc = LibPcap.pcapCompile(pcap, program.addressOffset(), filter, 1, LibPcap.NETMASK_UNKNOWN);
        }
        if (rc < 0)
        {
            throw new PcapException(
                PcapException.Reason.INVALID_FILTER,
                "invalid BPF filter '" + filter + "' for " + sourceName + ": " + LibPcap.pcapGeterr(pcap));
        }
    }

    static UnsafeBuffer errorBuffer()
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(LibPcap.ERRBUF_SIZE));
    }

    static String string(final UnsafeBuffer buffer)
    {
        int length = 0;
        while (length < buffer.capacity() && buffer.getByte(length) != 0)
        {
            length++;
        }

        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void check(final long pcap, final String interfaceName, final String setting, final int rc)
        throws PcapException
    {
        if (rc != 0)
        {
            throw new PcapException(
                PcapException.Reason.OPEN_FAILED,
                "cannot set the " + setting + " of the capture on " + interfaceName + ": " + message(pcap, rc));
        }
    }

    private static String message(final long pcap, final int rc)
    {
        final String message = LibPcap.pcapGeterr(pcap);
        return null == message || message.isEmpty() ? LibPcap.pcapStatustostr(rc) : message;
    }

    private static PcapException activationFailure(final String interfaceName, final int rc, final String message)
    {
        switch (rc)
        {
            case LibPcap.PCAP_ERROR_PERM_DENIED:
            case LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED:
                return PcapException.permissionDenied(interfaceName, message);

            case LibPcap.PCAP_ERROR_NO_SUCH_DEVICE:
                return new PcapException(
                    PcapException.Reason.NO_SUCH_INTERFACE,
                    "no interface " + interfaceName + " (libpcap: " + message + ")");

            case LibPcap.PCAP_ERROR_IFACE_NOT_UP:
                return new PcapException(
                    PcapException.Reason.INTERFACE_DOWN, "interface " + interfaceName + " is not up");

            default:
                return new PcapException(
                    PcapException.Reason.OPEN_FAILED, "cannot capture on " + interfaceName + ": " + message);
        }
    }
}
