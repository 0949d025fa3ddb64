package io.trafficanalyzer.sqlite;

/**
 * The underlying tables that hold one row per (granularity level, bucket, key), and the SQL that writes, rolls up and
 * prunes them. Every table's primary key starts with (level, bucket_start), so that each statement is a range scan.
 */
enum StatsTable
{
    HOST("host_stats", true, new String[]{ "host_id", "protocol" }, TrafficColumns.MEASURES, TrafficColumns.NONE),
    PORT("port_stats", true, TrafficColumns.PORT_KEYS, TrafficColumns.MEASURES, TrafficColumns.NONE),
    PEER("peer_stats", true, TrafficColumns.PEER_KEYS, TrafficColumns.MEASURES, TrafficColumns.NONE),
    QUALITY("quality_stats", true, TrafficColumns.NONE, TrafficColumns.QUALITY_SUMS, TrafficColumns.QUALITY_MINS),
    OUTCOME("quality_outcome", false, new String[]{ "outcome" }, new String[]{ "frames" }, TrafficColumns.NONE);

    private final String tableName;
    private final boolean hasBucketSeconds;
    private final String[] keys;
    private final String[] sums;
    private final String[] mins;

    StatsTable(
        final String tableName,
        final boolean hasBucketSeconds,
        final String[] keys,
        final String[] sums,
        final String[] mins)
    {
        this.tableName = tableName;
        this.hasBucketSeconds = hasBucketSeconds;
        this.keys = keys;
        this.sums = sums;
        this.mins = mins;
    }

    String tableName()
    {
        return tableName;
    }

    /*
     * Columns a row binds after level, bucket_start and bucket_seconds: keys..., sums..., mins...
     */
    int rowColumns()
    {
        return keys.length + sums.length + mins.length;
    }

    /*
     * The third key word of a port row, as the sink keeps it in memory and sorts it: port, then served.
     */
    static long portKey(final int port, final boolean served)
    {
        return ((long)port << 1) | (served ? 1 : 0);
    }

    /*
     * A traffic row's key columns from the three words the sink keeps (host: host_id, protocol; port: host_id,
     * protocol, portKey; peer: host_id, peer_id, protocol), then its four measures from measures[m..m + 3], into
     * out from p on; returns the index after them.
     */
    int putRow(final long[] out, final int p, final long k0, final long k1, final long k2, final long[] measures,
        final int m)
    {
        int i = p;
        out[i++] = k0;
        out[i++] = k1;
        if (this == PORT)
        {
            out[i++] = k2 >> 1;
            out[i++] = k2 & 1;
        }
        else if (this == PEER)
        {
            out[i++] = k2;
        }
        out[i++] = measures[m];
        out[i++] = measures[m + 1];
        out[i++] = measures[m + 2];
        out[i++] = measures[m + 3];

        return i;
    }

    /*
     * Insert of one row, adding to a row of the same key when there is one: rows of one batch never collide after
     * the batch's old rows are deleted, but two source rows may map to the same stored key (a folded port 0 and a
     * real port 0), and a late batch merged into a coarser level adds to what is there.
     * Parameters: level, bucket_start, [bucket_seconds], keys..., sums..., mins...
     */
    String upsertSql()
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, 1, insertInto(sql), false);
        return appendOnConflict(sql).toString();
    }

    /*
     * Upsert of several rows of one bucket of a traffic table at once, each row added to a stored row of its key as
     * in {@link #upsertSql()}. Parameters: ?1 level, ?2 bucket_start, ?3 bucket_seconds shared by every row, then
     * per row keys... and sums..., numbered on.
     */
    String chunkUpsertSql(final int rows)
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, rows, insertInto(sql), true);
        return appendOnConflict(sql).toString();
    }

    /*
     * Plain insert of several rows at once, in the column order of {@link #upsertSql()}.
     */
    String insertSql(final int rows)
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, rows, insertInto(sql), false);
        return sql.toString();
    }

    // INSERT INTO table (level, bucket_start, [bucket_seconds,] keys..., sums..., mins...); returns the column count
    private int insertInto(final StringBuilder sql)
    {
        sql.append("INSERT INTO ").append(tableName).append(" (level, bucket_start");
        int columns = 2;
        if (hasBucketSeconds)
        {
            sql.append(", bucket_seconds");
            columns++;
        }
        columns += appendColumns(sql, keys) + appendColumns(sql, sums) + appendColumns(sql, mins);
        sql.append(')');

        return columns;
    }

    // VALUES (?, ...), ... for rows of the given columns; with the bucket shared, rows reuse ?1..?3 for level,
    // bucket_start and bucket_seconds and number the rest on
    private void appendValues(final StringBuilder sql, final int rows, final int columns, final boolean sharedBucket)
    {
        final int shared = hasBucketSeconds ? 3 : 2;
        int parameter = shared + 1;
        sql.append(" VALUES ");
        for (int row = 0; row < rows; row++)
        {
            sql.append(row == 0 ? "(" : ", (");
            for (int column = 0; column < columns; column++)
            {
                sql.append(column == 0 ? "" : ", ");
                if (!sharedBucket)
                {
                    sql.append('?');
                }
                else if (column < shared)
                {
                    sql.append('?').append(column + 1);
                }
                else
                {
                    sql.append('?').append(parameter++);
                }
            }
            sql.append(')');
        }
    }

    private StringBuilder appendOnConflict(final StringBuilder sql)
    {
        sql.append(" ON CONFLICT (").append(primaryKey()).append(") DO ");
        if (sums.length + mins.length == 0)
        {
            return sql.append("NOTHING");
        }

        sql.append("UPDATE SET ");
        String separator = "";
        for (final String column : sums)
        {
            sql.append(separator).append(column).append(" = ").append(column).append(" + excluded.").append(column);
            separator = ", ";
        }
        for (final String column : mins)
        {
            sql.append(separator).append(column).append(" = MIN(").append(column).append(", excluded.")
                .append(column).append(')');
            separator = ", ";
        }

        return sql;
    }

    boolean isTraffic()
    {
        return this == HOST || this == PORT || this == PEER;
    }

    /*
     * Recomputes one level from the next finer one over a range of periods.
     * Parameters: ?1 target level, ?2 target period seconds, ?3 source level, ?4 from (inclusive), ?5 to (exclusive).
     */
    String rollupSql()
    {
        final StringBuilder sql = new StringBuilder("INSERT INTO ").append(tableName).append(" (level, bucket_start");
        if (hasBucketSeconds)
        {
            sql.append(", bucket_seconds");
        }
        appendColumns(sql, keys);
        appendColumns(sql, sums);
        appendColumns(sql, mins);
        sql.append(") SELECT ?1, (bucket_start / ?2) * ?2");
        if (hasBucketSeconds)
        {
            sql.append(", MAX(?2, MAX(bucket_seconds))");
        }
        appendColumns(sql, keys);
        for (final String column : sums)
        {
            sql.append(", SUM(").append(column).append(')');
        }
        for (final String column : mins)
        {
            sql.append(", MIN(").append(column).append(')');
        }
        sql.append(" FROM ").append(tableName)
            .append(" WHERE level = ?3 AND bucket_start >= ?4 AND bucket_start < ?5 GROUP BY (bucket_start / ?2) * ?2");
        appendColumns(sql, keys);

        return sql.toString();
    }

    /*
     * Parameters: level, from (inclusive), to (exclusive).
     */
    String deleteRangeSql()
    {
        return "DELETE FROM " + tableName + " WHERE level = ? AND bucket_start >= ? AND bucket_start < ?";
    }

    String primaryKey()
    {
        final StringBuilder key = new StringBuilder("level, bucket_start");
        appendColumns(key, keys);

        return key.toString();
    }

    private static int appendColumns(final StringBuilder sql, final String[] columns)
    {
        for (final String column : columns)
        {
            sql.append(", ").append(column);
        }

        return columns.length;
    }

    /**
     * Column lists shared by several constants (an enum cannot refer to its own static fields in constructors).
     */
    static final class TrafficColumns
    {
        static final String[] NONE = {};
        static final String[] MEASURES = { "in_bytes", "in_packets", "out_bytes", "out_packets" };
        static final String[] PORT_KEYS = { "host_id", "protocol", "port", "served" };
        static final String[] PEER_KEYS = { "host_id", "peer_id", "protocol" };
        static final String[] QUALITY_SUMS = { "frames", "packets", "bytes", "transit_packets", "transit_bytes",
            "late_packets", "ring_drops", "kernel_drops", "folded_keys" };
        static final String[] QUALITY_MINS = { "complete" };

        private TrafficColumns()
        {
        }
    }
}
