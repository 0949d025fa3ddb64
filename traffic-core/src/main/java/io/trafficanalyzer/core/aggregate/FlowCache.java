package io.trafficanalyzer.core.aggregate;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.trafficanalyzer.core.aggregate.PacketRecordDescriptor.*;
import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * The capture agent's cache of packet records: packets that agree on every field of a record but the byte count
 * (bucket, local host, peer, service port, VLAN, protocol, flags, IP version, DSCP) are counted into one record
 * here, on the capture thread, and the record crosses to its shard only when its entry is needed for another key,
 * when its bucket is sealed, or when the cache is flushed for the live view. Traffic is made of conversations, so
 * most packets find their record here: they cost one look-up in memory the capture thread keeps in its caches
 * instead of a ring-buffer record and a count in every view.
 * <p>
 * Set-associative: a key may live in one of {@link #WAYS} entries of the set its hash picks; a full set gives up its
 * least recently counted entry, so the records of finished conversations leave before those of live ones. An entry
 * is the record itself ({@link PacketRecordDescriptor}), one cache line aligned to 64 bytes, copied to the ring as it
 * is. Each set has one more line of its own: the hash of each way's key (0 when free) and when it was last counted,
 * so a look-up reads the set's line, then the entry only where a hash matches: two lines a packet.
 * <p>
 * A file source waits for room on a full ring (the writer spills in order), so nothing is refused. A live source
 * never waits: when an entry must leave for a new key and its ring is full, the new packet is refused, as the
 * caller would have dropped it without the cache, and the entry stays. Flushes for a seal spill rather than drop,
 * so a packet counted here is never lost. Single-threaded: the capture agent's.
 */
final class FlowCache implements AutoCloseable
{
    /** Entries per set. */
    static final int WAYS = 4;

    private static final int ENTRY_SHIFT = 6;
    private static final int SET_SHIFT = 6;
    private static final int STAMPS_OFFSET = WAYS * Long.BYTES;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final ByteBuffer memory;
    private final UnsafeBuffer entries;
    private final long base;
    private final long setsBase;
    private final int capacity;
    private final int setMask;
    private final RecordWriter[] writers;
    private final boolean live;
    private int used;
    private int clock;
    private int lastIndex = -1;

    /**
     * A cache of a given size, writing to the shards' rings.
     *
     * @param capacity entries, a power of two of at least {@link #WAYS}.
     * @param writers  one per shard, indexed by {@link #shardOf(long, long, int)}.
     * @param live     whether a full ring refuses new packets instead of spilling.
     */
    FlowCache(final int capacity, final RecordWriter[] writers, final boolean live)
    {
        if (capacity < WAYS || Integer.bitCount(capacity) != 1 || capacity > 1 << 24)
        {
            throw new IllegalArgumentException("capacity=" + capacity);
        }

        // kept whole, for free(), with the entries, then the sets' lines, from the first 64-byte boundary in it
        final int sets = capacity / WAYS;
        this.memory = ByteBuffer.allocateDirect((capacity << ENTRY_SHIFT) + (sets << SET_SHIFT) + PACKET_LENGTH);
        final long address = BufferUtil.address(memory);
        final int alignment = (int)(BitUtil.align(address, PACKET_LENGTH) - address);
        this.entries = new UnsafeBuffer(memory, alignment, capacity << ENTRY_SHIFT);
        this.base = entries.addressOffset();
        this.setsBase = base + ((long)capacity << ENTRY_SHIFT);
        UNSAFE.setMemory(setsBase, (long)sets << SET_SHIFT, (byte)0);
        this.capacity = capacity;
        this.setMask = sets - 1;
        this.writers = writers;
        this.live = live;
    }

    /**
     * Entries of the cache.
     *
     * @return the capacity.
     */
    int capacity()
    {
        return capacity;
    }

    /**
     * Entries that hold a record.
     *
     * @return the count.
     */
    int used()
    {
        return used;
    }

    /**
     * Count one packet under its record's key.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param hostHi            local host, upper bits.
     * @param hostLo            local host, lower bits.
     * @param peerHi            the other address, upper bits.
     * @param peerLo            the other address, lower bits.
     * @param servicePort       service port, or -1.
     * @param vlanId            VLAN id, or -1.
     * @param protocol          IP protocol.
     * @param flags             record flags.
     * @param ipVersion         4 or 6.
     * @param dscp              DSCP value.
     * @param bytes             the packet's bytes.
     * @return false when a live source's ring was full as an entry had to leave: the packet is not counted.
     */
    boolean add(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final int servicePort,
        final int vlanId,
        final int protocol,
        final int flags,
        final int ipVersion,
        final int dscp,
        final int bytes)
    {
        final long portVlan = pack(servicePort, vlanId);
        final int meta = meta(protocol, flags, ipVersion, dscp);
        final long hash = hash(bucketStartSecond, hostHi, hostLo, peerHi, peerLo, portVlan, meta);
        final long tag = hash | 1;
        final int set = (int)(hash >>> 32) & setMask;
        final long setLine = setsBase + ((long)set << SET_SHIFT);
        final int first = set * WAYS;
        final int now = ++clock;

        int free = -1;
        for (int way = 0; way < WAYS; way++)
        {
            final long t = UNSAFE.getLong(setLine + ((long)way << 3));
            if (t == tag)
            {
                final long entry = base + ((long)(first + way) << ENTRY_SHIFT);
                if (matches(entry, bucketStartSecond, hostHi, hostLo, peerHi, peerLo, portVlan, meta))
                {
                    UNSAFE.putInt(entry + PACKETS_OFFSET, UNSAFE.getInt(entry + PACKETS_OFFSET) + 1);
                    UNSAFE.putLong(entry + BYTES_OFFSET, UNSAFE.getLong(entry + BYTES_OFFSET) + bytes);
                    UNSAFE.putInt(setLine + STAMPS_OFFSET + ((long)way << 2), now);
                    lastIndex = first + way;
                    return true;
                }
            }
            else if (0 == t && free < 0)
            {
                free = way;
            }
        }

        if (free < 0)
        {
            free = leastRecentlyUsed(setLine, now);
            if (!write(first + free, live))
            {
                return false;
            }
        }
        else
        {
            used++;
        }

        final int index = first + free;
        final long entry = base + ((long)index << ENTRY_SHIFT);
        UNSAFE.putLong(entry + BUCKET_START_OFFSET, bucketStartSecond);
        UNSAFE.putLong(entry + HOST_HI_OFFSET, hostHi);
        UNSAFE.putLong(entry + HOST_LO_OFFSET, hostLo);
        UNSAFE.putLong(entry + PEER_HI_OFFSET, peerHi);
        UNSAFE.putLong(entry + PEER_LO_OFFSET, peerLo);
        UNSAFE.putLong(entry + SERVICE_PORT_OFFSET, portVlan);
        UNSAFE.putInt(entry + PROTOCOL_OFFSET, meta);
        UNSAFE.putInt(entry + PACKETS_OFFSET, 1);
        UNSAFE.putLong(entry + BYTES_OFFSET, bytes);
        UNSAFE.putLong(setLine + ((long)free << 3), tag);
        UNSAFE.putInt(setLine + STAMPS_OFFSET + ((long)free << 2), now);
        lastIndex = index;

        return true;
    }

    /**
     * Take back the packet last counted by {@link #add}, when the other side of the same packet could not be
     * counted; nothing else may have been added since.
     *
     * @param bytes the packet's bytes.
     */
    void undoLast(final int bytes)
    {
        final int index = lastIndex;
        final long entry = base + ((long)index << ENTRY_SHIFT);
        final int packets = UNSAFE.getInt(entry + PACKETS_OFFSET) - 1;
        if (0 == packets)
        {
            UNSAFE.putLong(tagAddress(index), 0);
            used--;
        }
        else
        {
            UNSAFE.putInt(entry + PACKETS_OFFSET, packets);
            UNSAFE.putLong(entry + BYTES_OFFSET, UNSAFE.getLong(entry + BYTES_OFFSET) - bytes);
        }
        lastIndex = -1;
    }

    /**
     * Write every record of a bucket up to the given one to its ring, spilling when a ring is full, and free them.
     *
     * @param lastBucketStartSecond the last bucket to write; {@link Long#MAX_VALUE} for all.
     * @return the number of records written.
     */
    int flush(final long lastBucketStartSecond)
    {
        if (0 == used)
        {
            return 0;
        }

        int written = 0;
        for (int i = 0; i < capacity; i++)
        {
            final long tagAddress = tagAddress(i);
            if (0 != UNSAFE.getLong(tagAddress) &&
                UNSAFE.getLong(base + ((long)i << ENTRY_SHIFT) + BUCKET_START_OFFSET) <= lastBucketStartSecond)
            {
                write(i, false);
                UNSAFE.putLong(tagAddress, 0);
                written++;
            }
        }
        used -= written;
        lastIndex = -1;

        return written;
    }

    public void close()
    {
        BufferUtil.free(memory);
    }

    /**
     * The shard that owns a local host.
     *
     * @param hi         host, upper bits.
     * @param lo         host, lower bits.
     * @param shardCount number of shards.
     * @return the shard index.
     */
    static int shardOf(final long hi, final long lo, final int shardCount)
    {
        if (1 == shardCount)
        {
            return 0;
        }

        long h = (hi ^ Long.rotateLeft(lo, 29)) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;

        return (int)((h & Long.MAX_VALUE) % shardCount);
    }

    private long tagAddress(final int index)
    {
        return setsBase + ((long)(index / WAYS) << SET_SHIFT) + ((long)(index & (WAYS - 1)) << 3);
    }

    private static int leastRecentlyUsed(final long setLine, final int now)
    {
        // ages as differences, so the int clock may wrap
        int victim = 0;
        int oldest = now - UNSAFE.getInt(setLine + STAMPS_OFFSET);
        for (int way = 1; way < WAYS; way++)
        {
            final int age = now - UNSAFE.getInt(setLine + STAMPS_OFFSET + ((long)way << 2));
            if (age > oldest)
            {
                oldest = age;
                victim = way;
            }
        }

        return victim;
    }

    private boolean write(final int index, final boolean refuseWhenFull)
    {
        final int offset = index << ENTRY_SHIFT;
        final long entry = base + offset;
        final RecordWriter writer = writers[shardOf(
            UNSAFE.getLong(entry + HOST_HI_OFFSET), UNSAFE.getLong(entry + HOST_LO_OFFSET), writers.length)];

        if (refuseWhenFull)
        {
            final int ringIndex = writer.tryClaim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
            if (ringIndex <= 0)
            {
                return false;
            }
            writer.ring().buffer().putBytes(ringIndex, entries, offset, PACKET_LENGTH);
            writer.ring().commit(ringIndex);
        }
        else
        {
            writer.claim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
            writer.buffer().putBytes(writer.offset(), entries, offset, PACKET_LENGTH);
            writer.commit();
        }

        return true;
    }

    private static boolean matches(
        final long entry,
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final long portVlan,
        final int meta)
    {
        return UNSAFE.getLong(entry + PEER_LO_OFFSET) == peerLo &&
            UNSAFE.getLong(entry + HOST_LO_OFFSET) == hostLo &&
            UNSAFE.getLong(entry + SERVICE_PORT_OFFSET) == portVlan &&
            UNSAFE.getInt(entry + PROTOCOL_OFFSET) == meta &&
            UNSAFE.getLong(entry + PEER_HI_OFFSET) == peerHi &&
            UNSAFE.getLong(entry + HOST_HI_OFFSET) == hostHi &&
            UNSAFE.getLong(entry + BUCKET_START_OFFSET) == bucketStartSecond;
    }

    // the service port and VLAN id as the long their two ints make in memory
    private static long pack(final int servicePort, final int vlanId)
    {
        return LITTLE_ENDIAN ?
            (servicePort & 0xFFFF_FFFFL) | ((long)vlanId << 32) :
            (vlanId & 0xFFFF_FFFFL) | ((long)servicePort << 32);
    }

    // protocol, flags, IP version and DSCP as the int their four bytes make in memory
    private static int meta(final int protocol, final int flags, final int ipVersion, final int dscp)
    {
        final int value = (protocol & 0xFF) | (flags & 0xFF) << 8 | (ipVersion & 0xFF) << 16 | (dscp & 0xFF) << 24;

        return LITTLE_ENDIAN ? value : Integer.reverseBytes(value);
    }

    private static long hash(
        final long bucketStartSecond,
        final long hostHi,
        final long hostLo,
        final long peerHi,
        final long peerLo,
        final long portVlan,
        final int meta)
    {
        // independent products, so the multiplications run in parallel rather than as a chain
        long h = (hostLo * 0x9E3779B97F4A7C15L) ^ (hostHi * 0xC2B2AE3D27D4EB4FL) ^
            (peerLo * 0x165667B19E3779F9L) ^ (peerHi * 0xD6E8FEB86659FD93L) ^
            (portVlan * 0xFF51AFD7ED558CCDL) ^ ((bucketStartSecond ^ ((long)meta << 40)) * 0xC4CEB9FE1A85EC53L);
        h ^= h >>> 29;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;

        return h;
    }
}
