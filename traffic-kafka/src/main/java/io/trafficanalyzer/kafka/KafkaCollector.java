package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.ConfigurationException;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.core.sink.StatsSinkProvider;
import io.trafficanalyzer.core.status.Logging;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Consumes the topic of a fleet's {@link KafkaSink}s and applies every published batch to a {@link StatsSink}
 * exactly once, as a member of a consumer group:
 * <pre>{@code
 * try (KafkaCollector collector = KafkaCollector.builder("kafka://broker:9092/traffic.buckets.v1")
 *         .groupId("traffic-collector")
 *         .sink("sqlite:/var/lib/traffic/fleet.db")
 *         .build())
 * {
 *     collector.run();                      // until close() from another thread, e.g. a shutdown hook
 * }
 * }</pre>
 * It reads committed transactions only, applies the rows of each shard of a batch as one contribution of its own
 * (whose re-application replaces itself), hands the sink the shards ready at once as one group (one store
 * transaction), and commits a partition's offset only up to the first record whose group the sink has not
 * committed; killed at any point, a collector of the same group re-applies at most what was not committed.
 * A record it cannot read is counted, logged and skipped. Counters are readable from any thread.
 * <p>
 * The consumer side (polling, pausing, offsets, rebalances) is here; the sink side is {@code GroupApplier}. Long
 * because its {@link Builder}, with one documented method per setting, is nested so that it reads
 * {@code KafkaCollector.Builder}.
 */
public final class KafkaCollector implements AutoCloseable
{
    /** The consumer group when none is given. */
    public static final String DEFAULT_GROUP_ID = "traffic-collector";

    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.kafka");
    private static final int BAD_RECORDS_LOGGED_IN_FULL = 100;
    private static final int BAD_RECORDS_LOG_EVERY = 10_000;

    private final String topic;
    private final String groupId;
    private final Map<String, Object> consumerConfig;
    private final StatsSink sink;
    private final BatchAssembler assembler;
    private final Duration pollTimeout;
    private final long commitIntervalNs;
    private final long maxReadyRows;
    private final GroupApplier applier;
    private final Duration closeTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<Integer, Long> committed = new HashMap<>();
    private volatile boolean closing;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private boolean sinkClosed;
    private boolean paused;
    private long lastCommitNs;
    private long lastRecordNs;
    private boolean joined;
    private volatile long records;
    private volatile long badRecords;
    private volatile long lag;

    private KafkaCollector(final Builder builder, final Map<String, Object> consumerConfig, final StatsSink sink)
    {
        this.topic = builder.topic;
        this.groupId = String.valueOf(consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.consumerConfig = consumerConfig;
        this.sink = sink;
        this.assembler = new BatchAssembler(builder.maxOpenRows);
        this.pollTimeout = builder.pollTimeout;
        this.commitIntervalNs = builder.commitInterval.toNanos();
        this.maxReadyRows = Math.max(1, builder.maxOpenRows / 4);
        this.applier = new GroupApplier(sink, assembler, commitIntervalNs, builder.minBackoff.toNanos(),
            builder.maxBackoff.toNanos(), builder.maxGroupRows, builder.maxGroupBatches);
        this.closeTimeout = builder.closeTimeout;
    }

    /**
     * A builder for a collector of a topic.
     *
     * @param uri {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC[?name=value&...]}: every option is a Kafka consumer
     *            setting (e.g. {@code group.id}, {@code security.protocol}), or {@code config=FILE} to read settings
     *            from a properties file.
     * @return the builder.
     * @throws ConfigurationException naming the first invalid part of the URI.
     */
    public static Builder builder(final String uri)
    {
        final KafkaUri parsed = KafkaUri.parse(uri);
        final Builder builder = new Builder(parsed.bootstrapServers(), parsed.topic());
        parsed.options().forEach(builder::property);

        return builder;
    }

    /**
     * Consume and apply until {@link #close()} is called from another thread.
     *
     * @throws IllegalStateException when already running or closed.
     */
    public void run()
    {
        loop(0);
    }

    /**
     * Consume and apply until, once the group gave this member its partitions, no record has arrived for the given
     * time and every batch read is applied, or until {@link #close()}; for batch jobs and tests.
     *
     * @param idle how long without a record ends the run.
     * @throws IllegalStateException when already running or closed.
     */
    public void runUntilIdle(final Duration idle)
    {
        if (null == idle || idle.isNegative() || idle.isZero())
        {
            throw new ConfigurationException("idle", idle, "must be positive");
        }
        loop(idle.toNanos());
    }

    /**
     * Stop a run (from any thread), wait for it to commit what was applied, then close the consumer and the sink.
     */
    public void close()
    {
        closing = true;
        final KafkaConsumer<byte[], byte[]> current = consumer;
        if (null != current)
        {
            current.wakeup();
        }
        if (running.get())
        {
            try
            {
                if (!stopped.await(closeTimeout.toMillis() + pollTimeout.toMillis(), TimeUnit.MILLISECONDS))
                {
                    LOGGER.log(System.Logger.Level.WARNING, "collector of " + topic + " did not stop within " +
                        closeTimeout);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        closeSink();
    }

    /**
     * The topic consumed.
     *
     * @return the topic name.
     */
    public String topic()
    {
        return topic;
    }

    /**
     * The consumer group the collector belongs to.
     *
     * @return the group id.
     */
    public String groupId()
    {
        return groupId;
    }

    /**
     * Records read, bad ones included.
     *
     * @return the count.
     */
    public long records()
    {
        return records;
    }

    /**
     * Contributions (a shard of a published batch each) the sink committed.
     *
     * @return the count.
     */
    public long batchesApplied()
    {
        return applier.batchesApplied();
    }

    /**
     * Rows of the contributions the sink committed.
     *
     * @return the count.
     */
    public long rowsApplied()
    {
        return applier.rowsApplied();
    }

    /**
     * Records that could not be read (not JSON, not a traffic record, a newer format, a field out of range) or that
     * contradict their batch; each was logged and skipped.
     *
     * @return the count.
     */
    public long badRecords()
    {
        return badRecords;
    }

    /**
     * Contributions applied with fewer rows or figures than their end record announced, or whose end record never
     * came.
     *
     * @return the count.
     */
    public long incompleteBatches()
    {
        return assembler.incomplete();
    }

    /**
     * Attempts of the sink that failed; each contribution is retried with back-off until the sink takes it.
     *
     * @return the count.
     */
    public long sinkFailures()
    {
        return applier.sinkFailures();
    }

    /**
     * Records committed to the topic but not yet read by this collector, summed over its partitions, as of its last
     * poll.
     *
     * @return the lag.
     */
    public long lag()
    {
        return lag;
    }

    private void loop(final long idleNs)
    {
        if (closing || !running.compareAndSet(false, true))
        {
            throw new IllegalStateException(closing ? "closed" : "already running");
        }

        final KafkaConsumer<byte[], byte[]> created;
        try
        {
            created = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        catch (final RuntimeException ex)
        {
            // e.g. no bootstrap server resolves: the run is over, and close() must not wait for it
            running.set(false);
            if (closing)
            {
                stopped.countDown();
            }
            throw ex;
        }
        consumer = created;
        try
        {
            created.subscribe(List.of(topic), new Rebalance());
            lastRecordNs = System.nanoTime();
            lastCommitNs = lastRecordNs;
            while (!closing)
            {
                // with batches waiting for the sink, only look for what arrived
                final ConsumerRecords<byte[], byte[]> polled =
                    created.poll(assembler.hasReady() ? Duration.ZERO : pollTimeout);
                for (final ConsumerRecord<byte[], byte[]> record : polled)
                {
                    onRecord(record);
                }
                final long now = System.nanoTime();
                if (!polled.isEmpty())
                {
                    lastRecordNs = now;
                }
                applyReady(now);
                if (now - lastCommitNs >= commitIntervalNs)
                {
                    commit(false);
                }
                updateLag();
                if (idleNs > 0 && joined && now - lastRecordNs >= idleNs && !assembler.hasReady())
                {
                    break;
                }
            }
        }
        catch (final WakeupException ex)
        {
            // close() from another thread
        }
        finally
        {
            try
            {
                applyReady(System.nanoTime());
                commit(true);
            }
            catch (final RuntimeException ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "collector of " + topic + ": final commit failed: " + ex);
            }
            finally
            {
                consumer = null;
                created.close(closeTimeout);
                running.set(false);
                if (closing)
                {
                    stopped.countDown();
                }
            }
        }
    }

    private static int index(final ConsumerRecord<byte[], byte[]> record)
    {
        final Header header = record.headers().lastHeader(BucketRecordDescriptor.INDEX_HEADER);
        final byte[] bytes = null == header ? null : header.value();
        if (null == bytes || 4 != bytes.length)
        {
            return -1;
        }

        return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    private void onRecord(final ConsumerRecord<byte[], byte[]> record)
    {
        records++;
        final int index = index(record);
        if (BatchAssembler.BAD == assembler.onRecord(record.partition(), record.offset(), record.value(), index))
        {
            final long bad = ++badRecords;
            if (bad <= BAD_RECORDS_LOGGED_IN_FULL || 0 == bad % BAD_RECORDS_LOG_EVERY)
            {
                LOGGER.log(System.Logger.Level.WARNING, "skipped a record of " + record.topic() + '-' +
                    record.partition() + " at offset " + record.offset() + ": " + assembler.lastFailure() +
                    (bad == BAD_RECORDS_LOGGED_IN_FULL ? " (further bad records are logged once in " +
                    BAD_RECORDS_LOG_EVERY + ')' : "") + " [" + bad + " bad records so far]");
            }
        }
    }

    private void applyReady(final long now)
    {
        if (!applier.applyReady(now))
        {
            pause();
            return;
        }
        // fetch no more while the sink is behind by many rows; polling goes on, to stay in the group
        if (assembler.readyRows() > maxReadyRows)
        {
            pause();
        }
        else if (assembler.readyRows() <= maxReadyRows / 2)
        {
            resume();
        }
    }

    private void pause()
    {
        final KafkaConsumer<byte[], byte[]> current = consumer;
        if (null != current)
        {
            current.pause(current.assignment());
            paused = true;
        }
    }

    private void resume()
    {
        final KafkaConsumer<byte[], byte[]> current = consumer;
        if (paused && null != current)
        {
            current.resume(current.paused());
            paused = false;
        }
    }

    private void commit(final boolean sync)
    {
        final KafkaConsumer<byte[], byte[]> current = consumer;
        if (null == current)
        {
            return;
        }
        lastCommitNs = System.nanoTime();
        final Map<TopicPartition, OffsetAndMetadata> offsets = committable(current.assignment());
        if (offsets.isEmpty())
        {
            return;
        }

        if (sync)
        {
            try
            {
                current.commitSync(offsets, closeTimeout);
            }
            catch (final WakeupException ex)
            {
                // close() woke the consumer while it was not polling: the wake-up is spent, commit again
                current.commitSync(offsets, closeTimeout);
            }
            remember(offsets);
        }
        else
        {
            current.commitAsync(offsets, (done, failure) ->
            {
                if (null == failure)
                {
                    remember(done);
                }
                else
                {
                    LOGGER.log(System.Logger.Level.DEBUG, "offset commit failed, retried later: " + failure);
                }
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(final Set<TopicPartition> assignment)
    {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (final TopicPartition partition : assignment)
        {
            final long offset = assembler.committableOffset(partition.partition());
            final Long last = committed.get(partition.partition());
            if (offset >= 0 && (null == last || offset > last))
            {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }

        return offsets;
    }

    private void remember(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        offsets.forEach((partition, offset) -> committed.merge(partition.partition(), offset.offset(), Math::max));
    }

    private void updateLag()
    {
        final KafkaConsumer<byte[], byte[]> current = consumer;
        long sum = 0;
        for (final TopicPartition partition : current.assignment())
        {
            sum += current.currentLag(partition).orElse(0);
        }
        lag = sum;
    }

    private void closeSink()
    {
        synchronized (this)
        {
            if (sinkClosed || running.get())
            {
                return;
            }
            sinkClosed = true;
        }
        try
        {
            sink.close();
        }
        catch (final Exception ex)
        {
            LOGGER.log(System.Logger.Level.WARNING, "closing the collector's sink failed: " + ex);
        }
    }

    /**
     * Keeps the assembler to the partitions the group gives this member.
     */
    private final class Rebalance implements ConsumerRebalanceListener
    {
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
        {
            // apply what is complete and commit it, so that the next owner re-reads as little as possible
            try
            {
                applyReady(System.nanoTime());
                commit(true);
            }
            catch (final KafkaException ex)
            {
                LOGGER.log(System.Logger.Level.WARNING, "commit before a rebalance failed: " + ex);
            }
            forget(partitions);
        }

        public void onPartitionsLost(final Collection<TopicPartition> partitions)
        {
            forget(partitions);
        }

        public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
        {
            // idle time counts from joining the group: a rebalance can take a session timeout
            joined = true;
            lastRecordNs = System.nanoTime();
            LOGGER.log(System.Logger.Level.DEBUG, "collector of " + topic + " assigned " + partitions);
        }

        private void forget(final Collection<TopicPartition> partitions)
        {
            for (final TopicPartition partition : partitions)
            {
                assembler.forget(partition.partition());
                committed.remove(partition.partition());
            }
        }
    }

    /**
     * Settings of a {@link KafkaCollector}, checked once in {@link #build()}.
     */
    public static final class Builder
    {
        private final String bootstrapServers;
        private final String topic;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private StatsSink sink;
        private String sinkUri;
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration commitInterval = Duration.ofSeconds(1);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private long maxOpenRows = 4_000_000L;
        private long maxGroupRows = 50_000L;
        private int maxGroupBatches = 1_000;

        private Builder(final String bootstrapServers, final String topic)
        {
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        /**
         * The consumer group; {@link #DEFAULT_GROUP_ID} unless set here or by the URI's {@code group.id}.
         *
         * @param groupId the group id.
         * @return this for a fluent API.
         */
        public Builder groupId(final String groupId)
        {
            return property(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }

        /**
         * A Kafka consumer setting, e.g. {@code security.protocol} or {@code auto.offset.reset}; checked in
         * {@link #build()}.
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
         * Where the batches are applied; the collector owns and closes it.
         *
         * @param sink the sink.
         * @return this for a fluent API.
         */
        public Builder sink(final StatsSink sink)
        {
            this.sink = sink;
            this.sinkUri = null;
            return this;
        }

        /**
         * Where the batches are applied, by URI, found by its scheme among the {@link StatsSinkProvider}s on the
         * class path, e.g. {@code sqlite:/var/lib/traffic/fleet.db}.
         *
         * @param uri the sink's URI.
         * @return this for a fluent API.
         */
        public Builder sink(final String uri)
        {
            this.sinkUri = uri;
            this.sink = null;
            return this;
        }

        /**
         * How long one poll of the broker waits for records; 200 ms unless set.
         *
         * @param timeout the wait.
         * @return this for a fluent API.
         */
        public Builder pollTimeout(final Duration timeout)
        {
            this.pollTimeout = timeout;
            return this;
        }

        /**
         * How often applied offsets are committed while running; 1 s unless set. A collector killed re-applies at
         * most this much, and what it re-applies replaces itself.
         *
         * @param interval the interval.
         * @return this for a fluent API.
         */
        public Builder commitInterval(final Duration interval)
        {
            this.commitInterval = interval;
            return this;
        }

        /**
         * The delays between attempts of a failing sink, doubling from the first to the second; 100 ms to 30 s
         * unless set.
         *
         * @param min the first delay.
         * @param max the longest delay.
         * @return this for a fluent API.
         */
        public Builder sinkRetryBackoff(final Duration min, final Duration max)
        {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How long {@link KafkaCollector#close()} waits for the final commit and the consumer; 10 s unless set.
         *
         * @param timeout the wait.
         * @return this for a fluent API.
         */
        public Builder closeTimeout(final Duration timeout)
        {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * The most rows held in batch shards whose end record has not arrived; beyond it the oldest is given up
         * (applied as it is and counted incomplete). A quarter of it bounds the rows of complete batches waiting
         * for the sink, beyond which fetching pauses. 4 000 000 unless set.
         *
         * @param rows the row limit.
         * @return this for a fluent API.
         */
        public Builder maxOpenRows(final long rows)
        {
            this.maxOpenRows = rows;
            return this;
        }

        /**
         * The most rows the sink is given in one group of batches, which a store commits in one transaction: larger
         * groups commit (and sync) less often, and hold the store's write lock and the group's offsets longer. A
         * batch larger than this is a group of its own; 1 applies each batch alone. 50 000 unless set.
         *
         * @param rows the row limit.
         * @return this for a fluent API.
         */
        public Builder maxGroupRows(final long rows)
        {
            this.maxGroupRows = rows;
            return this;
        }

        /**
         * Check the settings, open the sink and make the collector; it connects when it runs.
         *
         * @return the collector.
         * @throws ConfigurationException naming the first invalid setting.
         */
        public KafkaCollector build()
        {
            positive("pollTimeout", pollTimeout);
            positive("commitInterval", commitInterval);
            positive("closeTimeout", closeTimeout);
            positive("sinkRetryBackoff", minBackoff);
            positive("sinkRetryBackoff", maxBackoff);
            if (maxOpenRows < 1)
            {
                throw new ConfigurationException("maxOpenRows", maxOpenRows, "must be at least 1");
            }
            if (maxGroupRows < 1)
            {
                throw new ConfigurationException("maxGroupRows", maxGroupRows, "must be at least 1");
            }
            final Map<String, Object> config = consumerConfig();

            return new KafkaCollector(this, config, openSink());
        }

        private Map<String, Object> consumerConfig()
        {
            final ClientSettings settings = new ClientSettings("consumer", ConsumerConfig.configDef());
            settings.putAll(properties);
            settings.forbid(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "give the servers in the URI's authority");
            settings.forbid(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the collector reads its own format");
            settings.forbid(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the collector reads its own format");
            settings.requireOneOf(ConsumerConfig.ISOLATION_LEVEL_CONFIG, Set.of("read_committed"),
                "the collector must see only committed batches");
            settings.requireOneOf(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Set.of("false"),
                "the collector commits offsets only once the sink committed");
            final Object group = settings.get(ConsumerConfig.GROUP_ID_CONFIG);
            if (null != group && String.valueOf(group).isBlank())
            {
                throw new ConfigurationException(ConsumerConfig.GROUP_ID_CONFIG, group, "must not be empty");
            }

            settings.fix(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            settings.fix(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            settings.fix(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            settings.putDefault(ConsumerConfig.GROUP_ID_CONFIG, DEFAULT_GROUP_ID);
            // a new group reads the topic from its beginning: what the agents published before it existed counts
            settings.putDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            settings.putDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            settings.putDefault(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");

            return settings.toMap();
        }

        private StatsSink openSink()
        {
            if (null != sink)
            {
                return sink;
            }
            if (null == sinkUri)
            {
                throw new ConfigurationException("sink", null, "is required: a URI or a StatsSink");
            }

            final int colon = sinkUri.indexOf(':');
            final String scheme = colon <= 0 ? "" : sinkUri.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            final Map<String, StatsSinkProvider> known = new LinkedHashMap<>();
            for (final StatsSinkProvider provider : ServiceLoader.load(StatsSinkProvider.class))
            {
                known.putIfAbsent(provider.scheme().toLowerCase(java.util.Locale.ROOT), provider);
            }
            final StatsSinkProvider provider = known.get(scheme);
            if (null == provider)
            {
                throw new ConfigurationException("sink", sinkUri,
                    "unknown scheme '" + scheme + "'; known schemes: " + new TreeSet<>(known.keySet()));
            }

            try
            {
                return provider.newSink(sinkUri);
            }
            catch (final Exception ex)
            {
                throw new ConfigurationException("sink", sinkUri, "cannot open: " + ex.getMessage(), ex);
            }
        }

        private static void positive(final String setting, final Duration value)
        {
            if (null == value || value.isNegative() || value.isZero())
            {
                throw new ConfigurationException(setting, value, "must be positive");
            }
        }
    }
}
