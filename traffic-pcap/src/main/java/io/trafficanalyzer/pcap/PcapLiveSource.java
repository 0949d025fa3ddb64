package io.trafficanalyzer.pcap;

import io.trafficanalyzer.core.capture.CaptureSource;
import io.trafficanalyzer.core.capture.FrameHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Live capture on one or more interfaces (or {@code any}), one capture per interface, polled in turn without
 * blocking and without allocation per frame: on Linux by default the kernel's packet ring read in place
 * ({@link PcapReadMode#RING}), elsewhere through libpcap.
 * <p>
 * The kernel's counters (received, dropped, dropped by the interface: {@code PACKET_STATISTICS} for a ring,
 * {@code pcap_stats} through libpcap) are read on the capture thread at most once per
 * {@link Builder#statisticsIntervalMillis(long) statistics interval}, never per frame, and summed over the
 * interfaces and over their reopenings. An interface that disappears or fails while capturing is
 * counted, logged and reopened with back-off; meanwhile it delivers nothing and the other interfaces carry on.
 * <p>
 * Example:
 * <pre>{@code
 * try (PcapLiveSource source = PcapLiveSource.builder().interfaces("eth0").filter("not port 22").build())
 * {
 *     while (running) { source.poll(handler, 256); }
 * }
 * }</pre>
 * Opening needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities. One thread drives {@link #poll} and
 * {@link #close}; the counters and {@link #localPrefixes()} may be read from any thread. Longer than most classes
 * here for its {@link Builder}: every setting of live capture, documented where a user sets it.
 */
public final class PcapLiveSource implements CaptureSource
{
    /** Snapshot length by default: the link, IP and transport headers the decoder needs, with room for tags. */
    public static final int DEFAULT_SNAPLEN = 128;

    /** Kernel buffer size by default, in bytes. */
    public static final int DEFAULT_BUFFER_SIZE = 8 * 1024 * 1024;

    /** Longest wait of {@link #idleStrategy()} in {@code poll(2)}, in milliseconds. */
    public static final int DEFAULT_MAX_WAIT_MILLIS = 10;

    /** The pseudo-interface that captures on every interface (Linux). */
    public static final String ANY = LiveCaptureNames.ANY;

    private final String name;
    private final List<String> interfaceNames;
    private final LiveChannel[] channels;
    private final NanoClock clock;
    private final long statisticsIntervalNs;
    private long statisticsAtNs;
    private int nextChannel;
    private boolean isClosed;
    private volatile long received;
    private volatile long dropped;
    private volatile long interfaceDropped;

    private PcapLiveSource(final Builder builder, final LiveChannel[] channels)
    {
        this.interfaceNames = Collections.unmodifiableList(new ArrayList<>(builder.interfaceNames));
        this.name = "pcap:" + String.join(",", interfaceNames);
        this.channels = channels;
        this.clock = builder.clock;
        this.statisticsIntervalNs = TimeUnit.MILLISECONDS.toNanos(builder.statisticsIntervalMillis);
        this.statisticsAtNs = clock.nanoTime();
    }

    /**
     * A builder with the defaults: snapshot length {@value #DEFAULT_SNAPLEN}, not promiscuous, not immediate, an
     * 8 MiB kernel buffer, nanosecond timestamps where offered, {@link PcapReadMode#RING}.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The interfaces that can be captured on, for listings and error messages.
     *
     * @return the interfaces with their addresses.
     * @throws PcapException when libpcap is missing or cannot list them.
     */
    public static List<PcapInterface> interfaces() throws PcapException
    {
        return PcapInterface.list();
    }

    /**
     * {@inheritDoc}
     */
    public String name()
    {
        return name;
    }

    /**
     * The interfaces captured on.
     *
     * @return their names as given.
     */
    public List<String> interfaceNames()
    {
        return interfaceNames;
    }

    /**
     * {@inheritDoc}
     */
    public boolean isLive()
    {
        return true;
    }

    /**
     * Deliver up to {@code limit} frames from the interfaces in turn; never blocks, never throws: failures of an
     * interface are handled as described for the class.
     *
     * @param handler receives each frame.
     * @param limit   the maximum number of frames to deliver in this call.
     * @return the number of frames delivered, 0 when none is ready.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        if (isClosed)
        {
            return 0;
        }

        final long nowNs = clock.nanoTime();
        if (nowNs - statisticsAtNs >= statisticsIntervalNs)
        {
            statisticsAtNs = nowNs;
            updateStatistics();
        }

        final LiveChannel[] channels = this.channels;
        final int count = channels.length;
        int index = nextChannel;
        int delivered = 0;
        for (int i = 0; i < count && delivered < limit; i++)
        {
            delivered += channels[index].poll(handler, limit - delivered, nowNs);
            if (++index == count)
            {
                index = 0;
            }
        }

        if (++nextChannel == count)
        {
            nextChannel = 0;
        }

        return delivered;
    }

    /**
     * A live source ends only when closed.
     *
     * @return true once closed.
     */
    public boolean isEndOfStream()
    {
        return isClosed;
    }

    /**
     * Frames the kernel dropped because the capture buffer was full ({@code ps_drop}), over all interfaces.
     *
     * @return the drops as of the last statistics update.
     */
    public long kernelDrops()
    {
        return dropped;
    }

    /**
     * Frames the kernel received for the capture, including those it then dropped ({@code ps_recv}).
     *
     * @return the count as of the last statistics update.
     */
    public long received()
    {
        return received;
    }

    /**
     * Frames the kernel dropped for want of buffer space; the same as {@link #kernelDrops()}.
     *
     * @return the count as of the last statistics update.
     */
    public long dropped()
    {
        return dropped;
    }

    /**
     * Frames the interfaces themselves dropped since the capture started ({@code ps_ifdrop}), where reported.
     *
     * @return the count as of the last statistics update.
     */
    public long interfaceDropped()
    {
        return interfaceDropped;
    }

    /**
     * How many times a capture failed while running (e.g. its interface disappeared) and had to be reopened.
     *
     * @return the failures so far.
     */
    public long interfaceFailures()
    {
        long failures = 0;
        for (final LiveChannel channel : channels)
        {
            failures += channel.failures();
        }

        return failures;
    }

    /**
     * The read mode in use: {@link PcapReadMode#DISPATCH} where {@link PcapReadMode#RING} was asked for but cannot
     * serve, {@link PcapReadMode#NEXT_EX} where {@link PcapReadMode#DISPATCH} is not available.
     *
     * @return the read mode of the first open interface, else the mode asked for.
     */
    public PcapReadMode readMode()
    {
        for (final LiveChannel channel : channels)
        {
            if (channel.isOpen())
            {
                return channel.readMode();
            }
        }

        return channels[0].readMode();
    }

    /**
     * An idle strategy for the thread that polls this source: when a poll found nothing it sleeps in
     * {@code poll(2)} on the capture sockets until frames (or an error) arrive, or {@code maxWaitMillis} passed, so
     * an idle capture costs nearly nothing and a busy one wakes once per block of frames the kernel hands over. Use
     * it on a thread that polls only this source; a thread shared with other work should bound
     * {@code maxWaitMillis} by the latency the other work tolerates.
     *
     * @param maxWaitMillis longest wait, which also bounds how late a failed interface is retried; at least 1.
     * @return a new idle strategy bound to this source.
     */
    public PcapIdleStrategy idleStrategy(final int maxWaitMillis)
    {
        return new PcapIdleStrategy(channels, maxWaitMillis);
    }

    /**
     * The idle strategy the analyzer gives its capture thread: {@link #idleStrategy(int)} waiting at most
     * {@value #DEFAULT_MAX_WAIT_MILLIS} ms, so the agent still seals buckets and reads the kernel's drop counters on
     * time while the link is quiet.
     *
     * @return a new idle strategy bound to this source.
     */
    public PcapIdleStrategy idleStrategy()
    {
        return idleStrategy(DEFAULT_MAX_WAIT_MILLIS);
    }

    int capturingInterfaces()
    {
        int count = 0;
        for (final LiveChannel channel : channels)
        {
            if (channel.isOpen())
            {
                count++;
            }
        }

        return count;
    }

    /**
     * The local networks as the captured interfaces' addresses say now (all interfaces for {@code any}), as CIDR
     * prefixes. Call it periodically to follow address changes; it asks the system each time.
     *
     * The capture agent asks it every {@link #LOCAL_PREFIXES_REFRESH_NS} nanoseconds and adds the prefixes to the
     * configured local networks.
     *
     * @return the network prefixes, e.g. {@code 192.0.2.0/24} and {@code 2001:db8:1::/64}, without duplicates.
     * @throws UncheckedIOException wrapping a {@link PcapException} when the interfaces cannot be listed.
     */
    public List<String> localPrefixes()
    {
        final boolean isAny = interfaceNames.contains(ANY);
        final Set<String> prefixes = new LinkedHashSet<>();
        final List<PcapInterface> interfaces;
        try
        {
            interfaces = PcapInterface.list();
        }
        catch (final PcapException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (final PcapInterface pcapInterface : interfaces)
        {
            if (isAny || interfaceNames.contains(pcapInterface.name()))
            {
                prefixes.addAll(pcapInterface.networks());
            }
        }

        return new ArrayList<>(prefixes);
    }

    /**
     * Close every handle, taking the kernel's counters one last time.
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            for (final LiveChannel channel : channels)
            {
                channel.close();
            }
            publishStatistics();
        }
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return name;
    }

    private void updateStatistics()
    {
        for (final LiveChannel channel : channels)
        {
            channel.updateStatistics();
        }
        publishStatistics();
    }

    private void publishStatistics()
    {
        long received = 0;
        long dropped = 0;
        long interfaceDropped = 0;
        for (final LiveChannel channel : channels)
        {
            received += channel.received();
            dropped += channel.dropped();
            interfaceDropped += channel.interfaceDropped();
        }

        this.received = received;
        this.dropped = dropped;
        this.interfaceDropped = interfaceDropped;
    }

    /**
     * Configures and opens a {@link PcapLiveSource}; settings are checked in {@link #build()}.
     */
    public static final class Builder
    {
        private final List<String> interfaceNames = new ArrayList<>();
        private String filter;
        private int snaplen = DEFAULT_SNAPLEN;
        private boolean promiscuous;
        private boolean immediateMode;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private int timeoutMillis = 100;
        private boolean nanosecondTimestamps = true;
        private PcapReadMode readMode = PcapReadMode.RING;
        private long retryInitialMillis = 250;
        private long retryMaxMillis = 30_000;
        private long statisticsIntervalMillis = 1000;
        private NanoClock clock = SystemNanoClock.INSTANCE;

        private Builder()
        {
        }

        /**
         * The interfaces to capture on, replacing any given before.
         *
         * @param names interface names, e.g. {@code eth0}, or {@link #ANY}.
         * @return this for a fluent API.
         */
        public Builder interfaces(final String... names)
        {
            interfaceNames.clear();
            Collections.addAll(interfaceNames, names);
            return this;
        }

        /**
         * Add an interface to capture on.
         *
         * @param name the interface name, or {@link #ANY}.
         * @return this for a fluent API.
         */
        public Builder addInterface(final String name)
        {
            interfaceNames.add(name);
            return this;
        }

        /**
         * A BPF filter applied in the kernel, in tcpdump's syntax.
         *
         * @param filter e.g. {@code "not port 22"}; null or blank for none.
         * @return this for a fluent API.
         */
        public Builder filter(final String filter)
        {
            this.filter = filter;
            return this;
        }

        /**
         * Bytes captured of each frame; the counts use the wire length, so only the headers are needed.
         *
         * @param snaplen 1 to 262144; default {@value #DEFAULT_SNAPLEN}.
         * @return this for a fluent API.
         */
        public Builder snaplen(final int snaplen)
        {
            this.snaplen = snaplen;
            return this;
        }

        /**
         * Whether to put the interfaces in promiscuous mode (e.g. on a mirror port).
         *
         * @param promiscuous true for promiscuous; default false.
         * @return this for a fluent API.
         */
        public Builder promiscuous(final boolean promiscuous)
        {
            this.promiscuous = promiscuous;
            return this;
        }

        /**
         * Whether frames are handed over as they arrive rather than in kernel blocks (lower latency, more CPU).
         *
         * @param immediateMode true for immediate mode; default false.
         * @return this for a fluent API.
         */
        public Builder immediateMode(final boolean immediateMode)
        {
            this.immediateMode = immediateMode;
            return this;
        }

        /**
         * Size of the kernel's capture buffer per interface: frames arriving while it is full are dropped (and
         * counted).
         *
         * @param bytes the buffer size; 0 leaves libpcap's default (2 MiB on Linux); default 8 MiB.
         * @return this for a fluent API.
         */
        public Builder bufferSize(final int bytes)
        {
            this.bufferSize = bytes;
            return this;
        }

        /**
         * How long the kernel may hold frames before handing over a partly filled block (when not in immediate mode).
         *
         * @param timeoutMillis milliseconds, at least 1; default 100.
         * @return this for a fluent API.
         */
        public Builder timeoutMillis(final int timeoutMillis)
        {
            this.timeoutMillis = timeoutMillis;
            return this;
        }

        /**
         * Whether to ask libpcap for nanosecond timestamps; where it cannot, they are microseconds scaled.
         *
         * @param nanosecondTimestamps true to ask; default true.
         * @return this for a fluent API.
         */
        public Builder nanosecondTimestamps(final boolean nanosecondTimestamps)
        {
            this.nanosecondTimestamps = nanosecondTimestamps;
            return this;
        }

        /**
         * How frames are taken from the kernel.
         *
         * @param readMode the mode; default {@link PcapReadMode#RING} (which falls back to
         *                 {@link PcapReadMode#DISPATCH} where it cannot serve).
         * @return this for a fluent API.
         */
        public Builder readMode(final PcapReadMode readMode)
        {
            this.readMode = readMode;
            return this;
        }

        /**
         * Back-off for reopening a failed interface: the first retry after {@code initialMillis}, doubling up to
         * {@code maxMillis}.
         *
         * @param initialMillis first delay, at least 1; default 250.
         * @param maxMillis     longest delay, at least {@code initialMillis}; default 30000.
         * @return this for a fluent API.
         */
        public Builder retryBackoffMillis(final long initialMillis, final long maxMillis)
        {
            this.retryInitialMillis = initialMillis;
            this.retryMaxMillis = maxMillis;
            return this;
        }

        /**
         * How often the kernel's counters are read during {@link PcapLiveSource#poll}.
         *
         * @param intervalMillis milliseconds, 0 for every poll; default 1000.
         * @return this for a fluent API.
         */
        public Builder statisticsIntervalMillis(final long intervalMillis)
        {
            this.statisticsIntervalMillis = intervalMillis;
            return this;
        }

        /**
         * The clock for statistics and retry timing.
         *
         * @param clock a nanosecond clock; default the system's.
         * @return this for a fluent API.
         */
        public Builder nanoClock(final NanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * Check the settings and open a handle on every interface.
         *
         * @return the open source.
         * @throws IllegalArgumentException naming a setting whose value is invalid.
         * @throws PcapException            when libpcap is missing, an interface does not exist (the message lists
         *                                  those that do), permission is lacking, or the filter is invalid.
         */
        public PcapLiveSource build() throws PcapException
        {
            conclude();
            PcapHandles.loadLibrary();
            PcapInterface.requireExisting(interfaceNames);

            final LiveSettings settings = settings();
            final long nowNs = clock.nanoTime();
            final LiveChannel[] channels = new LiveChannel[interfaceNames.size()];
            try
            {
                for (int i = 0; i < channels.length; i++)
                {
                    channels[i] = new LiveChannel(
                        interfaceNames.get(i),
                        settings,
                        TimeUnit.MILLISECONDS.toNanos(retryInitialMillis),
                        TimeUnit.MILLISECONDS.toNanos(retryMaxMillis));
                    channels[i].start(nowNs);
                }
            }
            catch (final PcapException | RuntimeException ex)
            {
                for (final LiveChannel channel : channels)
                {
                    if (null != channel)
                    {
                        channel.close();
                    }
                }
                throw ex;
            }

            return new PcapLiveSource(this, channels);
        }

        List<String> interfaceNames()
        {
            return interfaceNames;
        }

        LiveSettings settings()
        {
            return new LiveSettings(
                snaplen, promiscuous, immediateMode, bufferSize, timeoutMillis, nanosecondTimestamps, filter, readMode);
        }

        private void conclude()
        {
            if (interfaceNames.isEmpty())
            {
                throw new IllegalArgumentException("interfaces: at least one interface (or \"any\") is needed");
            }
            final Set<String> seen = new LinkedHashSet<>();
            for (final String interfaceName : interfaceNames)
            {
                if (null == interfaceName || interfaceName.isBlank())
                {
                    throw new IllegalArgumentException("interfaces: empty interface name in " + interfaceNames);
                }
                if (!seen.add(interfaceName))
                {
                    throw new IllegalArgumentException("interfaces: " + interfaceName + " given twice");
                }
            }
            if (snaplen < 1 || snaplen > 262_144)
            {
                throw new IllegalArgumentException("snaplen=" + snaplen + ": must be 1..262144");
            }
            if (bufferSize < 0)
            {
                throw new IllegalArgumentException("bufferSize=" + bufferSize + ": must be >= 0");
            }
            if (timeoutMillis < 1)
            {
                throw new IllegalArgumentException("timeoutMillis=" + timeoutMillis + ": must be >= 1");
            }
            if (retryInitialMillis < 1 || retryMaxMillis < retryInitialMillis)
            {
                throw new IllegalArgumentException("retryBackoffMillis=" + retryInitialMillis + "," + retryMaxMillis +
                    ": need 1 <= initial <= max");
            }
            if (statisticsIntervalMillis < 0)
            {
                throw new IllegalArgumentException(
                    "statisticsIntervalMillis=" + statisticsIntervalMillis + ": must be >= 0");
            }
            if (null == readMode || null == clock)
            {
                throw new IllegalArgumentException("readMode and nanoClock must not be null");
            }
        }
    }
}
