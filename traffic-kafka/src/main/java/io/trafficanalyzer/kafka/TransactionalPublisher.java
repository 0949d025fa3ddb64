package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.status.Logging;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;

/**
 * One transactional Kafka producer at a time: created and initialised when a transaction begins and none exists,
 * thrown away after any failure so that the next attempt starts afresh. A new producer with the same transactional
 * id fences the old one and ends whatever transaction it left open, so a failed or unknown publication is never
 * half visible to read-committed consumers. Every call that waits is bounded by the producer's own timeouts.
 * Used by the sink's delivery thread only.
 */
final class TransactionalPublisher implements AutoCloseable
{
    private final Map<String, Object> config;
    private final Duration closeTimeout;
    private Producer<byte[], byte[]> producer;
    private boolean inTransaction;
    private volatile long producersCreated;

    /**
     * A publisher with complete producer settings.
     *
     * @param config       the producer's settings, transactional id included.
     * @param closeTimeout how long {@link #close()} waits for an open transaction to end.
     */
    TransactionalPublisher(final Map<String, Object> config, final Duration closeTimeout)
    {
        this.config = config;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Begin a transaction, creating and initialising a producer first when there is none.
     *
     * @param topic the topic the transaction writes to.
     * @return the topic's partition count.
     */
    int begin(final String topic)
    {
        if (inTransaction)
        {
            discard();
        }
        if (null == producer)
        {
            // kafka-clients logs through SLF4J: not its "no binding" notice on a service's standard error
            Logging.quietSlf4j();
            final Producer<byte[], byte[]> created =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            producer = created;
            producersCreated++;
            created.initTransactions();
        }

        final int partitions = producer.partitionsFor(topic).size();
        producer.beginTransaction();
        inTransaction = true;

        return partitions;
    }

    /**
     * Send a record within the open transaction; its failure surfaces when the transaction commits.
     *
     * @param record the record.
     */
    void send(final ProducerRecord<byte[], byte[]> record)
    {
        producer.send(record);
    }

    /**
     * Commit the open transaction; waits for every record of it to be acknowledged.
     */
    void commit()
    {
        producer.commitTransaction();
        inTransaction = false;
    }

    /**
     * Throw the producer away without waiting, after a failure: its open transaction is ended by the broker or by
     * the next producer of the same transactional id.
     */
    void discard()
    {
        final Producer<byte[], byte[]> failed = producer;
        producer = null;
        inTransaction = false;
        if (null != failed)
        {
            try
            {
                failed.close(Duration.ZERO);
            }
            catch (final RuntimeException ex)
            {
                // closing a failed producer can fail too; nothing more to release
            }
        }
    }

    /**
     * Producers created so far: the first one and one after each failure.
     *
     * @return the count.
     */
    long producersCreated()
    {
        return producersCreated;
    }

    /**
     * Abort an open transaction and close the producer, waiting at most the close timeout.
     */
    public void close()
    {
        final Producer<byte[], byte[]> closing = producer;
        producer = null;
        if (null == closing)
        {
            return;
        }

        try
        {
            if (inTransaction)
            {
                closing.abortTransaction();
            }
        }
        catch (final RuntimeException ex)
        {
            // the broker ends a transaction its producer abandoned
        }
        finally
        {
            inTransaction = false;
            closing.close(closeTimeout);
        }
    }
}
