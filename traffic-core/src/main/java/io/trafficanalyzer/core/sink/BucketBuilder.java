package io.trafficanalyzer.core.sink;

import io.trafficanalyzer.core.capture.CaptureStream;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.List;

import static io.trafficanalyzer.core.sink.BucketRowDescriptor.*;

/**
 * Accumulates the row records of one bucket, summing rows with equal keys, and builds an immutable, deterministically
 * ordered {@link SealedBucket}; also merges two pending buckets into a coarser one.
 * <p>
 * Reused bucket after bucket by one thread; its memory grows to the largest bucket seen and then stays.
 */
public final class BucketBuilder implements RowWriter.RowHandler
{
    private static final int INITIAL_ROWS = 64;

    private final List<String> views;
    private final RowSort.Order byKey = this::before;
    private final RowWriter rowWriter = new RowWriter(0, this);
    // the rows as added, one record after another
    private UnsafeBuffer rows = new UnsafeBuffer(new byte[INITIAL_ROWS * LENGTH]);
    private int rowCount;
    private int[] index = new int[INITIAL_ROWS * 2];
    // row numbers: as added (onRow writes each), in key order once build has sorted them
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
        addRow(viewIndex, hostHi, hostLo, peerHi, peerLo, protocol, port, served ? StatsRow.SERVER : StatsRow.CLIENT,
            key, folded, inBytes, inPackets, outBytes, outPackets);
    }

    /**
     * Add a row with the local host's role for its port, summing its measures into an accumulated row with an equal
     * key.
     *
     * @param viewIndex  index of the view in {@link #views()}.
     * @param hostHi     local host, upper bits.
     * @param hostLo     local host, lower bits.
     * @param peerHi     peer, upper bits.
     * @param peerLo     peer, lower bits.
     * @param protocol   IP protocol.
     * @param port       service port.
     * @param role       {@link StatsRow#CLIENT}, {@link StatsRow#SERVER} or {@link StatsRow#REFUSING}.
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
        final int role,
        final long key,
        final boolean folded,
        final long inBytes,
        final long inPackets,
        final long outBytes,
        final long outPackets)
    {
        checkViewIndex(viewIndex);
        rowWriter.viewIndex(viewIndex).begin().host(hostHi, hostLo).peer(peerHi, peerLo).protocol(protocol)
            .port(port, StatsRow.CLIENT != role).refused(StatsRow.REFUSING == role).key(key).folded(folded)
            .in(inBytes, inPackets).out(outBytes, outPackets).commit();
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

        final DirectBuffer records = bucket.rows();
        for (int i = 0, n = bucket.rowCount(); i < n; i++)
        {
            onRow(records, i * LENGTH, LENGTH);
        }
    }

    /**
     * Add a row record ({@link BucketRow}'s layout), summing its measures into an accumulated row with an equal key.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @param length of the record, {@link BucketRow#LENGTH}.
     */
    public void onRow(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != LENGTH)
        {
            throw new IllegalArgumentException("a row record is " + LENGTH + " bytes, not " + length);
        }

        final long viewFlags = buffer.getLong(offset + VIEW_FLAGS_OFFSET);
        checkViewIndex(viewIndex(viewFlags));
        final long hostHi = buffer.getLong(offset + HOST_HI_OFFSET);
        final long hostLo = buffer.getLong(offset + HOST_LO_OFFSET);
        final long protocolPort = buffer.getLong(offset + PROTOCOL_PORT_OFFSET);
        final long peerHi = buffer.getLong(offset + PEER_HI_OFFSET);
        final long peerLo = buffer.getLong(offset + PEER_LO_OFFSET);
        final long key = buffer.getLong(offset + KEY_OFFSET);
        final UnsafeBuffer rows = this.rows;
        final int mask = index.length - 1;
        int slot = (int)hash(viewFlags, hostHi, hostLo, protocolPort, peerHi, peerLo, key) & mask;
        while (true)
        {
            final int entry = index[slot];
            if (entry == 0)
            {
                break;
            }

            final int at = (entry - 1) * LENGTH;
            if (rows.getLong(at + HOST_LO_OFFSET) == hostLo && rows.getLong(at + HOST_HI_OFFSET) == hostHi &&
                rows.getLong(at + PEER_LO_OFFSET) == peerLo && rows.getLong(at + PEER_HI_OFFSET) == peerHi &&
                rows.getLong(at + PROTOCOL_PORT_OFFSET) == protocolPort && rows.getLong(at + KEY_OFFSET) == key &&
                rows.getLong(at + VIEW_FLAGS_OFFSET) == viewFlags)
            {
                add(rows, at + IN_BYTES_OFFSET, buffer.getLong(offset + IN_BYTES_OFFSET));
                add(rows, at + IN_PACKETS_OFFSET, buffer.getLong(offset + IN_PACKETS_OFFSET));
                add(rows, at + OUT_BYTES_OFFSET, buffer.getLong(offset + OUT_BYTES_OFFSET));
                add(rows, at + OUT_PACKETS_OFFSET, buffer.getLong(offset + OUT_PACKETS_OFFSET));
                return;
            }

            slot = (slot + 1) & mask;
        }

        final int row = rowCount;
        if (row == order.length)
        {
            grow(row * 2);
        }
        rowCount = row + 1;
        this.rows.putBytes(row * LENGTH, buffer, offset, LENGTH);
        order[row] = row;
        index[slot] = row + 1;
        if (rowCount * 2 > index.length)
        {
            rehash(index.length * 2);
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
        final byte[] sorted = new byte[n * LENGTH];
        final byte[] unsorted = rows.byteArray();
        for (int i = 0; i < n; i++)
        {
            System.arraycopy(unsorted, order[i] * LENGTH, sorted, i * LENGTH, LENGTH);
        }
        final SealedBucket bucket =
            new SealedBucket(agent, stream, part, startEpochSecond, widthSeconds, quality, views, n, sorted);
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

    private void checkViewIndex(final int viewIndex)
    {
        if (viewIndex < 0 || viewIndex >= views.size())
        {
            throw new IllegalArgumentException("view index out of range: " + viewIndex);
        }
    }

    private static long hash(
        final long viewFlags,
        final long hostHi,
        final long hostLo,
        final long protocolPort,
        final long peerHi,
        final long peerLo,
        final long key)
    {
        long h = hostLo * 0x9E3779B97F4A7C15L + hostHi;
        h = h * 0x9E3779B97F4A7C15L + peerLo;
        h = h * 0x9E3779B97F4A7C15L + peerHi;
        h = h * 0x9E3779B97F4A7C15L + key;
        h = h * 0x9E3779B97F4A7C15L + protocolPort;
        h = h * 0x9E3779B97F4A7C15L + viewFlags;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;

        return h;
    }

    private static void add(final UnsafeBuffer rows, final int index, final long value)
    {
        rows.putLong(index, rows.getLong(index) + value);
    }

    private void grow(final int capacity)
    {
        final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity * LENGTH]);
        grown.putBytes(0, rows, 0, rowCount * LENGTH);
        rows = grown;
        order = Arrays.copyOf(order, capacity);
        scratch = new int[capacity];
    }

    private void rehash(final int length)
    {
        index = new int[length];
        final int mask = length - 1;
        for (int row = 0; row < rowCount; row++)
        {
            final int at = row * LENGTH;
            int slot = (int)hash(
                rows.getLong(at + VIEW_FLAGS_OFFSET), rows.getLong(at + HOST_HI_OFFSET),
                rows.getLong(at + HOST_LO_OFFSET), rows.getLong(at + PROTOCOL_PORT_OFFSET),
                rows.getLong(at + PEER_HI_OFFSET), rows.getLong(at + PEER_LO_OFFSET), rows.getLong(at + KEY_OFFSET)) &
                mask;
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
        final UnsafeBuffer rows = this.rows;
        final int ra = a * LENGTH;
        final int rb = b * LENGTH;
        final long viewFlagsA = rows.getLong(ra + VIEW_FLAGS_OFFSET);
        final long viewFlagsB = rows.getLong(rb + VIEW_FLAGS_OFFSET);
        final int viewA = viewIndex(viewFlagsA);
        final int viewB = viewIndex(viewFlagsB);
        if (viewA != viewB)
        {
            return viewA < viewB;
        }

        int c = Long.compareUnsigned(rows.getLong(ra + HOST_HI_OFFSET), rows.getLong(rb + HOST_HI_OFFSET));
        if (0 == c)
        {
            c = Long.compareUnsigned(rows.getLong(ra + HOST_LO_OFFSET), rows.getLong(rb + HOST_LO_OFFSET));
        }
        if (0 == c)
        {
            final long protocolPortA = rows.getLong(ra + PROTOCOL_PORT_OFFSET);
            final long protocolPortB = rows.getLong(rb + PROTOCOL_PORT_OFFSET);
            c = Integer.compare(protocol(protocolPortA), protocol(protocolPortB));
            if (0 == c)
            {
                c = Integer.compare(port(protocolPortA), port(protocolPortB));
            }
        }
        if (0 == c)
        {
            c = Long.compare(viewFlagsA, viewFlagsB);
        }
        if (0 == c)
        {
            c = Long.compareUnsigned(rows.getLong(ra + PEER_HI_OFFSET), rows.getLong(rb + PEER_HI_OFFSET));
        }
        if (0 == c)
        {
            c = Long.compareUnsigned(rows.getLong(ra + PEER_LO_OFFSET), rows.getLong(rb + PEER_LO_OFFSET));
        }
        if (0 == c)
        {
            c = Long.compare(rows.getLong(ra + KEY_OFFSET), rows.getLong(rb + KEY_OFFSET));
        }

        return c < 0;
    }
}
