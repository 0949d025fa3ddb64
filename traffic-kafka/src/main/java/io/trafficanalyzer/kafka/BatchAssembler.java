package io.trafficanalyzer.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Gathers the records of the partitions a collector owns into complete {@link SubBatch}es: a shard's rows and
 * quality record until that shard's end record, then the sub-batch is ready to apply. Knows, per partition, the
 * offset up to which everything read was applied, so that offsets are never committed past a batch not yet applied.
 * <p>
 * Records of one publisher arrive in publication order (one transaction at a time), so a publisher's new publication
 * means that shards of its previous one still open will never end (their end record was unreadable): they are
 * applied as they are and counted incomplete, as is a shard whose end record counts other rows than arrived.
 * Used by the collector's thread only.
 */
final class BatchAssembler
{
    /** The record was read and gathered. */
    static final int ACCEPTED = 0;
    /** The record could not be read, or contradicts its batch; it was skipped. */
    static final int BAD = 1;

    private final BucketRecordDecoder decoder = new BucketRecordDecoder();
    private final Map<Integer, PartitionState> partitions = new HashMap<>();
    private final ArrayDeque<SubBatch> ready = new ArrayDeque<>();
    private final long maxOpenRows;
    private long openRows;
    private long readyRows;
    private long incomplete;
    private long alreadyApplied;
    private String lastFailure;

    /**
     * An assembler that holds at most a number of rows of shards not yet ended.
     *
     * @param maxOpenRows beyond this, the shard that began first is given up as incomplete.
     */
    BatchAssembler(final long maxOpenRows)
    {
        this.maxOpenRows = maxOpenRows;
    }

    /**
     * Take one record of a partition, in offset order.
     *
     * @param partition the partition.
     * @param offset    the record's offset.
     * @param value     the record's value.
     * @param index     the record's place among its shard's records in its publication, -1 when not given.
     * @return {@link #ACCEPTED} or {@link #BAD} (then {@link #lastFailure()} says why).
     */
    int onRecord(final int partition, final long offset, final byte[] value, final int index)
    {
        final PartitionState state = partitions.computeIfAbsent(partition, (p) -> new PartitionState());
        state.nextOffset = offset + 1;
        if (!decoder.decode(value))
        {
            lastFailure = decoder.failure();
            return BAD;
        }

        final String publisher = decoder.publisher();
        Publication publication = state.publications.get(publisher);
        if (null != publication && publication.sequence != decoder.sequence())
        {
            // a publisher's records arrive one publication at a time: what it left open will never end
            for (final SubBatch open : publication.shards)
            {
                if (null != open)
                {
                    complete(state, publication, open, true);
                }
            }
            publication = null;
        }
        if (null == publication)
        {
            publication = new Publication(decoder.sequence());
            state.publications.put(publisher, publication);
        }

        final int shard = decoder.shard();
        SubBatch batch = publication.shards[shard];
        if (null != batch && !batch.matches(decoder))
        {
            lastFailure = "does not match the batch it was published in (" + batch + ")";
            return BAD;
        }
        if (null == batch)
        {
            batch = new SubBatch(decoder, partition, offset);
            if (index > 0)
            {
                // joined mid-shard after a restart or a rebalance: its head was applied whole before the commit
                batch.begunBefore();
            }
            publication.shards[shard] = batch;
            publication.open++;
            state.open.add(batch);
        }

        switch (decoder.type())
        {
            case BucketRecordDecoder.ROW:
                batch.addRow(decoder);
                openRows++;
                break;

            case BucketRecordDecoder.QUALITY:
                if (batch.hasQuality())
                {
                    lastFailure = "a second quality record for " + batch;
                    return BAD;
                }
                batch.quality(decoder.figures());
                break;

            default:
                final boolean complete = decoder.rows() == batch.rowCount() &&
                    decoder.carriesQuality() == batch.hasQuality();
                complete(state, publication, batch, !complete);
                if (0 == publication.open)
                {
                    state.publications.remove(publisher);
                }
                break;
        }

        if (openRows > maxOpenRows)
        {
            giveUpOldest();
        }

        return ACCEPTED;
    }

    /**
     * Why the last bad record was refused.
     *
     * @return the reason.
     */
    String lastFailure()
    {
        return lastFailure;
    }

    /**
     * The oldest sub-batch ready to apply, left in place until {@link #applied(SubBatch)}.
     *
     * @return the sub-batch, or null.
     */
    SubBatch nextReady()
    {
        return ready.peekFirst();
    }

    /**
     * The sub-batches ready to apply, oldest first, left in place until each is {@link #applied(SubBatch)}.
     *
     * @return an iterator over them; valid until the assembler changes.
     */
    Iterator<SubBatch> readyBatches()
    {
        return ready.iterator();
    }

    /**
     * Whether sub-batches wait to be applied.
     *
     * @return true when one is ready.
     */
    boolean hasReady()
    {
        return !ready.isEmpty();
    }

    /**
     * The sink committed a sub-batch: its offsets may be committed.
     *
     * @param batch the sub-batch {@link #nextReady()} returned.
     */
    void applied(final SubBatch batch)
    {
        ready.removeFirst();
        readyRows -= batch.rowCount();
        final PartitionState state = partitions.get(batch.partition());
        if (null != state)
        {
            state.waiting.remove(batch);
        }
    }

    /**
     * The offset up to which every record of a partition was applied or skipped: what the consumer may commit.
     *
     * @param partition the partition.
     * @return the offset of the first record not yet applied, or -1 when nothing was read from the partition.
     */
    long committableOffset(final int partition)
    {
        final PartitionState state = partitions.get(partition);
        if (null == state)
        {
            return -1;
        }

        long offset = state.nextOffset;
        for (final SubBatch batch : state.open)
        {
            offset = Math.min(offset, batch.firstOffset());
        }
        for (final SubBatch batch : state.waiting)
        {
            offset = Math.min(offset, batch.firstOffset());
        }

        return offset;
    }

    /**
     * The partitions read from.
     *
     * @return their numbers.
     */
    List<Integer> partitions()
    {
        return new ArrayList<>(partitions.keySet());
    }

    /**
     * Forget a partition the consumer no longer owns, with its open and ready sub-batches: its next owner reads them
     * again from the committed offset.
     *
     * @param partition the partition.
     */
    void forget(final int partition)
    {
        final PartitionState state = partitions.remove(partition);
        if (null == state)
        {
            return;
        }

        for (final SubBatch batch : state.open)
        {
            openRows -= batch.rowCount();
        }
        ready.removeIf((batch) ->
        {
            final boolean revoked = batch.partition() == partition;
            if (revoked)
            {
                readyRows -= batch.rowCount();
            }
            return revoked;
        });
    }

    /**
     * Shards applied although incomplete: given up open, or ended with another row count than arrived.
     *
     * @return the count.
     */
    long incomplete()
    {
        return incomplete;
    }

    /**
     * Shards whose head this collector did not read (it began reading the partition after it): a previous owner
     * committed past their head, so it applied them whole; their tail is dropped rather than applied as incomplete.
     *
     * @return the count.
     */
    long alreadyApplied()
    {
        return alreadyApplied;
    }

    /**
     * Rows of the sub-batches ready to apply.
     *
     * @return the row count.
     */
    long readyRows()
    {
        return readyRows;
    }

    /**
     * Rows held in shards not yet ended.
     *
     * @return the row count.
     */
    long openRows()
    {
        return openRows;
    }

    private void complete(
        final PartitionState state, final Publication publication, final SubBatch batch, final boolean incomplete)
    {
        final int shard = indexOf(publication, batch);
        publication.shards[shard] = null;
        publication.open--;
        state.open.remove(batch);
        openRows -= batch.rowCount();
        if (batch.isBegunBefore())
        {
            alreadyApplied++;
            return;
        }
        if (incomplete)
        {
            this.incomplete++;
        }
        state.waiting.add(batch);
        ready.addLast(batch);
        readyRows += batch.rowCount();
    }

    private void giveUpOldest()
    {
        PartitionState oldestState = null;
        SubBatch oldest = null;
        for (final PartitionState state : partitions.values())
        {
            for (final SubBatch batch : state.open)
            {
                if (null == oldest || batch.firstOffset() < oldest.firstOffset())
                {
                    oldest = batch;
                    oldestState = state;
                }
            }
        }
        if (null == oldest)
        {
            return;
        }

        final Iterator<Map.Entry<String, Publication>> publications = oldestState.publications.entrySet().iterator();
        while (publications.hasNext())
        {
            final Publication publication = publications.next().getValue();
            if (indexOf(publication, oldest) >= 0)
            {
                complete(oldestState, publication, oldest, true);
                if (0 == publication.open)
                {
                    publications.remove();
                }
                return;
            }
        }
    }

    private static int indexOf(final Publication publication, final SubBatch batch)
    {
        for (int i = 0; i < publication.shards.length; i++)
        {
            if (publication.shards[i] == batch)
            {
                return i;
            }
        }

        return -1;
    }

    /**
     * What one partition holds: open shards by publisher, and shards ended but not yet applied.
     */
    private static final class PartitionState
    {
        private final Map<String, Publication> publications = new HashMap<>();
        private final List<SubBatch> open = new ArrayList<>();
        private final List<SubBatch> waiting = new ArrayList<>();
        private long nextOffset;
    }

    /**
     * The open shards of one publication of one publisher.
     */
    private static final class Publication
    {
        private final long sequence;
        private final SubBatch[] shards = new SubBatch[BucketRecordDescriptor.SHARDS];
        private int open;

        Publication(final long sequence)
        {
            this.sequence = sequence;
        }
    }
}
