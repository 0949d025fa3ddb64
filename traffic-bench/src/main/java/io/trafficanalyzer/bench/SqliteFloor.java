package io.trafficanalyzer.bench;

import io.trafficanalyzer.core.codec.IpAddresses;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.sink.StatsSink;
import io.trafficanalyzer.sqlite.SqliteSink;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The least SQLite takes to store a fleet's rows: a sink that writes them with plain JDBC into a store of the same
 * schema and settings (WAL, the same {@code synchronous}), addresses numbered in memory, each bucket's rows in key
 * order in prepared inserts of {@code chunk} rows, committing once every {@code rowsPerCommit} rows. No ledger, no
 * rollups, no replacement: what is left is the price of the rows themselves, the floor under the real sink.
 */
final class SqliteFloor implements StatsSink
{
    private static final String HOST_INSERT = "INSERT INTO host_stats (level, bucket_start, bucket_seconds, host_id, " +
        "protocol, agent_id, contribution_id, in_bytes, in_packets, out_bytes, out_packets) VALUES ";
    private static final String PORT_INSERT = "INSERT INTO port_stats (level, bucket_start, bucket_seconds, host_id, " +
        "protocol, port, served, agent_id, contribution_id, in_bytes, in_packets, out_bytes, out_packets) VALUES ";
    private static final String PEER_INSERT = "INSERT INTO peer_stats (level, bucket_start, bucket_seconds, host_id, " +
        "peer_id, protocol, agent_id, contribution_id, in_bytes, in_packets, out_bytes, out_packets) VALUES ";
    private static final int HOST_COLUMNS = 11;
    private static final int PORT_COLUMNS = 13;
    private static final int PEER_COLUMNS = 12;

    private final Connection connection;
    private final Statement statement;
    private final Map<Address, Long> addressIds = new HashMap<>();
    private final Map<String, Long> agentIds = new HashMap<>();
    private final PreparedStatement insertAddress;
    private final Table hosts;
    private final Table ports;
    private final Table peers;
    private final long rowsPerCommit;
    private long rowsSinceCommit;
    private boolean open;
    private long start;
    private int width;
    private long agentId;
    private long contribution;

    /**
     * A floor writer into a new store at a path.
     *
     * @param path          the database file, created by the real sink so that the schema is the same.
     * @param durable       synchronous=FULL when true, NORMAL when false, as the sink's {@code durableCommits}.
     * @param chunk         rows per insert statement (1: one statement per row, in an executeBatch).
     * @param rowsPerCommit rows per transaction, at bucket boundaries.
     * @throws SQLException when the store cannot be made.
     */
    SqliteFloor(final Path path, final boolean durable, final int chunk, final long rowsPerCommit) throws SQLException
    {
        SqliteSink.builder(path).freeSpaceFloor(0).durableCommits(durable).build().close();
        connection = DriverManager.getConnection("jdbc:sqlite:" + path);
        statement = connection.createStatement();
        statement.execute("PRAGMA journal_mode = WAL");
        statement.execute("PRAGMA synchronous = " + (durable ? "FULL" : "NORMAL"));
        statement.execute("PRAGMA cache_size = -32768");
        insertAddress = connection.prepareStatement("INSERT INTO address (id, bytes, text) VALUES (?, ?, ?)");
        hosts = new Table(connection, HOST_INSERT, HOST_COLUMNS, chunk);
        ports = new Table(connection, PORT_INSERT, PORT_COLUMNS, chunk);
        peers = new Table(connection, PEER_INSERT, PEER_COLUMNS, chunk);
        this.rowsPerCommit = rowsPerCommit;
        addressIds.put(new Address(-1, -1), 0L);
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchStart(final StatsBatch batch) throws SQLException
    {
        if (!open)
        {
            statement.execute("BEGIN IMMEDIATE");
            open = true;
        }
        start = batch.startEpochSecond();
        width = batch.widthSeconds();
        agentId = agentIds.computeIfAbsent(batch.agent(), (name) -> (long)agentIds.size() + 1);
        contribution++;
    }

    /**
     * {@inheritDoc}
     */
    public void onRow(final StatsRow row) throws SQLException
    {
        final long host = addressId(row.hostHi(), row.hostLo());
        final String view = row.view();
        if (StatsRow.HOSTS.equals(view))
        {
            hosts.add(row, host, row.protocol());
        }
        else if (StatsRow.PORTS.equals(view))
        {
            ports.add(row, host, row.protocol(), row.isFolded() ? 0 : row.port(), row.role());
        }
        else
        {
            peers.add(row, host, row.isFolded() ? 0 : addressId(row.peerHi(), row.peerLo()), row.protocol());
        }
        rowsSinceCommit++;
    }

    /**
     * {@inheritDoc}
     */
    public void onBatchEnd(final StatsBatch batch) throws SQLException
    {
        final long[] writer = { 0, start, width, agentId, contribution };
        hosts.write(writer);
        ports.write(writer);
        peers.write(writer);
        if (rowsSinceCommit >= rowsPerCommit)
        {
            commit();
        }
    }

    /**
     * Commit what is left and close the connection.
     *
     * @throws SQLException when the commit fails.
     */
    public void close() throws SQLException
    {
        if (open)
        {
            commit();
        }
        connection.close();
    }

    private void commit() throws SQLException
    {
        statement.execute("COMMIT");
        open = false;
        rowsSinceCommit = 0;
    }

    private long addressId(final long hi, final long lo) throws SQLException
    {
        final Address address = new Address(hi, lo);
        final Long known = addressIds.get(address);
        if (null != known)
        {
            return known;
        }
        final long id = addressIds.size();
        insertAddress.setLong(1, id);
        insertAddress.setBytes(2, ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
        insertAddress.setString(3, IpAddresses.format(hi, lo));
        insertAddress.executeUpdate();
        addressIds.put(address, id);
        return id;
    }

    private record Address(long hi, long lo)
    {
    }

    /**
     * One stats table's rows of the current bucket: sorted by key, then inserted {@code chunk} rows a statement.
     */
    private static final class Table
    {
        private static final int WRITER_COLUMNS = 5;

        private final int columns;
        private final int chunk;
        private final PreparedStatement many;
        private final PreparedStatement one;
        private final List<long[]> rows = new ArrayList<>();
        private final Comparator<long[]> byKey;

        Table(final Connection connection, final String insert, final int columns, final int chunk)
            throws SQLException
        {
            this.columns = columns;
            this.chunk = chunk;
            many = connection.prepareStatement(insert + values(columns, chunk));
            one = connection.prepareStatement(insert + values(columns, 1));
            final int keys = columns - WRITER_COLUMNS - 4;
            byKey = (a, b) -> Arrays.compare(a, 0, keys, b, 0, keys);
        }

        void add(final StatsRow row, final long... key)
        {
            final long[] values = Arrays.copyOf(key, key.length + 4);
            values[key.length] = row.inBytes();
            values[key.length + 1] = row.inPackets();
            values[key.length + 2] = row.outBytes();
            values[key.length + 3] = row.outPackets();
            rows.add(values);
        }

        /*
         * Columns in the order of the insert: level, bucket_start, bucket_seconds, keys..., agent_id,
         * contribution_id, measures; the writer array holds level, start, width, agent, contribution.
         */
        void write(final long[] writer) throws SQLException
        {
            rows.sort(byKey);
            final int keys = columns - WRITER_COLUMNS - 4;
            int i = 0;
            while (i < rows.size())
            {
                final boolean whole = chunk > 1 && rows.size() - i >= chunk;
                final PreparedStatement insert = whole ? many : one;
                final int n = whole ? chunk : 1;
                int p = 1;
                for (int r = i; r < i + n; r++)
                {
                    final long[] row = rows.get(r);
                    insert.setLong(p++, writer[0]);
                    insert.setLong(p++, writer[1]);
                    insert.setLong(p++, writer[2]);
                    for (int k = 0; k < keys; k++)
                    {
                        insert.setLong(p++, row[k]);
                    }
                    insert.setLong(p++, writer[3]);
                    insert.setLong(p++, writer[4]);
                    for (int m = 0; m < 4; m++)
                    {
                        insert.setLong(p++, row[keys + m]);
                    }
                }
                if (whole)
                {
                    insert.executeUpdate();
                }
                else
                {
                    insert.addBatch();
                }
                i += n;
            }
            one.executeBatch();
            rows.clear();
        }

        private static String values(final int columns, final int rows)
        {
            final String row = "(" + "?, ".repeat(columns - 1) + "?)";
            return String.join(", ", java.util.Collections.nCopies(rows, row));
        }
    }
}
