package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes each batch to a Kafka topic as one transaction: a JSON record per row, the batch's quality record and an
 * end record per shard, or nothing. The record format is the public contract of the module's README.
 * <pre>{@code
 * TrafficAnalyzer.builder().source("eth0").sink("kafka://broker1:9092,broker2:9092/traffic.buckets.v1?acks=all")
 * }</pre>
 * Every wait on the broker is bounded ({@code max.block.ms}, {@code delivery.timeout.ms}), so that a batch fails in
 * bounded time while the broker is away and the pipeline's sink worker retries it later; after any failure the next
 * attempt uses a new producer, which fences the old one. Called by one delivery thread, as every sink.
 */
public final class KafkaSink implements StatsSink
{
    /** The URI scheme: {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?options]}. */
    public static final String SCHEME = KafkaUri.SCHEME;
    /** The topic when the URI names none. */
    public static final String DEFAULT_TOPIC = "traffic.buckets.v1";

    private final String topic;
    private final TransactionalPublisher publisher;
    private final BucketRecordEncoder encoder = new BucketRecordEncoder();
    private final String publisherId;
    private final int[] shardRows = new int[BucketRecordDescriptor.SHARDS];
    private final int[] shardRecords = new int[BucketRecordDescriptor.SHARDS];
    private long sequence;
    private int partitions;
    private byte[] agentKey;
    private int agentShard;
    private String agentPrefix;
    private boolean hostKnown;
    private long hostHi;
    private long hostLo;
    private byte[] hostKey;
    private int hostShard;
    private int batchRecords;
    private volatile long batchesPublished;
    private volatile long recordsPublished;
    private volatile long failures;

    private KafkaSink(final Builder builder, final Map<String, Object> producerConfig)
    {
        this.topic = builder.topic;
        this.publisher = new TransactionalPublisher(producerConfig, builder.closeTimeout);
        this.publisherId = newPublisherId();
    }

    /**
     * A builder for a sink that publishes to the given brokers.
     *
     * @param bootstrapServers {@code HOST:PORT[,HOST:PORT...]}.
     * @return the builder.
     */
    public static Builder builder(final String bootstrapServers)
    {
        return new Builder(bootstrapServers);
    }

    /**
     * A builder set from a URI: {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?name=value&...]}, where every option
     * is a Kafka producer setting, or {@code config=FILE} to read settings from a properties file.
     *
     * @param uri the URI.
     * @return the builder.
     * @throws ConfigurationException naming the first invalid part.
     */
    public static Builder fromUri(final String uri)
    {
        final KafkaUri parsed = KafkaUri.parse(uri);
        final Builder builder = new Builder(parsed.bootstrapServers()).topic(parsed.topic());
        parsed.options().forEach(builder::property);

        return builder;
    }

    /**
     * Begin the batch's transaction, with a new producer when the last attempt failed.
     *
     * @param batch the batch.
     */
    public void onBatchStart(final StatsBatch batch)
    {
        try
        {
            sequence++;
            partitions = publisher.begin(topic);
            encoder.begin(batch, publisherId, sequence);
            agentPrefix = batch.agent() + '/';
            agentKey = batch.agent().getBytes(StandardCharsets.UTF_8);
            agentShard = BucketRecordDescriptor.shard(agentKey);
            Arrays.fill(shardRows, 0);
            Arrays.fill(shardRecords, 0);
            hostKnown = false;
            batchRecords = 0;
        }
        catch (final RuntimeException ex)
        {
            fail();
            throw ex;
        }
    }

    /**
     * Send the row's record, keyed by agent and local host, to the partition of its shard.
     *
     * @param row the row.
     */
    public void onRow(final StatsRow row)
    {
        try
        {
            if (!hostKnown || row.hostHi() != hostHi || row.hostLo() != hostLo)
            {
                // rows come grouped by host within a view: one key per run of rows
                hostKnown = true;
                hostHi = row.hostHi();
                hostLo = row.hostLo();
                hostKey = (agentPrefix + IpAddresses.format(hostHi, hostLo)).getBytes(StandardCharsets.UTF_8);
                hostShard = BucketRecordDescriptor.shard(hostKey);
            }
            send(hostShard, hostKey, encoder.row(row, hostShard));
            shardRows[hostShard]++;
        }
        catch (final RuntimeException ex)
        {
            fail();
            throw ex;
        }
    }

    /**
     * Send the quality record and the end records, then commit the transaction.
     *
     * @param batch the batch.
     */
    public void onBatchEnd(final StatsBatch batch)
    {
        try
        {
            send(agentShard, agentKey, encoder.quality(batch.quality(), agentShard));
            for (int shard = 0; shard < BucketRecordDescriptor.SHARDS; shard++)
            {
                if (shardRows[shard] > 0 || shard == agentShard)
                {
                    send(shard, agentKey, encoder.end(shard, shardRows[shard], shard == agentShard ? 1 : 0));
                }
            }
            publisher.commit();
            batchesPublished++;
            recordsPublished += batchRecords;
        }
        catch (final RuntimeException ex)
        {
            fail();
            throw ex;
        }
    }

    /**
     * Abort an open transaction and close the producer.
     */
    public void close()
    {
        publisher.close();
    }

    /**
     * The topic published to.
     *
     * @return the topic name.
     */
    public String topic()
    {
        return topic;
    }

    /**
     * Batches whose transaction committed.
     *
     * @return the count.
     */
    public long batchesPublished()
    {
        return batchesPublished;
    }

    /**
     * Records of the batches whose transaction committed.
     *
     * @return the count.
     */
    public long recordsPublished()
    {
        return recordsPublished;
    }

    /**
     * Attempts that failed (each is retried by the pipeline).
     *
     * @return the count.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * Kafka producers created: one at the first batch and one after each failure.
     *
     * @return the count.
     */
    public long producersCreated()
    {
        return publisher.producersCreated();
    }

    private void send(final int shard, final byte[] key, final byte[] value)
    {
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
            topic, BucketRecordDescriptor.partition(shard, partitions), key, value);
        final int index = shardRecords[shard]++;
        record.headers().add(BucketRecordDescriptor.INDEX_HEADER,
            new byte[] {(byte)(index >>> 24), (byte)(index >>> 16), (byte)(index >>> 8), (byte)index});
        publisher.send(record);
        batchRecords++;
    }

    private void fail()
    {
        failures++;
        publisher.discard();
    }

    private static String newPublisherId()
    {
        final UUID uuid = UUID.randomUUID();
        final ByteBuffer bytes = ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * Settings of a {@link KafkaSink}, checked once in {@link #build()}.
     */
    public static final class Builder
    {
        private final String bootstrapServers;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String topic = DEFAULT_TOPIC;
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(final String bootstrapServers)
        {
            this.bootstrapServers = bootstrapServers;
        }

        /**
         * The topic to publish to; {@link #DEFAULT_TOPIC} unless set.
         *
         * @param topic the topic name.
         * @return this for a fluent API.
         */
        public Builder topic(final String topic)
        {
            this.topic = topic;
            return this;
        }

        /**
         * A Kafka producer setting, e.g. {@code compression.type}, {@code security.protocol} or
         * {@code sasl.jaas.config}; checked in {@link #build()}.
         *
         * @param name  the setting.
         * @param value its value as text.
         * @return this for a fluent API.
         */
        public Builder property(final String name, final String value)
        {
            properties.put(name, value);
            return this;
        }

        /**
         * How long {@link KafkaSink#close()} waits for the producer to finish; 10 s unless set.
         *
         * @param timeout the longest wait.
         * @return this for a fluent API.
         */
        public Builder closeTimeout(final Duration timeout)
        {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Check the settings and make the sink; it connects at its first batch.
         *
         * @return the sink.
         * @throws ConfigurationException naming the first invalid setting.
         */
        public KafkaSink build()
        {
            KafkaUri.checkServers(null == bootstrapServers ? "" : bootstrapServers);
            KafkaUri.checkTopic(null == topic ? "" : topic);
            if (null == closeTimeout || closeTimeout.isNegative())
            {
                throw new ConfigurationException("closeTimeout", closeTimeout, "must not be negative");
            }

            return new KafkaSink(this, producerConfig());
        }

        private Map<String, Object> producerConfig()
        {
            final ClientSettings settings = new ClientSettings("producer", ProducerConfig.configDef());
            settings.putAll(properties);
            settings.forbid(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "give the servers in the URI's authority");
            settings.forbid(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the sink writes bytes of its own format");
            settings.forbid(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "the sink writes bytes of its own format");
            settings.forbid(ProducerConfig.PARTITIONER_CLASS_CONFIG, "the sink chooses each record's partition");
            settings.requireOneOf(ProducerConfig.ACKS_CONFIG, Set.of("all", "-1"), "transactions need acks=all");
            settings.requireOneOf(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Set.of("true"), "transactions need idempotence");

            settings.fix(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            settings.fix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            settings.fix(ProducerConfig.ACKS_CONFIG, "all");
            settings.putDefault(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "traffic-agent-" + UUID.randomUUID());
            // a broker that is away must fail a batch within seconds, never hold the sink thread for minutes
            settings.putDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            settings.putDefault(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            settings.putDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            settings.putDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
            settings.putDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            settings.putDefault(ProducerConfig.LINGER_MS_CONFIG, "5");

            final long linger = settings.millis(ProducerConfig.LINGER_MS_CONFIG);
            final long request = settings.millis(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
            final long delivery = settings.millis(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
            if (delivery < linger + request)
            {
                throw new ConfigurationException(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery,
                    "must be at least linger.ms + request.timeout.ms (" + (linger + request) + ")");
            }

            return settings.toMap();
        }
    }
}
