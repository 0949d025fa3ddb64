package io.trafficanalyzer.web.query;

import java.util.Locale;

/**
 * Human-readable byte counts (binary units, KiB/MiB/GiB) and bit rates (decimal units, kbit/s, Mbit/s).
 */
public final class HumanUnits
{
    private static final String[] BYTE_UNITS = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    private static final String[] RATE_UNITS = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s" };

    private HumanUnits()
    {
    }

    /**
     * A byte count in binary units: {@code 1023 B}, {@code 1.5 MiB}.
     *
     * @param bytes the count.
     * @return the text.
     */
    public static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /**
     * A bit rate in decimal units: {@code 999 bit/s}, {@code 12.35 Mbit/s}.
     *
     * @param bitsPerSecond the rate.
     * @return the text.
     */
    public static String bitRate(final double bitsPerSecond)
    {
        double value = bitsPerSecond;
        int unit = 0;
        while (value >= 1000 && unit < RATE_UNITS.length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ?
            String.format(Locale.ROOT, "%.0f %s", value, RATE_UNITS[unit]) :
            String.format(Locale.ROOT, "%.2f %s", value, RATE_UNITS[unit]);
    }

    /**
     * A count, abbreviated when large: {@code 9999}, {@code 12.3k}, {@code 12.3M}.
     *
     * @param count the count.
     * @return the text.
     */
    public static String count(final long count)
    {
        if (count < 10_000)
        {
            return Long.toString(count);
        }
        if (count < 10_000_000)
        {
            return String.format(Locale.ROOT, "%.1fk", count / 1e3);
        }
        return String.format(Locale.ROOT, "%.1fM", count / 1e6);
    }
}
