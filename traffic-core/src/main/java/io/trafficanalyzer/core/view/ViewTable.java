package io.trafficanalyzer.core.view;

import io.trafficanalyzer.core.sink.RowWriter;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * An open-addressing hash table in preallocated off-heap memory that sums in/out bytes and packets per key, for
 * each open bucket, with a bounded number of keys per bucket: the building block of a view.
 * <p>
 * A key is a local host (128 bits), two 64-bit dimensions and a 16-bit one, whose meaning is the view's. Past
 * {@code maxKeys} keys in a bucket, a new key of a host is folded into that host's "other" row (same host, every
 * other dimension zero, marked folded); past a hard limit of {@code maxKeys + maxKeys / 4} rows it is folded into
 * one global "other" row (host {@code ::}). So memory is bounded and totals always add up; every folded packet is
 * counted.
 * <p>
 * Single-threaded: used by one aggregator of one shard. {@link #add} neither allocates nor throws; it reads and
 * writes its own memory by address, at offsets it computes within the table, without per-access bounds checks.
 * <p>
 * An entry is one cache line, 64 bytes aligned to 64, so counting a packet touches one line of entries, in native
 * byte order:
 * <pre>
 *   0: host hi    8: host lo   16: k1   24: k2   32: in bytes   40: out bytes
 *  48: k3 (16 bits) | in packets (48 bits)     56: flags (16 bits: used, folded) | out packets (48 bits)
 * </pre>
 * A 48-bit packet counter would take 22 days at the line rate of 100 Gbit/s to reach the bits above it.
 * <p>
 * {@link #prefetch} lets the caller find the entries of a group of packets before counting them, so that their
 * cache misses overlap: see {@link Aggregator#prefetch(PacketRecordDecoder)}. To find an entry without touching the
 * entries before it (a key displaced by collisions would cost a line each), it reads a tag byte per entry, zero while
 * the entry is free, else the used bit and 7 bits of the key's hash, eight tags at a time. {@link #add} walks the
 * entries themselves when no prefetch found its entry: they are in the caches then, and the walk is shorter.
 * <p>
 * Long because the layout above, the probe, the prefetch, the two levels of folding and the reading of a sealed
 * bucket all address the same memory by hand; kept in one class, the offsets are written in one place.
 */
public final class ViewTable implements AutoCloseable
{
    static final int HOST_HI_OFFSET = 0;
    static final int HOST_LO_OFFSET = 8;
    static final int K1_OFFSET = 16;
    static final int K2_OFFSET = 24;
    static final int IN_BYTES_OFFSET = 32;
    static final int OUT_BYTES_OFFSET = 40;
    static final int IN_PACKETS_OFFSET = 48;
    static final int OUT_PACKETS_OFFSET = 56;
    static final int ENTRY_LENGTH = 64;
    /** Most keys prefetched ahead of their counts; the aggregator agent groups records by it. */
    public static final int MAX_PREFETCHED = 64;
    static final int PREFETCH_MIN_ROWS = 32 * 1024;

    private static final int HIGH_SHIFT = 48;
    private static final long COUNT_MASK = (1L << HIGH_SHIFT) - 1;
    private static final long K3_MASK = 0xFFFF;
    private static final long USED = 0x8000;
    private static final long FOLDED = 0x0001;
    private static final int USED_TAG = 0x80;
    private static final byte PADDING_TAG = 0x01;
    private static final long TAG_LANES = 0x0101_0101_0101_0101L;
    private static final long TAG_LOW_BITS = 0x7F7F_7F7F_7F7F_7F7FL;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long NO_BUCKET = Long.MIN_VALUE;

    /**
     * Writes the view's dimensions of a table key into a row: the table writes the host, the folded mark and the
     * measures.
     */
    @FunctionalInterface
    public interface KeyWriter
    {
        /**
         * Set the row's dimensions from the key; all three are 0 on a folded row.
         *
         * @param k1  first dimension.
         * @param k2  second dimension.
         * @param k3  third dimension, 0 to 65 535.
         * @param row the row being written, between its begin and its commit.
         */
        void writeKey(long k1, long k2, long k3, RowWriter row);
    }

    private final int maxKeys;
    private final int hardLimit;
    private final int capacity;
    private final int prefetchMinRows;
    private final ByteBuffer[] memory;
    private final long[] entryAddresses;
    private final long[] tagAddresses;
    private final long[] slotBucket;
    private final int[] slotRows;
    private final long[] slotFolds;
    private final int[][] slotEntries;
    private final long[] prefetched = new long[MAX_PREFETCHED];
    private int prefetchedHead;
    private int prefetchedLoaded;
    private int prefetchedTail;
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
        this(maxKeys, openBuckets, PREFETCH_MIN_ROWS);
    }

    ViewTable(final int maxKeys, final int openBuckets, final int prefetchMinRows)
    {
        if (maxKeys < 1 || openBuckets < 1)
        {
            throw new IllegalArgumentException("maxKeys=" + maxKeys + " openBuckets=" + openBuckets);
        }

        this.maxKeys = maxKeys;
        this.hardLimit = hardLimit(maxKeys);
        this.prefetchMinRows = prefetchMinRows;
        final long entries = entries(maxKeys);
        // one spare entry's worth of bytes aligns the entries; the last word of tags overhangs by 7 padding tags
        final long length = (entries + 1) * ENTRY_LENGTH + entries + Long.BYTES;
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("maxKeys too large for one table: " + maxKeys);
        }
        this.capacity = (int)entries;

        this.memory = new ByteBuffer[openBuckets];
        this.entryAddresses = new long[openBuckets];
        this.tagAddresses = new long[openBuckets];
        for (int i = 0; i < openBuckets; i++)
        {
            memory[i] = ByteBuffer.allocateDirect((int)length);
            entryAddresses[i] = BitUtil.align(BufferUtil.address(memory[i]), ENTRY_LENGTH);
            tagAddresses[i] = entryAddresses[i] + (long)capacity * ENTRY_LENGTH;
            UNSAFE.setMemory(tagAddresses[i] + capacity, Long.BYTES, PADDING_TAG);
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
     * Find the entry that a later {@link #add} of this key will count in, without counting: the next {@code add}
     * loads every entry found this way since the previous one, together, and each {@code add} first tries the entry
     * found by the oldest {@code prefetch} not yet used. Calling it in the same order as {@code add}, for the same
     * keys, is what makes it pay; calling it otherwise costs time, never a wrong count. Up to 64 entries are
     * remembered; see {@link Aggregator#prefetch(PacketRecordDecoder)}. While the bucket holds fewer than 32 768
     * rows (2 MiB of entries) they stay in the caches, and it returns false at once.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param hostHi            local host, upper bits.
     * @param hostLo            local host, lower bits.
     * @param k1                first dimension.
     * @param k2                second dimension.
     * @param k3                third dimension, 0 to 65 535.
     * @return false when the table gains nothing from prefetching, as {@link Aggregator#prefetch} returns.
     */
    public boolean prefetch(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3)
    {
        // rows that fit in the caches have no misses to overlap
        final int slot = openSlot(bucketStartSecond);
        if (slot < 0 || slotRows[slot] < prefetchMinRows)
        {
            return false;
        }

        if (prefetchedTail < MAX_PREFETCHED)
        {
            final long hash = hash(hostHi, hostLo, k1, k2, k3 & K3_MASK);
            prefetched[prefetchedTail++] =
                entryAddresses[slot] + (long)probe(tagAddresses[slot], tag(hash), index(hash)) * ENTRY_LENGTH;
        }

        return true;
    }

    /**
     * Count packets under a key in a bucket.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param hostHi            local host, upper bits.
     * @param hostLo            local host, lower bits.
     * @param k1                first dimension.
     * @param k2                second dimension.
     * @param k3                third dimension, 0 to 65 535: only its low 16 bits are kept.
     * @param outbound          true when the local host sent the packets.
     * @param packets           how many packets.
     * @param bytes             their bytes together.
     */
    public void add(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final boolean outbound,
        final long packets,
        final long bytes)
    {
        final int slot = slot(bucketStartSecond);
        if (slot < 0)
        {
            lostPackets += packets;
            return;
        }

        final long key3 = k3 & K3_MASK;
        if (prefetchedHead < prefetchedTail)
        {
            // a key has one entry per bucket, so the prefetched entry is it if it holds the key and lies in the bucket
            final long entry = nextPrefetched();
            final long offset = entry - entryAddresses[slot];
            if (offset >= 0 && offset < (long)capacity * ENTRY_LENGTH &&
                matches(entry, hostHi, hostLo, k1, k2, key3, USED))
            {
                accumulate(entry, outbound, packets, bytes);
                return;
            }
        }

        addByHash(slot, hostHi, hostLo, k1, k2, key3, outbound, packets, bytes);
    }

    /**
     * Write every row of a bucket, free them, and close the bucket.
     *
     * @param bucketStartSecond the bucket.
     * @param rows              where to write the rows.
     * @param keys              writes the view's dimensions of each row.
     * @return the number of packets folded into "other" rows in this bucket.
     */
    public long seal(final long bucketStartSecond, final RowWriter rows, final KeyWriter keys)
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

        final long entries = entryAddresses[slot];
        final long tags = tagAddresses[slot];
        final int[] offsets = slotEntries[slot];
        for (int i = 0, count = slotRows[slot]; i < count; i++)
        {
            final int offset = offsets[i];
            writeRow(entries + offset, rows, keys);
            UNSAFE.setMemory(entries + offset, ENTRY_LENGTH, (byte)0);
            UNSAFE.putByte(tags + offset / ENTRY_LENGTH, (byte)0);
        }

        final long folds = slotFolds[slot];
        slotBucket[slot] = NO_BUCKET;
        slotRows[slot] = 0;
        slotFolds[slot] = 0;

        return folds;
    }

    /**
     * Write every row of an open bucket and keep them, e.g. for a live view.
     *
     * @param bucketStartSecond the bucket.
     * @param rows              where to write the rows.
     * @param keys              writes the view's dimensions of each row.
     */
    public void peek(final long bucketStartSecond, final RowWriter rows, final KeyWriter keys)
    {
        for (int slot = 0; slot < slotBucket.length; slot++)
        {
            if (slotBucket[slot] == bucketStartSecond)
            {
                final long entries = entryAddresses[slot];
                final int[] offsets = slotEntries[slot];
                for (int i = 0, count = slotRows[slot]; i < count; i++)
                {
                    writeRow(entries + offsets[i], rows, keys);
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
        for (final ByteBuffer buffer : memory)
        {
            BufferUtil.free(buffer);
        }
    }

    private static int hardLimit(final int maxKeys)
    {
        return maxKeys + Math.max(1, maxKeys / 4);
    }

    private static long entries(final int maxKeys)
    {
        // at most 3/4 full even past the hard limit, so probe sequences stay short
        return (hardLimit(maxKeys) + 2L) * 4 / 3 + 1;
    }

    private long nextPrefetched()
    {
        if (prefetchedLoaded < prefetchedTail)
        {
            loadPrefetched();
        }

        final long entry = prefetched[prefetchedHead++];
        if (prefetchedHead == prefetchedTail)
        {
            prefetchedHead = 0;
            prefetchedLoaded = 0;
            prefetchedTail = 0;
        }

        return entry;
    }

    private void loadPrefetched()
    {
        // A load that misses the caches holds its place in the CPU's reorder buffer until memory answers, and only a
        // few hundred instructions fit there. So the entries are loaded here, back to back, rather than where each was
        // found: the misses of the whole group are in flight at once, and the counting that follows finds its entries
        // in the cache. Java has no prefetch instruction; the sum only keeps the JIT from dropping unused loads.
        long sum = 0;
        for (int i = prefetchedLoaded, tail = prefetchedTail; i < tail; i++)
        {
            sum += UNSAFE.getLong(prefetched[i]);
        }
        prefetchedLoaded = prefetchedTail;
        prefetchSink += sum;
    }

    private void addByHash(
        final int slot,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final boolean outbound,
        final long packets,
        final long bytes)
    {
        final long hash = hash(hostHi, hostLo, k1, k2, k3);
        final int index = find(slot, index(hash), hostHi, hostLo, k1, k2, k3, USED);
        final long entry = entryAddresses[slot] + (long)index * ENTRY_LENGTH;
        if (isFree(entry))
        {
            if (slotRows[slot] >= maxKeys)
            {
                fold(slot, hostHi, hostLo, outbound, packets, bytes);
                return;
            }

            insert(slot, index, tag(hash), hostHi, hostLo, k1, k2, k3, USED);
        }

        accumulate(entry, outbound, packets, bytes);
    }

    private void fold(
        final int slot,
        final long hostHi,
        final long hostLo,
        final boolean outbound,
        final long packets,
        final long bytes)
    {
        slotFolds[slot] += packets;
        if (!addFolded(slot, hostHi, hostLo, outbound, packets, bytes, slotRows[slot] < hardLimit))
        {
            addFolded(slot, 0, 0, outbound, packets, bytes, true);
        }
    }

    private boolean addFolded(
        final int slot,
        final long hostHi,
        final long hostLo,
        final boolean outbound,
        final long packets,
        final long bytes,
        final boolean mayInsert)
    {
        final long hash = hash(hostHi, hostLo, 0, 0, 0);
        final int index = find(slot, index(hash), hostHi, hostLo, 0, 0, 0, USED | FOLDED);
        final long entry = entryAddresses[slot] + (long)index * ENTRY_LENGTH;
        if (isFree(entry))
        {
            if (!mayInsert)
            {
                return false;
            }

            insert(slot, index, tag(hash), hostHi, hostLo, 0, 0, 0, USED | FOLDED);
        }

        accumulate(entry, outbound, packets, bytes);
        return true;
    }

    private int find(
        final int slot,
        final int start,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final long flags)
    {
        // the entry holding the key, else the free one where it goes; walking the entries rather than the tags is
        // cheaper when they are in the caches, as they are unless prefetched
        final long entries = entryAddresses[slot];
        int index = start;
        while (true)
        {
            final long entry = entries + (long)index * ENTRY_LENGTH;
            if (isFree(entry) || matches(entry, hostHi, hostLo, k1, k2, k3, flags))
            {
                return index;
            }

            if (++index == capacity)
            {
                index = 0;
            }
        }
    }

    private void insert(
        final int slot,
        final int index,
        final byte tag,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final long flags)
    {
        final long entry = entryAddresses[slot] + (long)index * ENTRY_LENGTH;
        UNSAFE.putLong(entry + HOST_HI_OFFSET, hostHi);
        UNSAFE.putLong(entry + HOST_LO_OFFSET, hostLo);
        UNSAFE.putLong(entry + K1_OFFSET, k1);
        UNSAFE.putLong(entry + K2_OFFSET, k2);
        UNSAFE.putLong(entry + IN_PACKETS_OFFSET, k3 << HIGH_SHIFT);
        UNSAFE.putLong(entry + OUT_PACKETS_OFFSET, flags << HIGH_SHIFT);
        UNSAFE.putByte(tagAddresses[slot] + index, tag);
        slotEntries[slot][slotRows[slot]++] = index * ENTRY_LENGTH;
    }

    private int probe(final long tags, final byte tag, final int start)
    {
        // the first of eight tags at a time that is this tag or free; the padding after the last tag is neither
        final long wanted = (tag & 0xFFL) * TAG_LANES;
        int index = start;
        while (true)
        {
            final long word = UNSAFE.getLong(tags + index);
            final long found = zeroBytes(word ^ wanted) | zeroBytes(word);
            if (0 != found)
            {
                return index +
                    (LITTLE_ENDIAN ? Long.numberOfTrailingZeros(found) : Long.numberOfLeadingZeros(found)) / Byte.SIZE;
            }

            index += Long.BYTES;
            if (index >= capacity)
            {
                index = 0;
            }
        }
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

    private int index(final long hash)
    {
        // the high 32 bits of the hash scaled to the capacity: uniform without a power-of-two size
        return (int)(((hash >>> 32) * capacity) >>> 32);
    }

    private static boolean matches(
        final long entry,
        final long hostHi,
        final long hostLo,
        final long k1,
        final long k2,
        final long k3,
        final long flags)
    {
        return UNSAFE.getLong(entry + HOST_LO_OFFSET) == hostLo &&
            UNSAFE.getLong(entry + HOST_HI_OFFSET) == hostHi &&
            UNSAFE.getLong(entry + K1_OFFSET) == k1 &&
            UNSAFE.getLong(entry + K2_OFFSET) == k2 &&
            UNSAFE.getLong(entry + IN_PACKETS_OFFSET) >>> HIGH_SHIFT == k3 &&
            UNSAFE.getLong(entry + OUT_PACKETS_OFFSET) >>> HIGH_SHIFT == flags;
    }

    private static boolean isFree(final long entry)
    {
        return 0 == UNSAFE.getLong(entry + OUT_PACKETS_OFFSET) >>> HIGH_SHIFT;
    }

    private static void accumulate(final long entry, final boolean outbound, final long packets, final long bytes)
    {
        final long bytesAddress = entry + (outbound ? OUT_BYTES_OFFSET : IN_BYTES_OFFSET);
        final long packetsAddress = bytesAddress + (IN_PACKETS_OFFSET - IN_BYTES_OFFSET);
        UNSAFE.putLong(bytesAddress, UNSAFE.getLong(bytesAddress) + bytes);
        UNSAFE.putLong(packetsAddress, UNSAFE.getLong(packetsAddress) + packets);
    }

    private static void writeRow(final long entry, final RowWriter rows, final KeyWriter keys)
    {
        final long inPackets = UNSAFE.getLong(entry + IN_PACKETS_OFFSET);
        final long outPackets = UNSAFE.getLong(entry + OUT_PACKETS_OFFSET);
        rows.begin()
            .host(UNSAFE.getLong(entry + HOST_HI_OFFSET), UNSAFE.getLong(entry + HOST_LO_OFFSET))
            .folded((outPackets >>> HIGH_SHIFT & FOLDED) != 0)
            .in(UNSAFE.getLong(entry + IN_BYTES_OFFSET), inPackets & COUNT_MASK)
            .out(UNSAFE.getLong(entry + OUT_BYTES_OFFSET), outPackets & COUNT_MASK);
        keys.writeKey(
            UNSAFE.getLong(entry + K1_OFFSET), UNSAFE.getLong(entry + K2_OFFSET), inPackets >>> HIGH_SHIFT, rows);
        rows.commit();
    }

    private static long zeroBytes(final long word)
    {
        // the top bit of each byte that is zero, and no other bit: no carry crosses from one byte to the next
        return ~(((word & TAG_LOW_BITS) + TAG_LOW_BITS) | word | TAG_LOW_BITS);
    }

    private static byte tag(final long hash)
    {
        return (byte)(hash | USED_TAG);
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
