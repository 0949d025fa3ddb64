package io.trafficanalyzer.kafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three agents through the broker into the SQLite store: its views hold the sum of the three direct runs. Needs the
 * store to add contributions of different identities (its ledger); a store that replaces by bucket alone keeps one
 * agent's share of each bucket.
 */
class KafkaSqliteIT
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
    void shouldStoreTheSumOfThreeDirectRunsWhenThreeAgentsPublishAndOneReplaysItsCapture() throws Exception
    {
        final List<Fleet.Agent> agents = List.of(
            Fleet.agent(dir, "edge-a", 11, 6_000, 9),
            Fleet.agent(dir, "edge-b", 22, 5_000, 11),
            Fleet.agent(dir, "edge-c", 33, 4_000, 13));
        broker.createTopic("store", 4);
        try (KafkaSink sink = KafkaFleetIT.sink(broker, "store"))
        {
            for (final Fleet.Agent agent : agents)
            {
                agent.deliverTo(sink);
            }
            agents.get(2).deliverTo(sink);
        }

        final Path db = dir.resolve("fleet.db");
        try (KafkaCollector collector = KafkaCollector.builder(broker.uri("store")).groupId("store-collector")
            .sink("sqlite:" + db + "?freeSpaceFloor=0").build())
        {
            collector.runUntilIdle(Duration.ofSeconds(3));
        }

        final TreeMap<String, List<Long>> expected = new TreeMap<>();
        for (final Fleet.Agent agent : agents)
        {
            agent.expectedHosts().forEach((key, sum) -> expected.merge(key, sum, (a, b) ->
                List.of(a.get(0) + b.get(0), a.get(1) + b.get(1), a.get(2) + b.get(2), a.get(3) + b.get(3))));
        }
        assertEquals(expected, storedHosts(db));
    }

    private static TreeMap<String, List<Long>> storedHosts(final Path db) throws Exception
    {
        final TreeMap<String, List<Long>> hosts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT bucket_start, host, protocol, SUM(in_bytes), " +
                "SUM(in_packets), SUM(out_bytes), SUM(out_packets) FROM host_traffic GROUP BY 1, 2, 3"))
        {
            while (rows.next())
            {
                hosts.put(rows.getLong(1) + "|" + rows.getString(2) + "|" + rows.getString(3),
                    List.of(rows.getLong(4), rows.getLong(5), rows.getLong(6), rows.getLong(7)));
            }
        }
        return hosts;
    }
}
