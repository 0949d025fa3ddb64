package io.trafficanalyzer.web.query;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of typed columns printed as a table (human units), CSV or JSON (raw numbers), so that every command formats
 * alike and the machine formats never lose precision. The command line prints it; the web API serves its JSON, so
 * both give the same document for the same store and range.
 */
public final class ResultTable
{
    /**
     * What a column holds, which decides how it is shown.
     */
    public enum Kind
    {
        /** Text, left aligned. */
        TEXT,
        /** An integer shown as it is (a port number). */
        INTEGER,
        /** A count, e.g. packets; tables abbreviate large ones (12.3k). */
        COUNT,
        /** A byte count; tables show binary units (KiB, MiB). */
        BYTES,
        /** Bits per second as a double; tables show decimal units (Mbit/s), machine formats whole bits/s. */
        RATE,
        /** An instant, ISO-8601 UTC everywhere. */
        TIME,
        /** A boolean. */
        FLAG
    }

    private record Column(String name, String heading, Kind kind)
    {
    }

    private final String title;
    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<Column> columns = new ArrayList<>();
    private final List<Object[]> rows = new ArrayList<>();
    private final List<String> footer = new ArrayList<>();
    private String emptyNote = "(no rows)";

    /**
     * An empty table.
     *
     * @param title the line above a printed table.
     */
    public ResultTable(final String title)
    {
        this.title = title;
    }

    /**
     * A field of the JSON document beside its rows, in the order given.
     *
     * @param key   the field name.
     * @param value a string, number, {@link Instant} or null.
     * @return this.
     */
    public ResultTable meta(final String key, final Object value)
    {
        meta.put(key, value);
        return this;
    }

    /**
     * Add a column.
     *
     * @param name    its name in CSV and JSON.
     * @param heading its heading in a printed table.
     * @param kind    what it holds.
     * @return this.
     */
    public ResultTable column(final String name, final String heading, final Kind kind)
    {
        columns.add(new Column(name, heading, kind));
        return this;
    }

    /**
     * The line a printed table shows when it has no rows.
     *
     * @param note the line.
     * @return this.
     */
    public ResultTable emptyNote(final String note)
    {
        emptyNote = note;
        return this;
    }

    /**
     * A line a printed table shows below its rows (or its empty note); the machine formats carry the same facts as
     * fields.
     *
     * @param line the line, or null for none.
     * @return this.
     */
    public ResultTable footer(final String line)
    {
        if (null != line)
        {
            footer.add(line);
        }
        return this;
    }

    /**
     * Add a row, one value per column.
     *
     * @param values the values.
     * @return this.
     */
    public ResultTable row(final Object... values)
    {
        if (values.length != columns.size())
        {
            throw new IllegalStateException("expected " + columns.size() + " values, got " + values.length);
        }
        rows.add(values.clone());
        return this;
    }

    /**
     * How many rows.
     *
     * @return the count.
     */
    public int rowCount()
    {
        return rows.size();
    }

    /**
     * Print the table.
     *
     * @param format how.
     * @param out    where; flushed.
     */
    public void print(final OutputFormat format, final PrintWriter out)
    {
        switch (format)
        {
            case table:
                printTable(out);
                break;

            case csv:
                printCsv(out);
                break;

            case json:
                printJson(out);
                break;

            default:
                throw new IllegalStateException("unknown format " + format);
        }
        out.flush();
    }

    private void printTable(final PrintWriter out)
    {
        out.println(title);
        if (rows.isEmpty())
        {
            out.println(emptyNote);
            footer.forEach(out::println);
            return;
        }

        final int[] widths = new int[columns.size()];
        final List<String[]> cells = new ArrayList<>(rows.size());
        for (int c = 0; c < widths.length; c++)
        {
            widths[c] = columns.get(c).heading.length();
        }
        for (final Object[] row : rows)
        {
            final String[] texts = new String[row.length];
            for (int c = 0; c < row.length; c++)
            {
                texts[c] = human(columns.get(c).kind, row[c]);
                widths[c] = Math.max(widths[c], texts[c].length());
            }
            cells.add(texts);
        }

        final String[] headings = new String[widths.length];
        for (int c = 0; c < widths.length; c++)
        {
            headings[c] = columns.get(c).heading;
        }
        out.println(line(headings, widths));
        for (final String[] texts : cells)
        {
            out.println(line(texts, widths));
        }
        footer.forEach(out::println);
    }

    private String line(final String[] texts, final int[] widths)
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = 0; c < texts.length; c++)
        {
            if (c > 0)
            {
                sb.append("  ");
            }
            final boolean left = columns.get(c).kind == Kind.TEXT || columns.get(c).kind == Kind.TIME;
            final int pad = widths[c] - texts[c].length();
            if (!left)
            {
                sb.append(" ".repeat(pad));
            }
            sb.append(texts[c]);
            if (left && c < texts.length - 1)
            {
                sb.append(" ".repeat(pad));
            }
        }

        return sb.toString();
    }

    private void printCsv(final PrintWriter out)
    {
        final StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns.size(); c++)
        {
            sb.append(c > 0 ? "," : "").append(columns.get(c).name);
        }
        out.print(sb.append("\r\n"));

        for (final Object[] row : rows)
        {
            sb.setLength(0);
            for (int c = 0; c < row.length; c++)
            {
                if (c > 0)
                {
                    sb.append(',');
                }
                if (null != row[c])
                {
                    final String raw = raw(columns.get(c).kind, row[c]);
                    if (raw.indexOf(',') >= 0 || raw.indexOf('"') >= 0 || raw.indexOf('\n') >= 0 ||
                        raw.indexOf('\r') >= 0)
                    {
                        sb.append('"').append(raw.replace("\"", "\"\"")).append('"');
                    }
                    else
                    {
                        sb.append(raw);
                    }
                }
            }
            out.print(sb.append("\r\n"));
        }
    }

    private void printJson(final PrintWriter out)
    {
        final StringBuilder sb = new StringBuilder("{\n");
        for (final Map.Entry<String, Object> entry : meta.entrySet())
        {
            sb.append("  ");
            Json.appendQuoted(sb, entry.getKey()).append(": ");
            appendJsonValue(sb, entry.getValue() instanceof Instant ? Kind.TIME : Kind.TEXT, entry.getValue());
            sb.append(",\n");
        }
        sb.append("  \"rows\": [");
        for (int r = 0; r < rows.size(); r++)
        {
            final Object[] row = rows.get(r);
            sb.append(r > 0 ? ",\n    {" : "\n    {");
            for (int c = 0; c < row.length; c++)
            {
                if (c > 0)
                {
                    sb.append(", ");
                }
                Json.appendQuoted(sb, columns.get(c).name).append(": ");
                appendJsonValue(sb, columns.get(c).kind, row[c]);
            }
            sb.append('}');
        }
        sb.append(rows.isEmpty() ? "]\n}" : "\n  ]\n}");
        out.println(sb);
    }

    private static void appendJsonValue(final StringBuilder sb, final Kind kind, final Object value)
    {
        if (null == value)
        {
            sb.append("null");
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            sb.append(raw(kind, value));
        }
        else
        {
            Json.appendQuoted(sb, raw(kind, value));
        }
    }

    private static String raw(final Kind kind, final Object value)
    {
        if (kind == Kind.RATE)
        {
            return Long.toString(Math.round(((Number)value).doubleValue()));
        }

        return String.valueOf(value);
    }

    private static String human(final Kind kind, final Object value)
    {
        if (null == value)
        {
            return "-";
        }

        switch (kind)
        {
            case COUNT:
                return HumanUnits.count(((Number)value).longValue());

            case BYTES:
                return HumanUnits.bytes(((Number)value).longValue());

            case RATE:
                return HumanUnits.bitRate(((Number)value).doubleValue());

            case FLAG:
                return (Boolean)value ? "yes" : "no";

            default:
                return String.valueOf(value);
        }
    }
}
