package io.trafficanalyzer.sqlite;

/**
 * The underlying tables that hold one row per (granularity level, bucket, key, agent, contribution), and the SQL that
 * writes, rolls up and prunes them. Every table's primary key starts with (level, bucket_start), so that each
 * statement is a range scan, and ends with (agent_id, contribution_id), so that the views group along it.
 * <p>
 * Column order of every statement that writes rows: level, bucket_start, [bucket_seconds,] agent_id,
 * contribution_id, keys..., sums..., mins...; the first ones are the "writer" part a bucket's rows share.
 */
enum StatsTable
{
    HOST("host_stats", true, new String[]{ "host_id", "protocol" }, TrafficColumns.MEASURES, TrafficColumns.NONE),
    PORT("port_stats", true, TrafficColumns.PORT_KEYS, TrafficColumns.MEASURES, TrafficColumns.NONE),
    PEER("peer_stats", true, TrafficColumns.PEER_KEYS, TrafficColumns.MEASURES, TrafficColumns.NONE),
    QUALITY("quality_stats", true, TrafficColumns.NONE, TrafficColumns.QUALITY_SUMS, TrafficColumns.QUALITY_MINS),
    OUTCOME("quality_outcome", false, new String[]{ "outcome" }, new String[]{ "frames" }, TrafficColumns.NONE);

    private static final String[] WRITER = { "agent_id", "contribution_id" };

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
     * Columns a row binds after the shared ones (level, bucket_start, bucket_seconds, agent_id, contribution_id):
     * keys..., sums..., mins...
     */
    int rowColumns()
    {
        return keys.length + sums.length + mins.length;
    }

    /*
     * How many leading columns the rows of one bucket share: level, bucket_start, [bucket_seconds,] agent_id,
     * contribution_id.
     */
    int sharedColumns()
    {
        return (hasBucketSeconds ? 3 : 2) + WRITER.length;
    }

    /*
     * The third key word of a port row, as the sink keeps it in memory and sorts it: port, then served (the role:
     * 0 client, 1 server, 2 refusing).
     */
    static long portKey(final int port, final int role)
    {
        return ((long)port << 2) | role;
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
            out[i++] = k2 >> 2;
            out[i++] = k2 & 3;
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
     * Insert of one row, adding to a row of the same key when there is one (a late batch merged into a rollup adds to
     * what is there). Parameters: the shared columns, keys..., sums..., mins...
     */
    String upsertSql()
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, 1, insertInto(sql), false);
        return appendOnConflict(sql).toString();
    }

    /*
     * Upsert of several rows of one bucket at once, each row added to a stored row of its key as in
     * {@link #upsertSql()}. Parameters: ?1 .. ?n the shared columns, then per row keys... and sums..., numbered on.
     */
    String chunkUpsertSql(final int rows)
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, rows, insertInto(sql), true);
        return appendOnConflict(sql).toString();
    }

    /*
     * Plain insert of several rows of one bucket that no stored row can collide with (a new contribution's), with
     * parameters as in {@link #chunkUpsertSql(int)}.
     */
    String chunkInsertSql(final int rows)
    {
        final StringBuilder sql = new StringBuilder();
        appendValues(sql, rows, insertInto(sql), true);
        return sql.toString();
    }

    /*
     * Plain insert of several rollup rows of one period of a traffic table: the level and the contribution (0) are
     * written in, ?1 is the period's start, and each row binds bucket_seconds, agent_id, keys... and sums..., numbered
     * on.
     */
    String rollupInsertSql(final int level, final int rows)
    {
        final StringBuilder sql = new StringBuilder();
        final int columns = insertInto(sql);
        sql.append(" VALUES ");
        for (int row = 0; row < rows; row++)
        {
            sql.append(row == 0 ? "(" : ", (").append(level).append(", ?1, ?, ?, 0");
            for (int column = sharedColumns(); column < columns; column++)
            {
                sql.append(", ?");
            }
            sql.append(')');
        }
        return sql.toString();
    }

    // INSERT INTO table (level, bucket_start, [bucket_seconds,] agent_id, contribution_id, keys..., sums..., mins...);
    // returns the column count
    private int insertInto(final StringBuilder sql)
    {
        sql.append("INSERT INTO ").append(tableName).append(" (level, bucket_start");
        int columns = 2;
        if (hasBucketSeconds)
        {
            sql.append(", bucket_seconds");
            columns++;
        }
        columns += appendColumns(sql, WRITER);
        columns += appendColumns(sql, keys) + appendColumns(sql, sums) + appendColumns(sql, mins);
        sql.append(')');

        return columns;
    }

    // VALUES (?, ...), ... for rows of the given columns; with the bucket shared, rows reuse ?1..?n for the shared
    // columns and number the rest on
    private void appendValues(final StringBuilder sql, final int rows, final int columns, final boolean sharedBucket)
    {
        final int shared = sharedColumns();
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
     * Recomputes one level from the next finer one over a range of periods: one row per period, key and agent, of
     * no contribution (0).
     * Parameters: ?1 target level, ?2 target period seconds, ?3 source level, ?4 from (inclusive), ?5 to (exclusive).
     */
    String rollupSql()
    {
        final StringBuilder sql = new StringBuilder("INSERT INTO ").append(tableName).append(" (level, bucket_start");
        if (hasBucketSeconds)
        {
            sql.append(", bucket_seconds");
        }
        appendColumns(sql, WRITER);
        appendColumns(sql, keys);
        appendColumns(sql, sums);
        appendColumns(sql, mins);
        sql.append(") SELECT ?1, (bucket_start / ?2) * ?2");
        if (hasBucketSeconds)
        {
            sql.append(", MAX(?2, MAX(bucket_seconds))");
        }
        sql.append(", agent_id, 0");
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
        sql.append(", agent_id");

        return sql.toString();
    }

    /*
     * Adds one raw contribution's rows to a level that already rolled its period up, as the rollup would have summed
     * them: the same rows as recomputing the period by rollupSql(), for the cost of the contribution alone.
     * Parameters: ?1 target level, ?2 target period seconds, ?3 the contribution's bucket_start, ?4 its id.
     */
    String rollupAddSql()
    {
        final StringBuilder sql = new StringBuilder();
        insertInto(sql);
        sql.append(" SELECT ?1, (bucket_start / ?2) * ?2");
        if (hasBucketSeconds)
        {
            sql.append(", MAX(?2, bucket_seconds)");
        }
        sql.append(", agent_id, 0");
        appendColumns(sql, keys);
        appendColumns(sql, sums);
        appendColumns(sql, mins);
        sql.append(" FROM ").append(tableName)
            .append(" WHERE level = 0 AND bucket_start = ?3 AND contribution_id = ?4");
        appendOnConflict(sql);
        if (hasBucketSeconds && sums.length + mins.length > 0)
        {
            sql.append(", bucket_seconds = MAX(bucket_seconds, excluded.bucket_seconds)");
        }

        return sql.toString();
    }

    /*
     * Parameters: level, from (inclusive), to (exclusive).
     */
    String deleteRangeSql()
    {
        return "DELETE FROM " + tableName + " WHERE level = ? AND bucket_start >= ? AND bucket_start < ?";
    }

    /*
     * The raw rows of one contribution. Parameters: bucket_start, contribution id.
     */
    String deleteContributionSql()
    {
        return "DELETE FROM " + tableName + " WHERE level = 0 AND bucket_start = ? AND contribution_id = ?";
    }

    String primaryKey()
    {
        final StringBuilder key = new StringBuilder("level, bucket_start");
        appendColumns(key, keys);
        appendColumns(key, WRITER);

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
