package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.SealedBucket;
import io.trafficanalyzer.core.sink.SinkWorker;
import io.trafficanalyzer.core.sink.SinkWorkerSettings;
import io.trafficanalyzer.core.status.TrafficCounters;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker away for 30 s while an agent publishes, and a collector killed mid-topic: nothing lost, nothing doubled.
 */
class KafkaFailureIT
{
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        if (null != broker)
        {
            broker.close();
        }
    }

    @Test
    void shouldLoseAndDoubleNothingWhenTheBrokerIsAwayWhileAnAgentPublishes() throws Exception
    {
        broker.createTopic("outage", 3);
        final Fleet.Agent agent = Fleet.agent(dir, "edge-o", 44, 8_000, 12);
        final List<SealedBucket> buckets = agent.buckets();
        final KafkaSink sink = KafkaSink.fromUri(broker.uri("outage") +
            "?max.block.ms=2000&request.timeout.ms=2000&delivery.timeout.ms=5000&transaction.timeout.ms=10000")
            .build();
        final AtomicLong errors = new AtomicLong();
        final SinkWorker worker = new SinkWorker("kafka", sink, new SinkWorkerSettings()
            .views(buckets.get(0).views()).queueCapacity(1024).maxMergedWidthSeconds(10)
            .minBackoffNs(TimeUnit.MILLISECONDS.toNanos(200)).maxBackoffNs(TimeUnit.SECONDS.toNanos(2))
            .counters(new TrafficCounters()).errorHandler((ex) -> errors.incrementAndGet())
            .clock(new SystemNanoClock()));
        worker.start((runnable) -> new Thread(runnable, "kafka-sink"));

        final IdentitySink applied = new IdentitySink();
        final KafkaCollector collector = KafkaFleetIT.collector(broker, "outage", "outage-collector", applied);
        final Thread collecting = new Thread(collector::run, "collector");
        collecting.start();

        final int before = buckets.size() / 3;
        for (final SealedBucket bucket : buckets.subList(0, before))
        {
            worker.onBucketSealed(bucket);
        }
        awaitTrue(() -> worker.delivered() == before, 30_000, "first buckets delivered");

        broker.stop();
        final long stoppedAt = System.nanoTime();
        for (final SealedBucket bucket : buckets.subList(before, buckets.size()))
        {
            worker.onBucketSealed(bucket);
            Thread.sleep(1_000);
        }
        Thread.sleep(Math.max(0, 30_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt)));
        assertEquals(before, worker.delivered(), "nothing delivered while the broker is away");
        broker.restart();

        awaitTrue(worker::isIdle, 60_000, "the agent caught up");
        final long rows = Fleet.rows(List.of(agent));
        awaitTrue(() -> collector.rowsApplied() >= rows, 60_000, "the collector caught up");
        Thread.sleep(2_000);
        collector.close();
        collecting.join(30_000);
        worker.close(TimeUnit.SECONDS.toNanos(10));

        assertTrue(worker.failures() > 0, "the sink worker retried");
        assertEquals(worker.failures(), sink.failures());
        // every attempt counted; the error handler hears of a failure once, and again when its cause changes
        assertTrue(errors.get() >= 1 && errors.get() <= worker.failures(), errors + " of " + worker.failures());
        assertEquals(0, worker.dropped());
        assertEquals(buckets.size(), worker.delivered());
        assertEquals(buckets.size(), sink.batchesPublished());
        assertEquals(rows, collector.rowsApplied());
        assertEquals(0, collector.badRecords());
        assertEquals(KafkaFleetIT.direct(List.of(agent)).totals(), applied.totals());
        assertEquals(KafkaFleetIT.direct(List.of(agent)).quality(), applied.quality());
        assertEquals(agent.expectedHosts(), applied.hosts(agent.name()));
        System.out.println("broker away 30 s: " + worker.failures() + " failed attempts retried, " +
            sink.producersCreated() + " producers");
    }

    @Test
    void shouldDoubleNothingWhenTheCollectorIsKilledMidTopicAndRestarted() throws Exception
    {
        broker.createTopic("kill", 4);
        final List<Fleet.Agent> agents = List.of(
            Fleet.agent(dir, "edge-k1", 55, 6_000, 15),
            Fleet.agent(dir, "edge-k2", 66, 6_000, 15));
        try (KafkaSink sink = KafkaFleetIT.sink(broker, "kill"))
        {
            for (final Fleet.Agent agent : agents)
            {
                agent.deliverTo(sink);
            }
        }

        final Path journal = dir.resolve("journal.txt");
        final Process first = child(journal, 40, 60_000);
        awaitTrue(() -> JournalSink.committedLines(journal).size() >= 30, 60_000, "the collector applied some");
        first.destroyForcibly();
        first.waitFor();
        final int beforeKill = JournalSink.committedLines(journal).size();

        final Process second = child(journal, 0, 3_000);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the restarted collector finished");
        assertEquals(0, second.exitValue(), Files.readString(dir.resolve("child.err")));

        final List<String> lines = JournalSink.committedLines(journal);
        final Map<String, Integer> applications = new HashMap<>();
        for (final String line : lines)
        {
            final String[] f = line.split("\t");
            applications.merge(f[0] + f[1] + f[3] + f[4], 1, Integer::sum);
        }
        final long reapplied = lines.size() - applications.size();
        final IdentitySink replayed = JournalSink.replay(journal);

        assertTrue(beforeKill < applications.size(), "killed before the end: " + beforeKill);
        assertTrue(reapplied < beforeKill / 2, "restarted from committed offsets: " + reapplied + " of " +
            beforeKill + " applied again");
        assertEquals(KafkaFleetIT.direct(agents).totals(), replayed.totals());
        assertEquals(KafkaFleetIT.direct(agents).quality(), replayed.quality());
        System.out.println("collector killed after " + beforeKill + " contributions; " + reapplied +
            " applied again after the restart, of " + applications.size());
    }

    private static Process child(final Path journal, final long delayMs, final long idleMs) throws Exception
    {
        final Process process = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"), CollectorChildMain.class.getName(),
            broker.uri("kill"), "kill-collector", journal.toString(), Long.toString(delayMs), Long.toString(idleMs))
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("child.err").toFile()))
            .start();
        final BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("started", out.readLine());
        final Thread drain = new Thread(() ->
        {
            try
            {
                while (null != out.readLine())
                {
                    Thread.onSpinWait();
                }
            }
            catch (final Exception ignore)
            {
                // the child is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    private static void awaitTrue(final Check check, final long timeoutMs, final String what) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!check.done())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    interface Check
    {
        boolean done() throws Exception;
    }
}
