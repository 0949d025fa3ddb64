package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.SealedBucket;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agents publish through a real broker, a collector applies: the result equals the direct runs.
 */
class KafkaFleetIT
{
    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static List<Fleet.Agent> agents;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = KafkaBroker.start(dir);
        agents = List.of(
            Fleet.agent(dir, "edge-a", 11, 10_000, 7),
            Fleet.agent(dir, "edge-b", 22, 8_000, 9),
            Fleet.agent(dir, "edge-c", 33, 6_000, 11));
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    static IdentitySink direct(final List<Fleet.Agent> agents) throws Exception
    {
        final IdentitySink direct = new IdentitySink();
        for (final Fleet.Agent agent : agents)
        {
            agent.deliverTo(direct);
        }
        return direct;
    }

    static KafkaSink sink(final KafkaBroker broker, final String topic)
    {
        return KafkaSink.fromUri(broker.uri(topic) + "?linger.ms=2").build();
    }

    static KafkaCollector collector(
        final KafkaBroker broker, final String topic, final String group, final IdentitySink sink)
    {
        return KafkaCollector.builder(broker.uri(topic)).groupId(group).commitInterval(Duration.ofMillis(200))
            .sink(sink).build();
    }

    @Test
    void shouldApplyWhatThreeDirectRunsGiveWhenThreeAgentsPublishAndOneReplaysItsCapture() throws Exception
    {
        broker.createTopic("fleet", 6);
        final ExecutorService pool = Executors.newFixedThreadPool(3);
        final List<Future<?>> published = new ArrayList<>();
        final List<KafkaSink> sinks = new ArrayList<>();
        for (final Fleet.Agent agent : agents)
        {
            final KafkaSink sink = sink(broker, "fleet");
            sinks.add(sink);
            published.add(pool.submit(() ->
            {
                agent.deliverTo(sink);
                if (agent.name().equals("edge-c"))
                {
                    agent.deliverTo(sink);
                }
                return null;
            }));
        }
        for (final Future<?> future : published)
        {
            future.get();
        }
        pool.shutdown();
        int batches = 0;
        for (final KafkaSink sink : sinks)
        {
            batches += (int)sink.batchesPublished();
            assertEquals(0, sink.failures());
            sink.close();
        }
        assertEquals(agents.get(0).buckets().size() + agents.get(1).buckets().size() +
            2 * agents.get(2).buckets().size(), batches);

        final IdentitySink applied = new IdentitySink();
        try (KafkaCollector collector = collector(broker, "fleet", "fleet-collector", applied))
        {
            collector.runUntilIdle(Duration.ofSeconds(3));

            assertEquals(0, collector.badRecords());
            assertEquals(0, collector.incompleteBatches());
            assertEquals(Fleet.rows(agents) + Fleet.rows(agents.subList(2, 3)), collector.rowsApplied());
            assertEquals(collector.batchesApplied(), applied.commits());
        }

        final IdentitySink direct = direct(agents);
        assertEquals(direct.totals(), applied.totals());
        assertEquals(direct.quality(), applied.quality());
        for (final Fleet.Agent agent : agents)
        {
            assertEquals(agent.expectedHosts(), applied.hosts(agent.name()), agent.name());
        }
        assertTrue(applied.replaced() > 0, "edge-c's second publication replaced its first");
        assertEquals(applied.commits() - applied.replaced(), applied.contributions());
    }

    @Test
    void shouldKeepEveryContributionsIdentityWhenPartitionsAreAddedBetweenTwoPublications() throws Exception
    {
        broker.createTopic("growing", 2);
        final Fleet.Agent agent = agents.get(0);
        final IdentitySink applied = new IdentitySink();
        try (KafkaSink sink = sink(broker, "growing"))
        {
            agent.deliverTo(sink);
            try (KafkaCollector collector = collector(broker, "growing", "growing-collector", applied))
            {
                collector.runUntilIdle(Duration.ofSeconds(2));
            }
            broker.addPartitions("growing", 5);
            // the producer learns of the new partitions with its next metadata refresh; a new one asks at once
        }
        try (KafkaSink sink = sink(broker, "growing"))
        {
            agent.deliverTo(sink);
        }
        try (KafkaCollector collector = collector(broker, "growing", "growing-collector", applied))
        {
            collector.runUntilIdle(Duration.ofSeconds(3));
        }

        assertEquals(direct(List.of(agent)).totals(), applied.totals());
        assertEquals(agent.expectedHosts(), applied.hosts(agent.name()));
        assertTrue(applied.replaced() > 0);
    }

    @Test
    void shouldCountAndSkipBadRecordsAndApplyTheRestWhenTheTopicHoldsGarbage() throws Exception
    {
        broker.createTopic("dirty", 3);
        final Fleet.Agent agent = agents.get(1);
        final SealedBucket first = agent.buckets().get(0);
        final BucketRecordEncoder encoder = new BucketRecordEncoder();
        encoder.begin(first, "foreign", 1);
        final byte[] valid = encoder.row(new io.trafficanalyzer.core.sink.BucketRow().wrap(first, 0), 0);
        final List<byte[]> garbage = List.of(
            "not json at all".getBytes(StandardCharsets.UTF_8),
            Arrays.copyOf(valid, valid.length / 2),
            new String(valid, StandardCharsets.UTF_8).replace("\"format\":1", "\"format\":2").getBytes(
            StandardCharsets.UTF_8),
            new byte[0],
            "{\"format\":1,\"type\":\"row\"}".getBytes(StandardCharsets.UTF_8),
            new byte[]{ (byte)0xFF, 0, 1, 2 });

        try (KafkaProducer<byte[], byte[]> foreign = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()),
            new ByteArraySerializer(), new ByteArraySerializer());
            KafkaSink sink = sink(broker, "dirty"))
        {
            for (int partition = 0; partition < 3; partition++)
            {
                for (final byte[] value : garbage)
                {
                    foreign.send(new ProducerRecord<>("dirty", partition, null, value)).get();
                }
                foreign.send(new ProducerRecord<>("dirty", partition, null, null)).get();
            }
            final int half = agent.buckets().size() / 2;
            for (final SealedBucket bucket : agent.buckets().subList(0, half))
            {
                bucket.deliverTo(sink);
            }
            foreign.send(new ProducerRecord<>("dirty", 1, null, garbage.get(0))).get();
            for (final SealedBucket bucket : agent.buckets().subList(half, agent.buckets().size()))
            {
                bucket.deliverTo(sink);
            }
        }

        final IdentitySink applied = new IdentitySink();
        try (KafkaCollector collector = collector(broker, "dirty", "dirty-collector", applied))
        {
            collector.runUntilIdle(Duration.ofSeconds(3));
            assertEquals(3 * (garbage.size() + 1) + 1, collector.badRecords());
            assertEquals(0, collector.incompleteBatches());
        }

        assertEquals(direct(List.of(agent)).totals(), applied.totals());
        assertEquals(agent.expectedHosts(), applied.hosts(agent.name()));
    }
}
