package io.trafficanalyzer.kafka;

import java.nio.file.Path;
import java.time.Duration;

/*
 * A collector in a child JVM, for the kill test: collects URI into a journal with GROUP until idle for IDLE_MS,
 * each commit of the journal taking DELAY_MS; says "started" once running and "done APPLIED" at the end.
 *
 *   URI GROUP JOURNAL DELAY_MS IDLE_MS
 */
final class CollectorChildMain
{
    private CollectorChildMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (KafkaCollector collector = KafkaCollector.builder(args[0]).groupId(args[1])
            .commitInterval(Duration.ofMillis(200))
            // the group waits this long for a killed member before it gives its partitions to the next
            .property("session.timeout.ms", "6000")
            .sink(new JournalSink(Path.of(args[2]), Long.parseLong(args[3])))
            .build())
        {
            System.out.println("started");
            System.out.flush();
            collector.runUntilIdle(Duration.ofMillis(Long.parseLong(args[4])));
            System.out.println("done " + collector.batchesApplied());
            System.out.flush();
        }
    }
}
