package io.trafficanalyzer.pcap;

import java.io.IOException;

/**
 * A capture through libpcap cannot be opened or has failed: says what is wrong and what to do about it, and carries
 * a {@link Reason} so callers can react to the cause without parsing the message.
 */
public final class PcapException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * Why a capture could not be opened or failed.
     */
    public enum Reason
    {
        /** libpcap (or Npcap) is not installed or cannot be loaded. */
        LIBRARY_MISSING,
        /** The process may not open a capture: root or CAP_NET_RAW+CAP_NET_ADMIN are needed. */
        PERMISSION_DENIED,
        /** The named interface does not exist. */
        NO_SUCH_INTERFACE,
        /** The interface exists but is not up; a live source retries it. */
        INTERFACE_DOWN,
        /** libpcap rejected the BPF filter expression. */
        INVALID_FILTER,
        /** The platform lacks something the binding needs, e.g. a 64-bit JVM. */
        UNSUPPORTED_PLATFORM,
        /** libpcap failed to open or activate the capture for another reason, named in the message. */
        OPEN_FAILED
    }

    private final Reason reason;

    /**
     * A failure with a reason.
     *
     * @param reason  the cause, for callers.
     * @param message what is wrong and what to do, for people.
     */
    public PcapException(final Reason reason, final String message)
    {
        super(message);
        this.reason = reason;
    }

    /**
     * A failure with a reason and an underlying cause.
     *
     * @param reason  the cause, for callers.
     * @param message what is wrong and what to do, for people.
     * @param cause   the underlying error.
     */
    public PcapException(final Reason reason, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why the capture could not be opened or failed.
     *
     * @return the reason.
     */
    public Reason reason()
    {
        return reason;
    }

    static PcapException libraryMissing(final Throwable cause)
    {
        // the loader's first two lines name the library and why it failed; the rest is its search path
        final String[] lines = String.valueOf(cause.getMessage()).split("\\R");
        final String detail = lines.length > 1 ? lines[0] + " " + lines[1] : lines[0];
        return new PcapException(
            Reason.LIBRARY_MISSING,
            "libpcap is not installed: apt-get install libpcap0.8 (Debian/Ubuntu), dnf install libpcap (Fedora), " +
            "apk add libpcap (Alpine), Npcap on Windows (" + detail + ")",
            cause);
    }

    /**
     * How to give a capture its privileges, the same advice as the documentation's.
     */
    static final String PERMISSION_ADVICE = "run it as root, as a systemd service with " +
        "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN (examples/systemd), or with setcap on a private copy of the " +
        "JDK, never on the system java (docs/reliability.md)";

    static PcapException permissionDenied(final String interfaceName, final String libpcapMessage)
    {
        return new PcapException(
            Reason.PERMISSION_DENIED,
            "capture on " + interfaceName + " needs root or CAP_NET_RAW+CAP_NET_ADMIN: " + PERMISSION_ADVICE +
            " (libpcap: " + libpcapMessage + ")");
    }
}
