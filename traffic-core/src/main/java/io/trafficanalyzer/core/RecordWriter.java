package io.trafficanalyzer.core;

import org.agrona.BitUtil;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The single producer's side of one ring buffer, with an ordered spill area for records that must not be lost
 * when the ring is full (seals, rows, and every record of a file source). Spilled records go to the ring, in order,
 * before any later record; {@link #drain()} moves them as space frees up.
 * <p>
 * Claim, encode in place at {@link #buffer()} and {@link #offset()}, then {@link #commit()}: no copy on the usual
 * path, no allocation once the spill area has grown to its working size.
 */
final class RecordWriter
{
    private static final int SPILL_HEADER_LENGTH = 8;

    private final RingBuffer ring;
    private final ExpandableDirectByteBuffer spill;
    private int spillHead;
    private int spillTail;
    private int claimedIndex;
    private int claimedSpillLength;
    private MutableDirectBuffer buffer;
    private int offset;

    RecordWriter(final RingBuffer ring, final int initialSpillCapacity)
    {
        this.ring = ring;
        this.spill = new ExpandableDirectByteBuffer(initialSpillCapacity);
    }

    RingBuffer ring()
    {
        return ring;
    }

    /**
     * Claim space in the ring only; fails when the ring is full or earlier records are still spilled.
     *
     * @param msgTypeId type of the record.
     * @param length    of the record.
     * @return the ring index to encode at, or a negative value when there is no space.
     */
    int tryClaim(final int msgTypeId, final int length)
    {
        if (spillTail > spillHead)
        {
            drain();
            if (spillTail > spillHead)
            {
                return -1;
            }
        }

        return ring.tryClaim(msgTypeId, length);
    }

    /**
     * Claim space in the ring, or in the spill area when the ring is full or earlier records are spilled.
     * Encode at {@link #buffer()} and {@link #offset()}, then {@link #commit()}.
     *
     * @param msgTypeId type of the record.
     * @param length    of the record.
     */
    void claim(final int msgTypeId, final int length)
    {
        if (spillTail > spillHead)
        {
            drain();
        }

        if (spillTail == spillHead)
        {
            final int index = ring.tryClaim(msgTypeId, length);
            if (index > 0)
            {
                claimedIndex = index;
                buffer = ring.buffer();
                offset = index;
                return;
            }
        }

        final int recordLength = BitUtil.align(SPILL_HEADER_LENGTH + length, SPILL_HEADER_LENGTH);
        spill.checkLimit(spillTail + recordLength);
        spill.putInt(spillTail, msgTypeId);
        spill.putInt(spillTail + 4, length);
        claimedIndex = -1;
        claimedSpillLength = recordLength;
        buffer = spill;
        offset = spillTail + SPILL_HEADER_LENGTH;
    }

    MutableDirectBuffer buffer()
    {
        return buffer;
    }

    int offset()
    {
        return offset;
    }

    void commit()
    {
        if (claimedIndex > 0)
        {
            ring.commit(claimedIndex);
            claimedIndex = -1;
        }
        else
        {
            spillTail += claimedSpillLength;
            claimedSpillLength = 0;
        }
    }

    boolean hasSpill()
    {
        return spillTail > spillHead;
    }

    /**
     * Move spilled records to the ring, in order, as far as it has space.
     *
     * @return the number of records moved.
     */
    int drain()
    {
        int moved = 0;
        while (spillHead < spillTail)
        {
            final int msgTypeId = spill.getInt(spillHead);
            final int length = spill.getInt(spillHead + 4);
            final int index = ring.tryClaim(msgTypeId, length);
            if (index <= 0)
            {
                break;
            }

            ring.buffer().putBytes(index, spill, spillHead + SPILL_HEADER_LENGTH, length);
            ring.commit(index);
            spillHead += BitUtil.align(SPILL_HEADER_LENGTH + length, SPILL_HEADER_LENGTH);
            moved++;
        }

        if (spillHead == spillTail)
        {
            spillHead = 0;
            spillTail = 0;
        }

        return moved;
    }
}
