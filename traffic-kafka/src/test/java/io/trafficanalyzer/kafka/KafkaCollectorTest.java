package io.trafficanalyzer.kafka;

import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector's life cycle when it cannot even make its consumer; no broker needed.
 */
class KafkaCollectorTest
{
    @Test
    void shouldEndTheRunAndCloseTheSinkAtOnceWhenNoBootstrapServerResolves()
    {
        final AtomicInteger closes = new AtomicInteger();
        final StatsSink sink = new StatsSink()
        {
            public void onBatchStart(final StatsBatch batch)
            {
            }

            public void onRow(final StatsRow row)
            {
            }

            public void onBatchEnd(final StatsBatch batch)
            {
            }

            public void close()
            {
                closes.incrementAndGet();
            }
        };
        final KafkaCollector collector = KafkaCollector.builder("kafka://no-such-host.invalid:9092/t")
            .sink(sink)
            .closeTimeout(Duration.ofSeconds(5))
            .build();

        final KafkaException ex = assertThrows(KafkaException.class,
            () -> collector.runUntilIdle(Duration.ofSeconds(1)));
        assertTrue(String.valueOf(ex.getCause()).contains("bootstrap"), String.valueOf(ex.getCause()));

        // a run still marked as running would make close() wait for it, then leave the sink open
        collector.close();
        assertEquals(1, closes.get());
    }
}
