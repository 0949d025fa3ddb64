package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.capture.CaptureStream;

import java.util.Arrays;
import java.util.List;

/**
 * Accumulates the rows of one bucket, summing rows with equal keys, and builds an immutable, deterministically
 * ordered {@link SealedBucket}; also merges two pending buckets into a coarser one.
 * <p>
 * Reused bucket after bucket by one thread; its arrays grow to the largest bucket seen and then stay.
 */
public final class BucketBuilder
{
    private static final int INITIAL_ROWS = 64;
    private static final int MEASURES = 4;

    private final List<String> views;
    private final RowSort.Order byKey = this::before;
    private int rowCount;
    private int[] viewIndex = new int[INITIAL_ROWS];
    private long[] hostHi = new long[INITIAL_ROWS];
    private long[] hostLo = new long[INITIAL_ROWS];
    private long[] peerHi = new long[INITIAL_ROWS];
    private long[] peerLo = new long[INITIAL_ROWS];
    private int[] protocol = new int[INITIAL_ROWS];
    private int[] port = new int[INITIAL_ROWS];
    private byte[] flags = new byte[INITIAL_ROWS];
    private long[] key = new long[INITIAL_ROWS];
    private long[] measures = new long[INITIAL_ROWS * MEASURES];
    private int[] index = new int[INITIAL_ROWS * 2];
    // row numbers: as added (addRow writes each), in key order once build has sorted them
    private int[] order = new int[INITIAL_ROWS];
    private int[] scratch = new int[INITIAL_ROWS];

    /**
     * A builder for buckets of the given views.
     *
     * @param views the view names in configuration order; a row's view index indexes this list.
     */
    public BucketBuilder(final List<String> views)
    {
        this.views = List.copyOf(views);
    }

    /**
     * The view names.
     *
     * @return the unmodifiable list.
     */
    public List<String> views()
    {
        return views;
    }

    /**
     * Rows accumulated since the last build or reset.
     *
     * @return the row count.
     */
    public int rowCount()
    {
        return rowCount;
    }

    /**
     * Forget the accumulated rows.
     */
    public void reset()
    {
        if (rowCount > 0)
        {
            Arrays.fill(index, 0);
            rowCount = 0;
        }
    }

    /**
     * Add a row, summing its measures into an accumulated row with an equal key.
     *
     * @param viewIndex  index of the view in {@link #views()}.
     * @param hostHi     local host, upper bits.
     * @param hostLo     local host, lower bits.
     * @param peerHi     peer, upper bits.
     * @param peerLo     peer, lower bits.
     * @param protocol   IP protocol.
     * @param port       service port.
     * @param served     whether the local host serves the port.
     * @param key        custom key.
     * @param folded     whether the row is a host's "other" row.
     * @param inBytes    bytes received.
     * @param inPackets  packets received.
     * @param outBytes   bytes sent.
     * @param outPackets packets sent.
     */
    public void addRow(
        final int viewIndex,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final int protocol,
        final int port,
        final boolean served,
        final long key,
        final boolean folded,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        if (viewIndex < 0 || viewIndex >= views.size())
        {
            throw new IllegalArgumentException("view index out of range: " + viewIndex);
        }

        final byte flags = (byte)((served ? SealedBucket.SERVED_FLAG : 0) | (folded ? SealedBucket.FOLDED_FLAG : 0));
        final int mask = index.length - 1;
        int slot = (int)hash(viewIndex, hostHi, hostLo, peerHi, peerLo, protocol, port, flags, key) & mask;
        while (true)
        {
            final int entry = index[slot];
            if (entry == 0)
            {
                break;
            }

            final int row = entry - 1;
            if (this.viewIndex[row] == viewIndex && this.hostHi[row] == hostHi && this.hostLo[row] == hostLo &&
                this.peerHi[row] == peerHi && this.peerLo[row] == peerLo && this.protocol[row] == protocol &&
                this.port[row] == port && this.flags[row] == flags && this.key[row] == key)
            {
                final int m = row * MEASURES;
                measures[m] += inBytes;
                measures[m + 1] += inPackets;
                measures[m + 2] += outBytes;
                measures[m + 3] += outPackets;
                return;
            }

            slot = (slot + 1) & mask;
        }

        final int row = rowCount++;
        ensureRows(rowCount);
        this.viewIndex[row] = viewIndex;
        this.hostHi[row] = hostHi;
        this.hostLo[row] = hostLo;
        this.peerHi[row] = peerHi;
        this.peerLo[row] = peerLo;
        this.protocol[row] = protocol;
        this.port[row] = port;
        this.flags[row] = flags;
        this.key[row] = key;
        order[row] = row;
        final int m = row * MEASURES;
        measures[m] = inBytes;
        measures[m + 1] = inPackets;
        measures[m + 2] = outBytes;
        measures[m + 3] = outPackets;
        index[slot] = row + 1;
        if (rowCount * 2 > index.length)
        {
            rehash(index.length * 2);
        }
    }

    /**
     * Add every row of a sealed bucket of the same views.
     *
     * @param bucket the bucket.
     */
    public void addRows(final SealedBucket bucket)
    {
        if (!bucket.views().equals(views))
        {
            throw new IllegalArgumentException("bucket has views " + bucket.views() + ", expected " + views);
        }

        for (int i = 0, n = bucket.rowCount(); i < n; i++)
        {
            addRow(
                bucket.viewIndex(i), bucket.hostHi(i), bucket.hostLo(i), bucket.peerHi(i), bucket.peerLo(i),
                bucket.protocol(i), bucket.port(i), bucket.served(i), bucket.key(i), bucket.isFolded(i),
                bucket.inBytes(i), bucket.inPackets(i), bucket.outBytes(i), bucket.outPackets(i));
        }
    }

    /**
     * Build the accumulated rows into an immutable bucket in deterministic order, then reset.
     *
     * @param agent            name of the analyzer instance that captured the packets.
     * @param stream           the stream they came from.
     * @param part             0 for the bucket's contribution when sealed, higher for late packets.
     * @param startEpochSecond start of the bucket.
     * @param widthSeconds     width of the bucket.
     * @param quality          its data-quality figures.
     * @return the bucket.
     */
    public SealedBucket build(
        final String agent,
        final CaptureStream stream,
        final int part,
        final long startEpochSecond,
        final int widthSeconds,
        final QualityFigures quality)
    {
        final int n = rowCount;
        RowSort.sort(byKey, order, scratch, n);
        final long[][] measuresOut = new long[MEASURES][];
        for (int m = 0; m < MEASURES; m++)
        {
            measuresOut[m] = gather(measures, MEASURES, m, n);
        }
        final SealedBucket bucket = new SealedBucket(
            agent, stream, part, startEpochSecond, widthSeconds, quality, views, n, gather(viewIndex, n),
            gather(hostHi, 1, 0, n), gather(hostLo, 1, 0, n), gather(peerHi, 1, 0, n), gather(peerLo, 1, 0, n),
            gather(protocol, n), gather(port, n), gather(flags, n), gather(key, 1, 0, n), measuresOut);
        reset();

        return bucket;
    }

    /**
     * Whether two buckets may merge into one: part-0 contributions of the same agent and stream, so that the merged
     * bucket stands for exactly those contributions of its range.
     *
     * @param older the earlier bucket.
     * @param newer the later bucket.
     * @return true when {@link #merge} accepts them.
     */
    public static boolean canMerge(final SealedBucket older, final SealedBucket newer)
    {
        return 0 == older.part() && 0 == newer.part() && older.agent().equals(newer.agent()) &&
            older.stream().equals(newer.stream());
    }

    /**
     * Merge two buckets of the same views, agent and stream into one spanning both: rows with equal keys summed,
     * figures summed.
     *
     * @param older the earlier bucket.
     * @param newer the later bucket.
     * @return the merged bucket, from the start of the earlier to the end of the later.
     * @throws IllegalArgumentException when they cannot merge (see {@link #canMerge}).
     */
    public SealedBucket merge(final SealedBucket older, final SealedBucket newer)
    {
        if (!canMerge(older, newer))
        {
            throw new IllegalArgumentException("only part-0 buckets of one agent and stream merge: " + older +
                " and " + newer);
        }
        reset();
        addRows(older);
        addRows(newer);
        final long start = Math.min(older.startEpochSecond(), newer.startEpochSecond());
        final long end = Math.max(older.endEpochSecond(), newer.endEpochSecond());

        return build(older.agent(), older.stream(), 0, start, Math.toIntExact(end - start),
            older.quality().plus(newer.quality()));
    }

    private static long hash(
        final int viewIndex,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final int protocol,
        final int port,
        final byte flags,
        final long key)
    {
        long h = hostLo * 0x9E3779B97F4A7C15L + hostHi;
        h = h * 0x9E3779B97F4A7C15L + peerLo;
        h = h * 0x9E3779B97F4A7C15L + peerHi;
        h = h * 0x9E3779B97F4A7C15L + key;
        h = h * 0x9E3779B97F4A7C15L + (((long)viewIndex << 40) | ((long)protocol << 24) | ((long)port << 8) | flags);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;

        return h;
    }

    // values[order[i] * stride + offset] for i in [0, n): one small loop per column, each compiled once for all
    private long[] gather(final long[] values, final int stride, final int offset, final int n)
    {
        final long[] out = new long[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = values[order[i] * stride + offset];
        }

        return out;
    }

    private int[] gather(final int[] values, final int n)
    {
        final int[] out = new int[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = values[order[i]];
        }

        return out;
    }

    private byte[] gather(final byte[] values, final int n)
    {
        final byte[] out = new byte[n];
        for (int i = 0; i < n; i++)
        {
            out[i] = values[order[i]];
        }

        return out;
    }

    private void ensureRows(final int rows)
    {
        if (rows > viewIndex.length)
        {
            final int capacity = viewIndex.length * 2;
            viewIndex = Arrays.copyOf(viewIndex, capacity);
            hostHi = Arrays.copyOf(hostHi, capacity);
            hostLo = Arrays.copyOf(hostLo, capacity);
            peerHi = Arrays.copyOf(peerHi, capacity);
            peerLo = Arrays.copyOf(peerLo, capacity);
            protocol = Arrays.copyOf(protocol, capacity);
            port = Arrays.copyOf(port, capacity);
            flags = Arrays.copyOf(flags, capacity);
            key = Arrays.copyOf(key, capacity);
            measures = Arrays.copyOf(measures, capacity * MEASURES);
            order = Arrays.copyOf(order, capacity);
            scratch = new int[capacity];
        }
    }

    private void rehash(final int length)
    {
        index = new int[length];
        final int mask = length - 1;
        for (int row = 0; row < rowCount; row++)
        {
            int slot = (int)hash(
                viewIndex[row], hostHi[row], hostLo[row], peerHi[row], peerLo[row], protocol[row], port[row],
                flags[row], key[row]) & mask;
            while (index[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            index[slot] = row + 1;
        }
    }

    // the order of SealedBucket: view, host, protocol, port, flags, peer, key; addresses unsigned
    private boolean before(final int a, final int b)
    {
        if (viewIndex[a] != viewIndex[b])
        {
            return viewIndex[a] < viewIndex[b];
        }
        if (hostHi[a] != hostHi[b])
        {
            return Long.compareUnsigned(hostHi[a], hostHi[b]) < 0;
        }
        if (hostLo[a] != hostLo[b])
        {
            return Long.compareUnsigned(hostLo[a], hostLo[b]) < 0;
        }
        if (protocol[a] != protocol[b])
        {
            return protocol[a] < protocol[b];
        }
        if (port[a] != port[b])
        {
            return port[a] < port[b];
        }
        if (flags[a] != flags[b])
        {
            return flags[a] < flags[b];
        }
        if (peerHi[a] != peerHi[b])
        {
            return Long.compareUnsigned(peerHi[a], peerHi[b]) < 0;
        }
        if (peerLo[a] != peerLo[b])
        {
            return Long.compareUnsigned(peerLo[a], peerLo[b]) < 0;
        }

        return key[a] < key[b];
    }
}
