package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.FrameHandler;
import io.trafficanalyzer.core.status.Logging;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The capture on one interface: its reader (a {@link PacketRing}, or a libpcap handle and its reader), its kernel
 * counters summed over every capture it opened, and its recovery. When the reader reports a failure (the interface
 * disappeared, a socket error), the frames read before it have been delivered; the failure is counted and logged, the
 * capture is closed with its last counters kept, and reopening is retried with exponential back-off while
 * {@link #poll(FrameHandler, int, long)} returns 0.
 */
final class LiveChannel
{
    private static final System.Logger LOGGER = Logging.logger(LiveCaptureNames.LOGGER_NAME);

    private final String interfaceName;
    private final LiveSettings settings;
    private final long retryInitialNs;
    private final long retryMaxNs;
    private final KernelCounters counters = new KernelCounters();

    private long pcap;
    private int selectableFd = -1;
    private FrameReader reader;
    private volatile long failures;
    private long retryAtNs;
    private long retryDelayNs;
    private String lastError;

    LiveChannel(
        final String interfaceName, final LiveSettings settings, final long retryInitialNs, final long retryMaxNs)
    {
        this.interfaceName = interfaceName;
        this.settings = settings;
        this.retryInitialNs = retryInitialNs;
        this.retryMaxNs = retryMaxNs;
    }

    /**
     * Open the handle when the source is built: every error is final except an interface that is not up yet,
     * which is retried like a failure during the capture.
     *
     * @param nowNs the clock's time.
     * @throws PcapException when the capture cannot be opened.
     */
    void start(final long nowNs) throws PcapException
    {
        try
        {
            open();
        }
        catch (final PcapException ex)
        {
            if (ex.reason() != PcapException.Reason.INTERFACE_DOWN)
            {
                throw ex;
            }
            lastError = ex.getMessage();
            retryDelayNs = retryInitialNs;
            retryAtNs = nowNs + retryDelayNs;
            LOGGER.log(WARNING, "{0}: capture starts when it comes up, retrying", ex.getMessage());
        }
    }

    int poll(final FrameHandler handler, final int limit, final long nowNs)
    {
        if (null == reader && (nowNs - retryAtNs < 0 || !reopen(nowNs)))
        {
            return 0;
        }

        final FrameReader reader = this.reader;
        final int delivered = reader.read(handler, limit);
        if (reader.status() != FrameReader.READY)
        {
            onFailure(reader.error(), nowNs);
        }

        return delivered;
    }

    void updateStatistics()
    {
        if (null != reader)
        {
            reader.updateStatistics(counters);
        }
    }

    /**
     * The descriptor that becomes readable when frames wait (or an error does), for {@code poll(2)}.
     *
     * @return the descriptor, or -1 while the handle is closed or the platform has none.
     */
    int selectableFd()
    {
        return null == reader ? -1 : selectableFd;
    }

    String interfaceName()
    {
        return interfaceName;
    }

    boolean isOpen()
    {
        return null != reader;
    }

    PcapReadMode readMode()
    {
        return null == reader ? settings.readMode : reader.mode();
    }

    long received()
    {
        return counters.received();
    }

    long dropped()
    {
        return counters.dropped();
    }

    long interfaceDropped()
    {
        return counters.interfaceDropped();
    }

    long failures()
    {
        return failures;
    }

    String lastError()
    {
        return lastError;
    }

    void close()
    {
        if (null != reader)
        {
            updateStatistics();
            closeHandle();
        }
    }

    private void open() throws PcapException
    {
        if (settings.readMode == PcapReadMode.RING && PacketRing.canServe(interfaceName, settings))
        {
            final PacketRing ring = PacketRing.open(interfaceName, settings);
            if (null != ring)
            {
                reader = ring;
                selectableFd = ring.fd();
                return;
            }
        }

        pcap = PcapHandles.openLive(interfaceName, settings);
        reader = PcapHandles.openReader(pcap, settings.readMode, true);
        selectableFd = LibPcap.pcapGetSelectableFd(pcap);
    }

    private boolean reopen(final long nowNs)
    {
        try
        {
            open();
            retryDelayNs = 0;
            if (0 == failures)
            {
                LOGGER.log(INFO, "capture on {0} started", interfaceName);
            }
            else
            {
                LOGGER.log(INFO, "capture on {0} resumed after {1} failure(s)", interfaceName, failures);
            }
            return true;
        }
        catch (final PcapException ex)
        {
            lastError = ex.getMessage();
            retryDelayNs = Math.min(Math.max(retryInitialNs, retryDelayNs * 2), retryMaxNs);
            retryAtNs = nowNs + retryDelayNs;
            LOGGER.log(DEBUG, "capture on {0} still failing ({1}), next try in {2} ms",
                interfaceName, ex.getMessage(), retryDelayNs / 1_000_000);
            return false;
        }
    }

    private void onFailure(final String error, final long nowNs)
    {
        failures++;
        lastError = error;
        close();
        retryDelayNs = retryInitialNs;
        retryAtNs = nowNs + retryDelayNs;
        LOGGER.log(WARNING, "capture on {0} failed ({1}), failure {2}; what was captured is kept; retrying",
            interfaceName, error, failures);
    }

    private void closeHandle()
    {
        reader.close();
        reader = null;
        if (0 != pcap)
        {
            LibPcap.pcapClose(pcap);
            pcap = 0;
        }
        selectableFd = -1;
    }
}
