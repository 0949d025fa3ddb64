package io.trafficanalyzer.web.query;

/**
 * How a {@link ResultTable} is printed: for people, or for programs.
 */
public enum OutputFormat
{
    /** Aligned columns with human units (KiB, Mbit/s), for people. */
    table,
    /** RFC 4180 CSV with a header line and raw numbers. */
    csv,
    /** One JSON document with raw numbers. */
    json
}
