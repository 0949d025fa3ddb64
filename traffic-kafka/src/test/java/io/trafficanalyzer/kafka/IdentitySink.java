package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.QualityFigures;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sink that keeps, in memory, what each contribution (agent, stream id, bucket start, part) committed: a batch of
 * an identity seen before replaces it, batches of different identities add up, as StatsSink's contract asks of any
 * store. Independent of the SQLite store. Thread-safe for reading while a collector writes.
 */
final class IdentitySink implements StatsSink
{
    private final Map<Identity, Contribution> committed = new HashMap<>();
    private List<Object[]> rows;
    private long commits;
    private long replaced;

    record Identity(String agent, String stream, long start, int part)
    {
    }

    /*
     * The key of a total: everything a row is keyed by, and its agent and bucket.
     */
    record Key(String agent, long start, String view, long hostHi, long hostLo, long peerHi, long peerLo,
        int protocol, int port, int role, long key, boolean folded) implements Comparable<Key>
    {
        private static final java.util.Comparator<Key> ORDER = java.util.Comparator.comparing(Key::agent)
            .thenComparingLong(Key::start).thenComparing(Key::view)
            .thenComparingLong(Key::hostHi).thenComparingLong(Key::hostLo)
            .thenComparingLong(Key::peerHi).thenComparingLong(Key::peerLo)
            .thenComparingInt(Key::protocol).thenComparingInt(Key::port).thenComparingInt(Key::role)
            .thenComparingLong(Key::key).thenComparing(Key::folded);

        public int compareTo(final Key o)
        {
            return ORDER.compare(this, o);
        }
    }

    record Contribution(int width, List<Object[]> rows, long[] quality)
    {
    }

    public void onBatchStart(final StatsBatch batch)
    {
        rows = new ArrayList<>();
    }

    public void onRow(final StatsRow row)
    {
        rows.add(new Object[]{ new Key(null, 0, row.view(), row.hostHi(), row.hostLo(), row.peerHi(), row.peerLo(),
            row.protocol(), row.port(), row.role(), row.key(), row.isFolded()),
            new long[]{ row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets() } });
    }

    public synchronized void onBatchEnd(final StatsBatch batch)
    {
        final long[] quality = new long[QualityFigures.LENGTH];
        for (int i = 0; i < quality.length; i++)
        {
            quality[i] = BucketRecordEncoder.figure(batch.quality(), i);
        }
        final Contribution previous = committed.put(
            new Identity(batch.agent(), batch.stream().id(), batch.startEpochSecond(), batch.part()),
            new Contribution(batch.widthSeconds(), rows, quality));
        commits++;
        if (null != previous)
        {
            replaced++;
        }
    }

    synchronized long commits()
    {
        return commits;
    }

    synchronized long replaced()
    {
        return replaced;
    }

    synchronized int contributions()
    {
        return committed.size();
    }

    /*
     * Every row's measures summed over the contributions, per agent, bucket and row key.
     */
    synchronized TreeMap<Key, List<Long>> totals()
    {
        final TreeMap<Key, long[]> sums = new TreeMap<>();
        committed.forEach((identity, contribution) ->
        {
            for (final Object[] row : contribution.rows())
            {
                final Key k = (Key)row[0];
                final Key key = new Key(identity.agent(), identity.start(), k.view(), k.hostHi(), k.hostLo(),
                    k.peerHi(), k.peerLo(), k.protocol(), k.port(), k.role(), k.key(), k.folded());
                final long[] measures = (long[])row[1];
                final long[] sum = sums.computeIfAbsent(key, (ignore) -> new long[4]);
                for (int i = 0; i < 4; i++)
                {
                    sum[i] += measures[i];
                }
            }
        });
        final TreeMap<Key, List<Long>> result = new TreeMap<>();
        sums.forEach((key, sum) -> result.put(key, List.of(sum[0], sum[1], sum[2], sum[3])));
        return result;
    }

    /*
     * The quality figures summed over the contributions, per agent and bucket ("agent@start").
     */
    synchronized TreeMap<String, List<Long>> quality()
    {
        final TreeMap<String, long[]> sums = new TreeMap<>();
        committed.forEach((identity, contribution) ->
        {
            final long[] sum = sums.computeIfAbsent(identity.agent() + "@" + identity.start(),
                (ignore) -> new long[QualityFigures.LENGTH]);
            for (int i = 0; i < sum.length; i++)
            {
                sum[i] += contribution.quality()[i];
            }
        });
        final TreeMap<String, List<Long>> result = new TreeMap<>();
        sums.forEach((key, sum) ->
        {
            final List<Long> list = new ArrayList<>();
            for (final long value : sum)
            {
                list.add(value);
            }
            result.put(key, list);
        });
        return result;
    }

    /*
     * The hosts view per agent, bucket and "host|protocol", as GeneratedTraffic's oracle states it.
     */
    synchronized TreeMap<String, List<Long>> hosts(final String agent)
    {
        final TreeMap<String, List<Long>> hosts = new TreeMap<>();
        totals().forEach((key, sum) ->
        {
            if (key.agent().equals(agent) && key.view().equals(StatsRow.HOSTS))
            {
                hosts.put(key.start() + "|" + io.trafficanalyzer.core.codec.IpAddresses.format(key.hostHi(),
                    key.hostLo()) + "|" + BucketRecordDescriptor.protocolName(key.protocol()), sum);
            }
        });
        return hosts;
    }
}
