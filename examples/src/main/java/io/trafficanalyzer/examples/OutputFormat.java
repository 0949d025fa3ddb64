package io.trafficanalyzer.examples;

/**
 * How {@code top} and {@code report} print their results.
 */
enum OutputFormat
{
    /** Aligned columns with human units (KiB, Mbit/s), for people. */
    table,
    /** RFC 4180 CSV with a header line and raw numbers. */
    csv,
    /** One JSON document with raw numbers. */
    json
}
