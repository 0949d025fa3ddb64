package io.trafficanalyzer.core;

import io.trafficanalyzer.core.view.PacketRecordDescriptor;
import io.trafficanalyzer.core.classify.LocalNetworks;
import io.trafficanalyzer.core.codec.DecodedPacket;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.trafficanalyzer.core.view.PacketRecordDescriptor.*;
import static org.agrona.UnsafeAccess.UNSAFE;

/**
 * The capture agent's flow cache: packets that agree on bucket, source, destination, service port and which side has it
 * ({@link ServiceSides}), VLAN, protocol, fragment flag, IP version and DSCP are counted together here, on the capture
 * thread, and cross to their shards as packet records only when their entry is needed for another key, when their
 * bucket is sealed, or when the cache is flushed for the live view. Traffic is made of conversations, so most packets
 * find their entry: they cost one look-up in memory the capture thread keeps in its caches, instead of classifying both
 * addresses, a ring-buffer record per local side and a count in every view.
 * <p>
 * An entry remembers how its addresses were classified ({@link #SOURCE_LOCAL}, {@link #DESTINATION_LOCAL}), so only
 * the first packet of a key asks the {@link LocalNetworks}; when they change, flush the cache and set the new ones.
 * A leaving entry becomes one record for each local side ({@link PacketRecordDescriptor}), on the ring of the shard
 * that owns that host; a transit entry (neither side local) leaves without a record, its packets having been
 * counted in the bucket's figures.
 * <p>
 * Set-associative: a key may live in one of {@link #WAYS} entries of the set its hash picks; a full set gives up its
 * least recently counted entry, so the entries of finished conversations leave before those of live ones. An entry
 * is one cache line aligned to 64 bytes, laid out as a record with the source in place of the host and the
 * destination in place of the peer. Each set has one more line of its own: the hash of each way's key (0 when free),
 * when it was last counted and its classification, so a look-up reads the set's line, then the entry only where a
 * hash matches: two lines a packet.
 * <p>
 * Traffic without conversations, such as a flood from random sources or a scan, misses on nearly every packet, and
 * there a miss (a look-up, an entry to write out, a new one to fill) costs more than the record it would save. So
 * the cache watches its misses: when at least three packets in four missed over the last 16 384 misses, the next
 * 1 048 576 packets bypass it as records of their own ({@link #bypassedPackets()}), then it tries again.
 * <p>
 * A file source waits for room on a full ring (the writer spills in order), so nothing is refused. A live source
 * never waits: when an entry must leave for a new key and a ring is full, the new packet is refused, as the caller
 * would have dropped it without the cache, and the entry stays. Flushes spill rather than drop, so a packet counted
 * here is never lost. Single-threaded: the capture agent's.
 */
final class FlowCache implements AutoCloseable
{
    /** Entries per set. */
    static final int WAYS = 4;

    /** Classification bit: the source address is local. */
    static final int SOURCE_LOCAL = 1;

    /** Classification bit: the destination address is local. */
    static final int DESTINATION_LOCAL = 2;

    /** What {@link #add} returns for a refused packet. */
    static final int REFUSED = -1;

    /** Key flag: the service port is the source's. */
    static final int SERVICE_AT_SOURCE = 0x10;

    /** Key flag: the service port is the destination's (both when the ports are equal). */
    static final int SERVICE_AT_DESTINATION = 0x20;

    /** Key flag: the side of the service port refused a connection to it. */
    static final int SERVICE_REFUSED = 0x40;

    private static final int WINDOW_MISSES = 16 * 1024;
    private static final int BYPASS_PACKETS = 1024 * 1024;
    private static final int ENTRY_SHIFT = 6;
    private static final int SET_SHIFT = 6;
    private static final int STAMPS_OFFSET = WAYS * Long.BYTES;
    private static final int CLASSES_OFFSET = STAMPS_OFFSET + WAYS * Integer.BYTES;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final ByteBuffer memory;
    private final long base;
    private final long setsBase;
    private final int capacity;
    private final int setMask;
    private final RecordWriter[] writers;
    private final boolean live;
    private final PacketRecordEncoder encoder = new PacketRecordEncoder();
    private final ServiceSides serviceSides = new ServiceSides();
    private final long scratch;
    private final boolean passThrough;
    private LocalNetworks localNetworks;
    private int used;
    private int clock;
    private long windowAdds;
    private int windowMisses;
    private int bypassLeft;
    private long bypassedPackets;

    /**
     * A cache of a given size, writing to the shards' rings.
     *
     * @param capacity      entries, a power of two of at least {@link #WAYS}, or 0 to pass every packet on as a
     *                      record of its own.
     * @param writers       one per shard, indexed by {@link #shardOf(long, long, int)}.
     * @param live          whether a full ring refuses new packets instead of spilling.
     * @param localNetworks to classify the addresses of new keys.
     */
    FlowCache(
        final int capacity, final RecordWriter[] writers, final boolean live, final LocalNetworks localNetworks)
    {
        if (0 != capacity && (capacity < WAYS || Integer.bitCount(capacity) != 1 || capacity > 1 << 24))
        {
            throw new IllegalArgumentException("capacity=" + capacity);
        }

        // kept whole, for free(), with the entries, then the sets' lines, from the first 64-byte boundary in it
        final int sets = capacity / WAYS;
        this.memory =
            ByteBuffer.allocateDirect((capacity << ENTRY_SHIFT) + (sets << SET_SHIFT) + 2 * PACKET_LENGTH);
        this.base = BitUtil.align(BufferUtil.address(memory), PACKET_LENGTH);
        this.setsBase = base + ((long)capacity << ENTRY_SHIFT);
        this.scratch = setsBase + ((long)sets << SET_SHIFT);
        UNSAFE.setMemory(setsBase, (long)sets << SET_SHIFT, (byte)0);
        this.capacity = capacity;
        this.passThrough = 0 == capacity;
        this.setMask = sets - 1;
        this.writers = writers;
        this.live = live;
        this.localNetworks = localNetworks;
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
     * Entries that hold packets.
     *
     * @return the count.
     */
    int used()
    {
        return used;
    }

    /**
     * Classify the addresses of new keys by these networks from now on; {@link #flush} first, so that no entry
     * classified by the old ones remains.
     *
     * @param localNetworks the new local networks.
     */
    void localNetworks(final LocalNetworks localNetworks)
    {
        this.localNetworks = localNetworks;
    }

    /**
     * Forget the servers learned from handshakes ({@link ServiceSides}), as a new capture stream begins.
     */
    void forgetServers()
    {
        serviceSides.clear();
    }

    /**
     * Count one decoded packet under its key: its bucket, addresses, service port and which side has it (and whether
     * that side refused a connection), VLAN, protocol, fragment flag, IP version and DSCP.
     *
     * @param bucketStartSecond the packet's bucket.
     * @param packet            the packet, with its IP bytes.
     * @return the classification of the addresses ({@link #SOURCE_LOCAL} | {@link #DESTINATION_LOCAL}, 0 for
     * transit), or {@link #REFUSED} when a live source's ring was full as an entry had to leave: not counted.
     */
    int add(final long bucketStartSecond, final DecodedPacket packet)
    {
        final int sides = packet.hasPorts() ? serviceSides.of(packet) : 0;
        final int servicePort = 0 == sides ? DecodedPacket.NO_PORT :
            0 != (sides & SERVICE_AT_SOURCE) ? packet.srcPort : packet.dstPort;
        final int flags = (packet.fragment ? FRAGMENT_FLAG : 0) | sides;

        return add(
            bucketStartSecond, packet.srcHi, packet.srcLo, packet.dstHi, packet.dstLo,
            pack(servicePort, packet.vlanId), meta(packet.protocol, flags, packet.ipVersion, packet.dscp),
            packet.ipBytes);
    }

    // the key as the words an entry holds it in
    private int add(
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta,
        final int bytes)
    {
        if (bypassLeft > 0 || passThrough)
        {
            return bypass(bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan, meta, bytes);
        }

        windowAdds++;
        final long hash = hash(bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan, meta);
        final long tag = hash | 1;
        final int set = (int)(hash >>> 32) & setMask;
        final long setLine = setsBase + ((long)set << SET_SHIFT);

        // the ways whose hash matches, found without a branch per way: which way holds a key is random
        int candidates = (UNSAFE.getLong(setLine) == tag ? 1 : 0) |
            (UNSAFE.getLong(setLine + 8) == tag ? 2 : 0) |
            (UNSAFE.getLong(setLine + 16) == tag ? 4 : 0) |
            (UNSAFE.getLong(setLine + 24) == tag ? 8 : 0);
        while (0 != candidates)
        {
            final int way = Integer.numberOfTrailingZeros(candidates);
            final long entry = base + ((long)(set * WAYS + way) << ENTRY_SHIFT);
            if (matches(entry, bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan, meta))
            {
                UNSAFE.putInt(entry + PACKETS_OFFSET, UNSAFE.getInt(entry + PACKETS_OFFSET) + 1);
                UNSAFE.putLong(entry + BYTES_OFFSET, UNSAFE.getLong(entry + BYTES_OFFSET) + bytes);
                UNSAFE.putInt(setLine + STAMPS_OFFSET + ((long)way << 2), ++clock);
                return UNSAFE.getByte(setLine + CLASSES_OFFSET + way);
            }
            candidates &= candidates - 1;
        }

        return insert(set, setLine, tag, bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan, meta, bytes);
    }

    // a key's first packet: off the usual path, so that add stays small enough to be inlined
    private int insert(
        final int set,
        final long setLine,
        final long tag,
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta,
        final int bytes)
    {
        final int now = ++clock;
        if (++windowMisses >= WINDOW_MISSES)
        {
            checkWindow();
        }

        int way = -1;
        for (int i = 0; i < WAYS; i++)
        {
            if (0 == UNSAFE.getLong(setLine + ((long)i << 3)))
            {
                way = i;
                break;
            }
        }

        if (way < 0)
        {
            way = leastRecentlyUsed(setLine, now);
            if (!write(set * WAYS + way, setLine, way, live))
            {
                return REFUSED;
            }
        }
        else
        {
            used++;
        }

        final int classes = classify(srcHi, srcLo, dstHi, dstLo);
        fill(base + ((long)(set * WAYS + way) << ENTRY_SHIFT), bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan,
            meta, bytes);
        UNSAFE.putLong(setLine + ((long)way << 3), tag);
        UNSAFE.putInt(setLine + STAMPS_OFFSET + ((long)way << 2), now);
        UNSAFE.putByte(setLine + CLASSES_OFFSET + way, (byte)classes);

        return classes;
    }

    /**
     * Packets that went straight to the shards as records of their own, while the cache was bypassed.
     *
     * @return the count since the cache was made.
     */
    long bypassedPackets()
    {
        return bypassedPackets;
    }

    /**
     * Write the records of every entry of a bucket up to the given one, spilling when a ring is full, and free
     * those entries.
     *
     * @param lastBucketStartSecond the last bucket to write; {@link Long#MAX_VALUE} for all.
     * @return the number of entries freed.
     */
    int flush(final long lastBucketStartSecond)
    {
        if (0 == used)
        {
            return 0;
        }

        int freed = 0;
        for (int set = 0, sets = setMask + 1; set < sets; set++)
        {
            final long setLine = setsBase + ((long)set << SET_SHIFT);
            for (int way = 0; way < WAYS; way++)
            {
                final int index = set * WAYS + way;
                if (0 != UNSAFE.getLong(setLine + ((long)way << 3)) &&
                    UNSAFE.getLong(base + ((long)index << ENTRY_SHIFT) + BUCKET_START_OFFSET) <= lastBucketStartSecond)
                {
                    write(index, setLine, way, false);
                    UNSAFE.putLong(setLine + ((long)way << 3), 0);
                    freed++;
                }
            }
        }
        used -= freed;

        return freed;
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

    // Traffic without conversations (a flood from random sources, a scan) misses on nearly every packet, and a miss
    // costs more than a record of its own; while at least three packets in four miss, packets bypass the cache.
    private void checkWindow()
    {
        if (windowMisses * 4L > windowAdds * 3L)
        {
            bypassLeft = BYPASS_PACKETS;
        }
        windowAdds = 0;
        windowMisses = 0;
    }

    private int bypass(
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta,
        final int bytes)
    {
        if (!passThrough)
        {
            bypassLeft--;
        }
        final int classes = classify(srcHi, srcLo, dstHi, dstLo);
        fill(scratch, bucketStartSecond, srcHi, srcLo, dstHi, dstLo, portVlan, meta, bytes);
        if (!write(scratch, classes, live))
        {
            return REFUSED;
        }
        bypassedPackets++;

        return classes;
    }

    private int classify(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        return (localNetworks.isLocal(srcHi, srcLo) ? SOURCE_LOCAL : 0) |
            (localNetworks.isLocal(dstHi, dstLo) ? DESTINATION_LOCAL : 0);
    }

    private static void fill(
        final long entry,
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta,
        final int bytes)
    {
        UNSAFE.putLong(entry + BUCKET_START_OFFSET, bucketStartSecond);
        UNSAFE.putLong(entry + HOST_HI_OFFSET, srcHi);
        UNSAFE.putLong(entry + HOST_LO_OFFSET, srcLo);
        UNSAFE.putLong(entry + PEER_HI_OFFSET, dstHi);
        UNSAFE.putLong(entry + PEER_LO_OFFSET, dstLo);
        UNSAFE.putLong(entry + SERVICE_PORT_OFFSET, portVlan);
        UNSAFE.putInt(entry + PROTOCOL_OFFSET, meta);
        UNSAFE.putInt(entry + PACKETS_OFFSET, 1);
        UNSAFE.putLong(entry + BYTES_OFFSET, bytes);
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

    // the entry's records, one per local side; a live source's records go whole or not at all
    private boolean write(final int index, final long setLine, final int way, final boolean refuseWhenFull)
    {
        return write(base + ((long)index << ENTRY_SHIFT), UNSAFE.getByte(setLine + CLASSES_OFFSET + way),
            refuseWhenFull);
    }

    private boolean write(final long entry, final int classes, final boolean refuseWhenFull)
    {
        if (0 == classes)
        {
            return true;
        }

        final long srcHi = UNSAFE.getLong(entry + HOST_HI_OFFSET);
        final long srcLo = UNSAFE.getLong(entry + HOST_LO_OFFSET);
        final long dstHi = UNSAFE.getLong(entry + PEER_HI_OFFSET);
        final long dstLo = UNSAFE.getLong(entry + PEER_LO_OFFSET);
        final RecordWriter sourceWriter =
            0 != (classes & SOURCE_LOCAL) ? writers[shardOf(srcHi, srcLo, writers.length)] : null;
        final RecordWriter destinationWriter =
            0 != (classes & DESTINATION_LOCAL) ? writers[shardOf(dstHi, dstLo, writers.length)] : null;

        if (refuseWhenFull)
        {
            int sourceIndex = 0;
            if (null != sourceWriter)
            {
                sourceIndex = sourceWriter.tryClaim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
                if (sourceIndex <= 0)
                {
                    return false;
                }
            }

            if (null != destinationWriter)
            {
                final int destinationIndex = destinationWriter.tryClaim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
                if (destinationIndex <= 0)
                {
                    if (null != sourceWriter)
                    {
                        sourceWriter.ring().abort(sourceIndex);
                    }
                    return false;
                }
                final RingBuffer ring = destinationWriter.ring();
                encode(ring.buffer(), destinationIndex, entry, false);
                ring.commit(destinationIndex);
            }

            if (null != sourceWriter)
            {
                final RingBuffer ring = sourceWriter.ring();
                encode(ring.buffer(), sourceIndex, entry, true);
                ring.commit(sourceIndex);
            }
        }
        else
        {
            if (null != sourceWriter)
            {
                sourceWriter.claim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
                encode(sourceWriter.buffer(), sourceWriter.offset(), entry, true);
                sourceWriter.commit();
            }

            if (null != destinationWriter)
            {
                destinationWriter.claim(PACKET_MSG_TYPE_ID, PACKET_LENGTH);
                encode(destinationWriter.buffer(), destinationWriter.offset(), entry, false);
                destinationWriter.commit();
            }
        }

        return true;
    }

    private void encode(
        final MutableDirectBuffer buffer, final int offset, final long entry, final boolean sourceSide)
    {
        final int keyFlags = UNSAFE.getByte(entry + FLAGS_OFFSET);
        final boolean served = 0 != (keyFlags & (sourceSide ? SERVICE_AT_SOURCE : SERVICE_AT_DESTINATION));
        // the refusal is the serving side's: its peer is a client whose connection was refused
        final int flags = (keyFlags & FRAGMENT_FLAG) | (sourceSide ? OUTBOUND_FLAG : 0) | (served ? SERVED_FLAG : 0) |
            (served && 0 != (keyFlags & SERVICE_REFUSED) ? REFUSED_FLAG : 0);
        final long firstHi = UNSAFE.getLong(entry + HOST_HI_OFFSET);
        final long firstLo = UNSAFE.getLong(entry + HOST_LO_OFFSET);
        final long secondHi = UNSAFE.getLong(entry + PEER_HI_OFFSET);
        final long secondLo = UNSAFE.getLong(entry + PEER_LO_OFFSET);

        encoder.wrap(buffer, offset)
            .bucketStartSecond(UNSAFE.getLong(entry + BUCKET_START_OFFSET))
            .host(sourceSide ? firstHi : secondHi, sourceSide ? firstLo : secondLo)
            .peer(sourceSide ? secondHi : firstHi, sourceSide ? secondLo : firstLo)
            .servicePort(UNSAFE.getInt(entry + SERVICE_PORT_OFFSET))
            .vlanId(UNSAFE.getInt(entry + VLAN_ID_OFFSET))
            .protocol(UNSAFE.getByte(entry + PROTOCOL_OFFSET))
            .flags(flags)
            .ipVersion(UNSAFE.getByte(entry + IP_VERSION_OFFSET))
            .dscp(UNSAFE.getByte(entry + DSCP_OFFSET))
            .packets(UNSAFE.getInt(entry + PACKETS_OFFSET))
            .bytes(UNSAFE.getLong(entry + BYTES_OFFSET));
    }

    private static boolean matches(
        final long entry,
        final long bucketStartSecond,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta)
    {
        return UNSAFE.getLong(entry + PEER_LO_OFFSET) == dstLo &&
            UNSAFE.getLong(entry + HOST_LO_OFFSET) == srcLo &&
            UNSAFE.getLong(entry + SERVICE_PORT_OFFSET) == portVlan &&
            UNSAFE.getInt(entry + PROTOCOL_OFFSET) == meta &&
            UNSAFE.getLong(entry + PEER_HI_OFFSET) == dstHi &&
            UNSAFE.getLong(entry + HOST_HI_OFFSET) == srcHi &&
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
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final long portVlan,
        final int meta)
    {
        // independent products, so the multiplications run in parallel rather than as a chain
        long h = (srcLo * 0x9E3779B97F4A7C15L) ^ (srcHi * 0xC2B2AE3D27D4EB4FL) ^
            (dstLo * 0x165667B19E3779F9L) ^ (dstHi * 0xD6E8FEB86659FD93L) ^
            (portVlan * 0xFF51AFD7ED558CCDL) ^ ((bucketStartSecond ^ ((long)meta << 40)) * 0xC4CEB9FE1A85EC53L);
        h ^= h >>> 29;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;

        return h;
    }
}
