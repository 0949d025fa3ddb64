package io.trafficanalyzer.core;

import io.trafficanalyzer.core.capture.CaptureStream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The capture streams of a pipeline in the order they began, by index: the capture agent adds a stream before any
 * record that names its index, so the flush agent, which reads that record after the ring's commit, finds it here.
 * Each stream's figures are written by the capture agent with volatile stores and read by any thread.
 * <p>
 * Single writer (the capture agent); readers on any thread.
 */
final class StreamRegistry
{
    private volatile Entry[] entries = new Entry[8];
    private volatile int count;

    /**
     * One stream and its figures so far.
     */
    static final class Entry
    {
        final CaptureStream stream;
        final int index;
        volatile long firstTimestampNs = Long.MIN_VALUE;
        volatile long lastTimestampNs = Long.MIN_VALUE;
        volatile long frames;
        volatile long packets;
        volatile long bytes;
        volatile long latePackets;
        volatile boolean ended;

        Entry(final CaptureStream stream, final int index)
        {
            this.stream = stream;
            this.index = index;
        }

        StreamSummary summary()
        {
            final boolean isEnded = ended;
            return new StreamSummary(
                stream, firstTimestampNs, lastTimestampNs, frames, packets, bytes, latePackets, isEnded);
        }
    }

    /**
     * Add a stream; capture agent only.
     *
     * @param stream the stream that begins.
     * @return its entry.
     */
    Entry add(final CaptureStream stream)
    {
        final int index = count;
        Entry[] current = entries;
        if (index == current.length)
        {
            current = Arrays.copyOf(current, index * 2);
        }
        final Entry entry = new Entry(stream, index);
        current[index] = entry;
        // the array before the count: a reader that sees the count finds the entry
        entries = current;
        count = index + 1;

        return entry;
    }

    /**
     * The stream of an index that a record published after {@link #add} named.
     *
     * @param index the stream's index.
     * @return the stream.
     */
    CaptureStream stream(final int index)
    {
        return entries[index].stream;
    }

    /**
     * Every stream so far, in the order they began.
     *
     * @return an unmodifiable list of summaries.
     */
    List<StreamSummary> summaries()
    {
        final int n = count;
        final Entry[] current = entries;
        final List<StreamSummary> summaries = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            summaries.add(current[i].summary());
        }

        return Collections.unmodifiableList(summaries);
    }
}
