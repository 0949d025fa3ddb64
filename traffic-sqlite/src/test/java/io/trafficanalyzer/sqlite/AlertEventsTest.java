package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.TrafficAnalyzer;
import io.trafficanalyzer.core.alert.Alert;
import io.trafficanalyzer.core.alert.AlertMonitor;
import io.trafficanalyzer.core.alert.AlertRules;
import io.trafficanalyzer.core.status.TrafficCounters;
import io.trafficanalyzer.core.testing.FrameBuilder;
import io.trafficanalyzer.core.testing.PcapFileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Alerts raised by an analyzer with a {@code sqlite:} sink are stored in the alert_event table, shown by the
 * alert_history view and read back by {@link TrafficStore#alerts}; a retried alert is stored once.
 */
class AlertEventsTest
{
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_764_151_200L; // 2025-11-26T10:00:00Z

    @TempDir
    Path dir;

    @Test
    void shouldStoreEachRaiseAndClearOnceWhenTheAnalyzerHasAlertRules() throws Exception
    {
        final Path capture = dir.resolve("capture.pcap");
        final long burst;
        final long trickle;
        try (PcapFileWriter writer = PcapFileWriter.create(capture).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            final FrameBuilder big = new FrameBuilder().ethernet().ipv4("10.1.0.5", "203.0.113.9").udp(40000, 53)
                .payload(1000);
            final FrameBuilder small = new FrameBuilder().ethernet().ipv4("10.1.0.5", "203.0.113.9").udp(40000, 53)
                .payload(10);
            for (int i = 0; i < 10; i++)
            {
                writer.record(T0 * S + i * S / 10, big.build());
            }
            writer.record((T0 + 12) * S, small.build());
            writer.record((T0 + 22) * S, small.build());
            burst = 10L * big.ipLength();
            trickle = small.ipLength();
        }
        assertTrue(burst * 8 / 10.0 > 8000 && trickle * 8 / 10.0 <= 7200, "the frames cross the bound, then clear");

        final Path db = dir.resolve("traffic.db");
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .agent("edge-a")
            .localNetworks("10.0.0.0/8")
            .bucket(Duration.ofSeconds(10))
            .sink("sqlite:" + db)
            .alerts(AlertRules.parse("alerts.rules", "rule big host 10.1.0.5 out > 8kbit/s\naction q log"))
            .errorHandler(errors::add)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }
        assertEquals(List.of(), errors);

        try (Connection connection = Traffic.connect(db); Statement statement = connection.createStatement())
        {
            assertEquals(List.of(
                "2025-11-26T10:00:10Z|" + (T0 + 10) + "|edge-a|big|raised|10.1.0.5|rate|out|hosts|" + burst * 8 / 10.0 +
                "|8000.0|7200.0|bit/s|10|2025-11-26T10:00:10Z|" + (T0 + 10),
                "2025-11-26T10:00:20Z|" + (T0 + 20) + "|edge-a|big|cleared|10.1.0.5|rate|out|hosts|" +
                trickle * 8 / 10.0 + "|8000.0|7200.0|bit/s|10|2025-11-26T10:00:10Z|" + (T0 + 10)),
                rows(statement, "SELECT * FROM alert_history ORDER BY at"));
        }

        try (TrafficStore store = TrafficStore.open(db))
        {
            final List<StoredAlert> alerts = store.alerts(Instant.ofEpochSecond(T0), Instant.ofEpochSecond(T0 + 60),
                10);
            assertEquals(List.of(
                new StoredAlert(Instant.ofEpochSecond(T0 + 20), "edge-a", "big", "cleared", "10.1.0.5", "rate", "out",
                "hosts", trickle * 8 / 10.0, 8000, 7200, "bit/s", 10, Instant.ofEpochSecond(T0 + 10)),
                new StoredAlert(Instant.ofEpochSecond(T0 + 10), "edge-a", "big", "raised", "10.1.0.5", "rate", "out",
                "hosts", burst * 8 / 10.0, 8000, 7200, "bit/s", 10, Instant.ofEpochSecond(T0 + 10))),
                alerts);
            assertEquals(1, store.alerts(Instant.ofEpochSecond(T0), Instant.ofEpochSecond(T0 + 60), 1).size());
            assertEquals(List.of(), store.alerts(Instant.ofEpochSecond(T0 + 21), Instant.ofEpochSecond(T0 + 60), 10));
        }
    }

    @Test
    void shouldStoreARetriedAlertOnceWhenTheSinkIsToldTwice() throws Exception
    {
        final Path db = dir.resolve("retried.db");
        final List<Alert> alerts = new CopyOnWriteArrayList<>();
        final Path capture = dir.resolve("drops.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(capture).magic(PcapFileWriter.MAGIC_NANOSECONDS))
        {
            // a frame cut inside its IP header: one malformed frame
            writer.record(T0 * S, new FrameBuilder().ethernet().ipv4("10.1.0.5", "203.0.113.9").udp(1, 2).build(),
                20, 20 + 14);
        }
        final AlertMonitor monitor = new AlertMonitor(AlertRules.parse("a.rules", "rule bad malformed > 0"),
            List.of("hosts", "ports", "peers"), List.of(alerts::add), new TrafficCounters(), (e) -> fail(e));
        try (TrafficAnalyzer analyzer = TrafficAnalyzer.builder()
            .source("file:" + capture)
            .agent("edge-b")
            .bucket(Duration.ofSeconds(10))
            .listener(monitor)
            .build())
        {
            analyzer.start();
            assertTrue(analyzer.awaitCompletion(Duration.ofSeconds(60)));
        }
        monitor.close(Duration.ofSeconds(10));
        assertEquals(1, alerts.size());

        try (SqliteSink sink = Traffic.sink(db).build())
        {
            sink.onAlert(alerts.get(0));
            sink.onAlert(alerts.get(0));
        }
        try (Connection connection = Traffic.connect(db); Statement statement = connection.createStatement())
        {
            assertEquals(List.of("edge-b|bad|raised|capture|malformed|||1.0|0.0|0.0|frames|" + (T0 + 10)),
                rows(statement, "SELECT agent, rule, state, subject, metric, direction, view, value, bound, " +
                "clear_level, unit, at FROM alert_history"));
        }
    }

    private static List<String> rows(final Statement statement, final String sql) throws Exception
    {
        final List<String> rows = new ArrayList<>();
        try (ResultSet resultSet = statement.executeQuery(sql))
        {
            final int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next())
            {
                final StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++)
                {
                    row.append(i > 1 ? "|" : "").append(resultSet.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
