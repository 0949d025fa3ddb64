package io.trafficanalyzer.examples.cli;

import java.io.PrintWriter;

/**
 * What every command of the tool writes to and knows about its caller.
 *
 * @param out      results: tables, CSV, JSON, summaries.
 * @param err      progress, status lines, warnings and errors.
 * @param terminal whether a person watches, so that progress may be drawn on {@code err}.
 */
record CommandContext(PrintWriter out, PrintWriter err, boolean terminal)
{
}
