package io.trafficanalyzer.core.aggregate;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * An open-addressing hash table in preallocated off-heap memory that sums in/out bytes and packets per key, for
 * each open bucket, with a bounded number of keys per bucket: the building block of a view.
 * <p>
 * A key is a local host (128 bits) and up to three more 64-bit dimensions whose meaning is the view's. Past
 * {@code maxKeys} keys in a bucket, a new key of a host is folded into that host's "other" row (same host, every
 * other dimension zero, marked folded); past a hard limit of {@code maxKeys + maxKeys / 4} rows it is folded into
 * one global "other" row (host {@code ::}). So memory is bounded and totals always add up; every folded packet is
 * counted.
 * <p>
 * Single-threaded: used by one aggregator of one shard. {@link #add} neither allocates nor throws; it reads and
 * writes its own memory by address, at offsets it computes within the table, without per-access bounds checks.
 * {@link #prefetch} lets the caller find the entries of a group of packets before counting them, so that their
 * cache misses overlap: see {@link Aggregator#prefetch(PacketRecordDecoder)}.
 * <p>
 * Entry layout, 80 bytes, native byte order:
 * <pre>
 *   0: state (used bit, folded bit, 62 bits of hash)   8: host hi   16: host lo
 *  24: k1   32: k2   40: k3   48: in bytes   56: in packets   64: out bytes   72: out packets
 * </pre>
 */
public final class ViewTable implements AutoCloseable
{
    static final int STATE_OFFSET = 0;
    static final int HOST_HI_OFFSET = 8;
    static final int HOST_LO_OFFSET = 16;
    static final int K1_OFFSET = 24;
    static final int K2_OFFSET = 32;
    static final int K3_OFFSET = 40;
    static final int IN_BYTES_OFFSET = 48;
    static final int IN_PACKETS_OFFSET = 56;
    static final int OUT_BYTES_OFFSET = 64;
    static final int OUT_PACKETS_OFFSET = 72;
    static final int ENTRY_LENGTH = 80;

    private static final long USED = 1L << 63;
    private static final long FOLDED = 1L << 62;
    private static final long HASH_MASK = FOLDED - 1;
    private static final long NO_BUCKET = Long.MIN_VALUE;
    static final int MAX_PREFETCHED = 64;

    /**
     * Receives the rows of a bucket when it is sealed.
     */
    @FunctionalInterface
    public interface EntryHandler
    {
        /**
         * One row of the sealed bucket.
         *
         * @param hostHi     local host, upper bits; 0 on the global "other" row.
         * @param hostLo     local host, lower bits; 0 on the global "other" row.
         * @param k1         first dimension; 0 on a folded row.
         * @param k2         second dimension; 0 on a folded row.
         * @param k3         third dimension; 0 on a folded row.
         * @param folded     whether this is an "other" row.
         * @param inBytes    bytes received.
         * @param inPackets  packets received.
         * @param outBytes   bytes sent.
         * @param outPackets packets sent.
         */
        void onEntry(
            long hostHi,
            long hostLo,
            long k1,
            long k2,
            long k3,
            boolean folded,
            long inBytes,
            long inPackets,
            long outBytes,
            long outPackets);
    }

    private final int maxKeys;
    private final int hardLimit;
    private final int capacity;
    private final UnsafeBuffer[] tables;
    private final long[] addresses;
    private final long[] slotBucket;
    private final int[] slotRows;
    private final long[] slotFolds;
    private final int[][] slotEntries;
    private final long[] prefetched = new long[MAX_PREFETCHED];
    private int prefetchedCount;
    private long prefetchSink;
    private int lastSlot;
    private long lostPackets;

    /**
     * A table sized for the given limits.
     *
     * @param maxKeys     keys per bucket before folding, at least 1.
     * @param openBuckets buckets open at once, at least 1.
     */
    public ViewTable(final int maxKeys, final int openBuckets)
    {
        if (maxKeys < 1 || openBuckets < 1)
        {
            throw new IllegalArgumentException("maxKeys=" + maxKeys + " openBuckets=" + openBuckets);
        }

        this.maxKeys = maxKeys;
        this.hardLimit = maxKeys + Math.max(1, maxKeys / 4);
        // at most 3/4 full even past the hard limit, so probe sequences stay short
        final long entries = (hardLimit + 2L) * 4 / 3 + 1;
        if (entries * ENTRY_LENGTH > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("maxKeys too large for one table: " + maxKeys);
        }
        this.capacity = (int)entries;

        this.tables = new UnsafeBuffer[openBuckets];
        this.addresses = new long[openBuckets];
        for (int i = 0; i < openBuckets; i++)
        {
            tables[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * ENTRY_LENGTH));
            addresses[i] = tables[i].addressOffset();
        }
        this.slotBucket = new long[openBuckets];
        this.slotRows = new int[openBuckets];
        this.slotFolds = new long[openBuckets];
        this.slotEntries = new int[openBuckets][hardLimit + 1];
        Arrays.fill(slotBucket, NO_BUCKET);
    }

    /**
     * Keys per bucket before folding.
     *
     * @return the limit.
     */
    public int maxKeys()
    {
        return maxKeys;
    }

    /**
     * Entries per bucket table.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Rows held for a bucket, folded rows included.
     *
     * @param bucketStartSecond the bucket.
     * @return the row count, 0 when the bucket is not open.
     */
    public int rowCount(final long bucketStartSecond)
    {
        for (int i = 0; i < slotBucket.length; i++)
        {
            if (slotBucket[i] == bucketStartSecond)
            {
                return slotRows[i];
            }
        }

        return 0;
    }

    /**
     * Packets that could not be counted because more buckets were open than the table was sized for; zero unless
     * the pipeline broke its own invariant.
     *
     * @return the count.
     */
    public long lostPackets()
    {
        return lostPackets;
    }

    /**
     * Count one packet under a key in a bucket.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param hostHi            local host, upper bits.
     * @param hostLo            local host, lower bits.
     * @param k1                first dimension.
     * @param k2                second dimension.
     * @param k3                third dimension.
     * @param outbound          true when the local host sent the packet.
     * @param bytes             the packet's bytes.
     */
    public void add(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final boolean outbound,
        final long bytes)
    {
        if (prefetchedCount > 0)
        {
            loadPrefetched();
        }

        final int slot = slot(bucketStartSecond);
        if (slot < 0)
        {
            lostPackets++;
            return;
        }

        final long base = addresses[slot];
        final long hash = hash(hostHi, hostLo, k1, k2, k3);
        final long state = USED | (hash & HASH_MASK);
        int index = index(hash);
        while (true)
        {
            final long entry = base + (long)index * ENTRY_LENGTH;
            final long existing = UNSAFE.getLong(entry + STATE_OFFSET);
            if (existing == state &&
                UNSAFE.getLong(entry + HOST_LO_OFFSET) == hostLo &&
                UNSAFE.getLong(entry + HOST_HI_OFFSET) == hostHi &&
                UNSAFE.getLong(entry + K1_OFFSET) == k1 &&
                UNSAFE.getLong(entry + K2_OFFSET) == k2 &&
                UNSAFE.getLong(entry + K3_OFFSET) == k3)
            {
                accumulate(entry, outbound, bytes);
                return;
            }

            if (0 == existing)
            {
                if (slotRows[slot] >= maxKeys)
                {
                    fold(slot, base, hostHi, hostLo, outbound, bytes);
                    return;
                }

                insert(entry, state, hostHi, hostLo, k1, k2, k3);
                slotEntries[slot][slotRows[slot]++] = index * ENTRY_LENGTH;
                accumulate(entry, outbound, bytes);
                return;
            }

            if (++index == capacity)
            {
                index = 0;
            }
        }
    }

    /**
     * Note the entry where a later {@link #add} of this key will look first, without counting: the next {@code add}
     * loads every entry noted since the previous one, together. Up to 64 entries are noted; see
     * {@link Aggregator#prefetch(PacketRecordDecoder)}.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param hostHi            local host, upper bits.
     * @param hostLo            local host, lower bits.
     * @param k1                first dimension.
     * @param k2                second dimension.
     * @param k3                third dimension.
     */
    public void prefetch(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3)
    {
        final int slot = openSlot(bucketStartSecond);
        if (slot >= 0 && prefetchedCount < MAX_PREFETCHED)
        {
            prefetched[prefetchedCount++] =
                addresses[slot] + (long)index(hash(hostHi, hostLo, k1, k2, k3)) * ENTRY_LENGTH;
        }
    }

    /**
     * Hand every row of a bucket to a handler, free them, and close the bucket.
     *
     * @param bucketStartSecond the bucket.
     * @param handler           receives each row.
     * @return the number of packets folded into "other" rows in this bucket.
     */
    public long seal(final long bucketStartSecond, final EntryHandler handler)
    {
        int slot = -1;
        for (int i = 0; i < slotBucket.length; i++)
        {
            if (slotBucket[i] == bucketStartSecond)
            {
                slot = i;
                break;
            }
        }

        if (slot < 0)
        {
            return 0;
        }

        final UnsafeBuffer table = tables[slot];
        final int[] entries = slotEntries[slot];
        for (int i = 0, rows = slotRows[slot]; i < rows; i++)
        {
            final int offset = entries[i];
            final long state = table.getLong(offset + STATE_OFFSET);
            handler.onEntry(
                table.getLong(offset + HOST_HI_OFFSET),
                table.getLong(offset + HOST_LO_OFFSET),
                table.getLong(offset + K1_OFFSET),
                table.getLong(offset + K2_OFFSET),
                table.getLong(offset + K3_OFFSET),
                (state & FOLDED) != 0,
                table.getLong(offset + IN_BYTES_OFFSET),
                table.getLong(offset + IN_PACKETS_OFFSET),
                table.getLong(offset + OUT_BYTES_OFFSET),
                table.getLong(offset + OUT_PACKETS_OFFSET));
            table.setMemory(offset, ENTRY_LENGTH, (byte)0);
        }

        final long folds = slotFolds[slot];
        slotBucket[slot] = NO_BUCKET;
        slotRows[slot] = 0;
        slotFolds[slot] = 0;

        return folds;
    }

    /**
     * Hand every row of an open bucket to a handler and keep them, e.g. for a live view.
     *
     * @param bucketStartSecond the bucket.
     * @param handler           receives each row.
     */
    public void peek(final long bucketStartSecond, final EntryHandler handler)
    {
        for (int slot = 0; slot < slotBucket.length; slot++)
        {
            if (slotBucket[slot] == bucketStartSecond)
            {
                final UnsafeBuffer table = tables[slot];
                final int[] entries = slotEntries[slot];
                for (int i = 0, rows = slotRows[slot]; i < rows; i++)
                {
                    final int offset = entries[i];
                    handler.onEntry(
                        table.getLong(offset + HOST_HI_OFFSET),
                        table.getLong(offset + HOST_LO_OFFSET),
                        table.getLong(offset + K1_OFFSET),
                        table.getLong(offset + K2_OFFSET),
                        table.getLong(offset + K3_OFFSET),
                        (table.getLong(offset + STATE_OFFSET) & FOLDED) != 0,
                        table.getLong(offset + IN_BYTES_OFFSET),
                        table.getLong(offset + IN_PACKETS_OFFSET),
                        table.getLong(offset + OUT_BYTES_OFFSET),
                        table.getLong(offset + OUT_PACKETS_OFFSET));
                }
                return;
            }
        }
    }

    /**
     * Release the off-heap memory; the table must not be used afterwards.
     */
    public void close()
    {
        for (final UnsafeBuffer table : tables)
        {
            BufferUtil.free(table);
        }
    }

    private void loadPrefetched()
    {
        // A load that misses the caches holds its place in the CPU's reorder buffer until memory answers, and only a
        // few hundred instructions fit there. So the noted entries are loaded here, back to back, rather than where
        // each was found: the misses of the whole group are in flight at once. An entry of 80 bytes spans two cache
        // lines, so both are loaded. Java has no prefetch instruction; the sum keeps the JIT from dropping the loads.
        long sum = 0;
        for (int i = 0, count = prefetchedCount; i < count; i++)
        {
            final long entry = prefetched[i];
            sum += UNSAFE.getLong(entry) + UNSAFE.getLong(entry + ENTRY_LENGTH - Long.BYTES);
        }
        prefetchedCount = 0;
        prefetchSink += sum;
    }

    private int openSlot(final long bucketStartSecond)
    {
        if (slotBucket[lastSlot] == bucketStartSecond)
        {
            return lastSlot;
        }

        for (int i = 0; i < slotBucket.length; i++)
        {
            if (slotBucket[i] == bucketStartSecond)
            {
                return i;
            }
        }

        return -1;
    }

    private int slot(final long bucketStartSecond)
    {
        if (slotBucket[lastSlot] == bucketStartSecond)
        {
            return lastSlot;
        }

        int free = -1;
        for (int i = 0; i < slotBucket.length; i++)
        {
            if (slotBucket[i] == bucketStartSecond)
            {
                lastSlot = i;
                return i;
            }

            if (free < 0 && slotBucket[i] == NO_BUCKET)
            {
                free = i;
            }
        }

        if (free >= 0)
        {
            slotBucket[free] = bucketStartSecond;
            lastSlot = free;
        }

        return free;
    }

    private void fold(
        final int slot,
        final long base,
        final long hostHi,
        final long hostLo,
        final boolean outbound,
        final long bytes)
    {
        slotFolds[slot]++;
        if (!addFolded(slot, base, hostHi, hostLo, outbound, bytes, slotRows[slot] < hardLimit))
        {
            addFolded(slot, base, 0, 0, outbound, bytes, true);
        }
    }

    private boolean addFolded(
        final int slot,
        final long base,
        final long hostHi,
        final long hostLo,
        final boolean outbound,
        final long bytes,
        final boolean mayInsert)
    {
        final long hash = hash(hostHi, hostLo, 0, 0, 0);
        final long state = USED | FOLDED | (hash & HASH_MASK);
        int index = index(hash);
        while (true)
        {
            final long entry = base + (long)index * ENTRY_LENGTH;
            final long existing = UNSAFE.getLong(entry + STATE_OFFSET);
            if (existing == state &&
                UNSAFE.getLong(entry + HOST_LO_OFFSET) == hostLo &&
                UNSAFE.getLong(entry + HOST_HI_OFFSET) == hostHi)
            {
                accumulate(entry, outbound, bytes);
                return true;
            }

            if (0 == existing)
            {
                if (!mayInsert)
                {
                    return false;
                }

                insert(entry, state, hostHi, hostLo, 0, 0, 0);
                slotEntries[slot][slotRows[slot]++] = index * ENTRY_LENGTH;
                accumulate(entry, outbound, bytes);
                return true;
            }

            if (++index == capacity)
            {
                index = 0;
            }
        }
    }

    private static void insert(
        final long entry,
        final long state,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3)
    {
        UNSAFE.putLong(entry + HOST_HI_OFFSET, hostHi);
        UNSAFE.putLong(entry + HOST_LO_OFFSET, hostLo);
        UNSAFE.putLong(entry + K1_OFFSET, k1);
        UNSAFE.putLong(entry + K2_OFFSET, k2);
        UNSAFE.putLong(entry + K3_OFFSET, k3);
        UNSAFE.putLong(entry + STATE_OFFSET, state);
    }

    private static void accumulate(final long entry, final boolean outbound, final long bytes)
    {
        final long bytesAddress = entry + (outbound ? OUT_BYTES_OFFSET : IN_BYTES_OFFSET);
        UNSAFE.putLong(bytesAddress, UNSAFE.getLong(bytesAddress) + bytes);
        UNSAFE.putLong(bytesAddress + Long.BYTES, UNSAFE.getLong(bytesAddress + Long.BYTES) + 1);
    }

    private int index(final long hash)
    {
        // the high 32 bits of the hash scaled to the capacity: uniform without a power-of-two size
        return (int)(((hash >>> 32) * capacity) >>> 32);
    }

    static long hash(final long hostHi, final long hostLo, final long k1, final long k2, final long k3)
    {
        // independent products, so the multiplications run in parallel rather than as a chain
        long h = (hostLo * 0x9E3779B97F4A7C15L) ^ (hostHi * 0xC2B2AE3D27D4EB4FL) ^
            (k1 * 0x165667B19E3779F9L) ^ (k2 * 0xD6E8FEB86659FD93L) ^ (k3 * 0xFF51AFD7ED558CCDL);
        h ^= h >>> 32;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;

        return h;
    }
}
