package io.trafficanalyzer.core;

/**
 * How many threads the analyzer takes for its packet path (capture, aggregator shards, flush). Each sink is
 * delivered on a thread of its own in every mode, so that a blocked sink cannot stop anything else; that thread
 * sleeps while there is nothing to deliver.
 */
public enum ThreadingMode
{
    /** One thread per agent: capture, each aggregator shard, flush. */
    DEDICATED,
    /** All agents on one thread, in turn. */
    SHARED,
    /** No thread: the host application calls {@link TrafficAnalyzer#invoker()}{@code .invoke()} itself. */
    INVOKER
}
