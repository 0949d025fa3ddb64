package io.trafficanalyzer.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The four contract views of a store, read back through plain SQL key by key: per view, per key (the bucket start
 * and the view's key columns, as text), every other column but the time text as a number. Snapshots add up as the
 * views add up contributions, and two snapshots compare with a message naming the first keys that differ. An
 * expected snapshot built by a test may leave out the columns it expects to be 0.
 */
final class ViewSnapshot
{
    static final String HOSTS = "host_traffic";
    static final String PORTS = "port_traffic";
    static final String PEERS = "peer_traffic";
    static final String QUALITY = "bucket_quality";

    private static final Map<String, List<String>> KEYS = Map.of(
        HOSTS, List.of("bucket_start", "host", "protocol"),
        PORTS, List.of("bucket_start", "host", "protocol", "port", "served"),
        PEERS, List.of("bucket_start", "host", "peer", "protocol"),
        QUALITY, List.of("bucket_start"));
    private static final int SHOWN = 6;

    // view -> key -> column -> value
    private final TreeMap<String, TreeMap<String, TreeMap<String, Long>>> views = new TreeMap<>();

    ViewSnapshot()
    {
        for (final String view : KEYS.keySet())
        {
            views.put(view, new TreeMap<>());
        }
    }

    static ViewSnapshot read(final Path db) throws SQLException
    {
        final ViewSnapshot snapshot = new ViewSnapshot();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
            Statement statement = connection.createStatement())
        {
            for (final Map.Entry<String, List<String>> view : KEYS.entrySet())
            {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + view.getKey()))
                {
                    final ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next())
                    {
                        final List<String> key = new ArrayList<>();
                        for (final String column : view.getValue())
                        {
                            key.add(rows.getString(column));
                        }
                        final TreeMap<String, Long> row = new TreeMap<>();
                        for (int c = 1; c <= meta.getColumnCount(); c++)
                        {
                            final String column = meta.getColumnName(c);
                            if (!"time".equals(column) && !view.getValue().contains(column))
                            {
                                row.put(column, rows.getLong(c));
                            }
                        }
                        if (null != snapshot.views.get(view.getKey()).put(String.join(" ", key), row))
                        {
                            fail(view.getKey() + " shows key " + key + " twice in " + db);
                        }
                    }
                }
            }
        }
        return snapshot;
    }

    /*
     * Adds a row's columns to what the snapshot holds for the key: the widest bucket_seconds, the least complete,
     * the sum of every other column, as the views combine contributions.
     */
    ViewSnapshot add(final String view, final String key, final Map<String, Long> columns)
    {
        final TreeMap<String, Long> row = views.get(view).computeIfAbsent(key, (k) -> new TreeMap<>());
        columns.forEach((column, value) -> row.merge(column, value, combiner(column)));
        return this;
    }

    ViewSnapshot plus(final ViewSnapshot other)
    {
        final ViewSnapshot sum = new ViewSnapshot();
        for (final ViewSnapshot snapshot : List.of(this, other))
        {
            snapshot.views.forEach((view, rows) -> rows.forEach((key, columns) -> sum.add(view, key, columns)));
        }
        return sum;
    }

    /*
     * The same rows without one column of one view, for a comparison that leaves it out.
     */
    ViewSnapshot without(final String view, final String column)
    {
        final ViewSnapshot copy = new ViewSnapshot();
        views.forEach((name, rows) -> rows.forEach((key, columns) ->
        {
            final TreeMap<String, Long> kept = new TreeMap<>(columns);
            if (name.equals(view))
            {
                kept.remove(column);
            }
            copy.add(name, key, kept);
        }));
        return copy;
    }

    int rows(final String view)
    {
        return views.get(view).size();
    }

    /*
     * Fails, naming the first keys that differ per view, unless actual holds exactly the expected keys with the
     * expected columns; a column the expected row leaves out must be 0 when zeroesImplied, else absent.
     */
    static void assertSame(
        final ViewSnapshot expected, final ViewSnapshot actual, final boolean zeroesImplied, final String what)
    {
        final StringBuilder problems = new StringBuilder();
        for (final String view : expected.views.keySet())
        {
            final TreeMap<String, TreeMap<String, Long>> want = expected.views.get(view);
            final TreeMap<String, TreeMap<String, Long>> got = actual.views.get(view);
            final List<String> differences = new ArrayList<>();
            for (final Map.Entry<String, TreeMap<String, Long>> row : want.entrySet())
            {
                final TreeMap<String, Long> gotRow = got.get(row.getKey());
                if (null == gotRow)
                {
                    differences.add("missing " + row.getKey() + " " + row.getValue());
                }
                else if (!row.getValue().equals(zeroesImplied ? withoutZeroes(gotRow, row.getValue()) : gotRow))
                {
                    differences.add(row.getKey() + ": " + columnsDiffering(row.getValue(), gotRow, zeroesImplied));
                }
            }
            for (final Map.Entry<String, TreeMap<String, Long>> row : got.entrySet())
            {
                if (!want.containsKey(row.getKey()))
                {
                    differences.add("unexpected " + row.getKey() + " " + row.getValue());
                }
            }
            if (!differences.isEmpty())
            {
                problems.append("\n  ").append(view).append(": ").append(differences.size()).append(" of ")
                    .append(want.size()).append(" rows differ, e.g.");
                differences.stream().limit(SHOWN).forEach((d) -> problems.append("\n    ").append(d));
            }
        }
        if (problems.length() > 0)
        {
            fail(what + problems);
        }
    }

    /*
     * Fails unless every stored row is one the expected snapshot holds, with no additive column above the expected
     * value: what a store holds part way through a replay, never anything counted twice.
     */
    static void assertWithin(final ViewSnapshot expected, final ViewSnapshot actual, final String what)
    {
        final StringBuilder problems = new StringBuilder();
        int count = 0;
        for (final String view : expected.views.keySet())
        {
            for (final Map.Entry<String, TreeMap<String, Long>> row : actual.views.get(view).entrySet())
            {
                final TreeMap<String, Long> want = expected.views.get(view).get(row.getKey());
                for (final Map.Entry<String, Long> column : row.getValue().entrySet())
                {
                    final long limit = null == want ? 0 : want.getOrDefault(column.getKey(), 0L);
                    final boolean within = "bucket_seconds".equals(column.getKey()) ||
                        "complete".equals(column.getKey()) ? column.getValue() == limit : column.getValue() <= limit;
                    if (!within && count++ < SHOWN)
                    {
                        problems.append("\n  ").append(view).append(' ').append(row.getKey()).append(": ")
                            .append(column.getKey()).append(' ').append(column.getValue()).append(", at most ")
                            .append(limit);
                    }
                }
            }
        }
        if (count > 0)
        {
            fail(what + ": " + count + " stored figures above what the packets hold, e.g." + problems);
        }
    }

    private static String columnsDiffering(
        final Map<String, Long> want, final Map<String, Long> got, final boolean zeroesImplied)
    {
        final StringBuilder sb = new StringBuilder();
        final java.util.TreeSet<String> columns = new java.util.TreeSet<>(want.keySet());
        columns.addAll(got.keySet());
        for (final String column : columns)
        {
            final Long expected = want.getOrDefault(column, zeroesImplied ? Long.valueOf(0) : null);
            final Long stored = got.get(column);
            if (!java.util.Objects.equals(expected, stored))
            {
                sb.append(sb.length() > 0 ? ", " : "").append(column).append(" expected ").append(expected)
                    .append(" stored ").append(stored);
            }
        }
        return sb.toString();
    }

    // the stored columns the expected row leaves out dropped when they are 0, so that a non-zero one still differs
    private static TreeMap<String, Long> withoutZeroes(final TreeMap<String, Long> got, final Map<String, Long> want)
    {
        final TreeMap<String, Long> kept = new TreeMap<>();
        got.forEach((column, value) ->
        {
            if (want.containsKey(column) || 0 != value)
            {
                kept.put(column, value);
            }
        });
        return kept;
    }

    private static java.util.function.BinaryOperator<Long> combiner(final String column)
    {
        switch (column)
        {
            case "bucket_seconds":
                return Math::max;

            case "complete":
                return Math::min;

            default:
                return Long::sum;
        }
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        views.forEach((view, rows) -> sb.append(view).append(": ").append(rows.size()).append(" rows; "));
        return sb.toString();
    }
}
