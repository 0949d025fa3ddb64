package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.codec.FrameOutcome;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads the figures of {@link CaptureTotals} from a store written by the SQLite sink, through its documented
 * contract views only ({@code host_traffic}, {@code port_traffic}, {@code peer_traffic}, {@code bucket_quality}),
 * as any SQL client would.
 */
final class SqliteTotals
{
    private static final String MEASURES =
        "SUM(in_bytes), SUM(in_packets), SUM(out_bytes), SUM(out_packets)";

    private SqliteTotals()
    {
    }

    static CaptureTotals read(final Path database) throws SQLException
    {
        final CaptureTotals totals = new CaptureTotals();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
            Statement statement = connection.createStatement())
        {
            final StringBuilder malformed = new StringBuilder("0");
            for (final FrameOutcome outcome : FrameOutcome.values())
            {
                if (outcome.isMalformed())
                {
                    malformed.append(" + SUM(").append(outcome.label()).append(')');
                }
            }
            try (ResultSet result = statement.executeQuery(
                "SELECT SUM(frames), SUM(packets), SUM(bytes), SUM(non_ip), " + malformed + ", " +
                "SUM(transit_packets), SUM(late_packets), SUM(folded_keys), COUNT(*) FROM bucket_quality"))
            {
                result.next();
                totals.put("frames", result.getLong(1))
                    .put("packets", result.getLong(2))
                    .put("bytes", result.getLong(3))
                    .put("non_ip", result.getLong(4))
                    .put("malformed", result.getLong(5))
                    .put("transit_packets", result.getLong(6))
                    .put("late_packets", result.getLong(7))
                    .put("folded_keys", result.getLong(8))
                    .put("info.buckets", result.getLong(9));
            }

            perProtocol(statement, totals, "hosts", "host_traffic");
            perProtocol(statement, totals, "ports", "port_traffic");
            perProtocol(statement, totals, "peers", "peer_traffic");

            try (ResultSet result = statement.executeQuery(
                "SELECT " + MEASURES + " FROM port_traffic WHERE served = 1"))
            {
                result.next();
                totals.addMeasures("ports.served", result.getLong(1), result.getLong(2), result.getLong(3),
                    result.getLong(4));
            }

            long hosts = 0;
            try (ResultSet result = statement.executeQuery(
                "SELECT host, " + MEASURES + " FROM host_traffic GROUP BY host"))
            {
                while (result.next())
                {
                    hosts++;
                    totals.addMeasures("host." + result.getString(1), result.getLong(2), result.getLong(3),
                        result.getLong(4), result.getLong(5));
                }
            }
            totals.put("hosts", hosts);

            try (ResultSet result = statement.executeQuery(
                "SELECT COUNT(DISTINCT peer) FROM peer_traffic WHERE peer <> '*'"))
            {
                result.next();
                totals.put("peers", result.getLong(1));
            }
        }

        return totals;
    }

    private static void perProtocol(
        final Statement statement, final CaptureTotals totals, final String view, final String table)
        throws SQLException
    {
        try (ResultSet result = statement.executeQuery(
            "SELECT protocol, " + MEASURES + " FROM " + table + " GROUP BY protocol"))
        {
            while (result.next())
            {
                totals.addMeasures(view + "." + result.getString(1), result.getLong(2), result.getLong(3),
                    result.getLong(4), result.getLong(5));
            }
        }
    }
}
