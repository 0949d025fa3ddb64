package io.trafficanalyzer.sqlite;

import io.trafficanalyzer.core.codec.FrameOutcome;
import io.trafficanalyzer.core.sink.BucketQuality;
import io.trafficanalyzer.core.sink.StatsBatch;
import io.trafficanalyzer.core.sink.StatsRow;
import io.trafficanalyzer.core.status.Logging;
import org.agrona.concurrent.EpochClock;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one batch into an open store as one contribution, in the transaction the caller holds: where it goes (raw
 * while raw rows are kept for its time, else added into the rollups that hold its period, or dropped when no level
 * does), what it replaces (the ledger's earlier contributions of the same identity), its rows through the address
 * dictionary and the minute sums, its quality and frame outcomes, and its ledger record. A repeat of a contribution
 * already summed into rollups is skipped.
 */
final class ContributionWriter
{
    private static final System.Logger LOGGER = Logging.logger("io.trafficanalyzer.sqlite");

    private final Path path;
    private final EpochClock epochClock;
    private final SinkCounters counters;
    private final RollupArrivals arrivals;
    private final FrameOutcome[] outcomes;
    private final Set<String> unknownViews = new HashSet<>();
    // the levels, period starts and widths the batch's rows go to: its raw bucket, or the rollups of a late one
    private final int[] targetLevels = new int[History.LEVELS];
    private final long[] targetStarts = new long[History.LEVELS];
    private final long[] targetWidths = new long[History.LEVELS];
    private int targetCount;
    private OpenStore store;
    private int placement;
    private long batchStart;
    private int batchWidth;
    private int batchPart;
    private long batchAgentId;
    private long batchStreamId;
    private long batchRows;
    private boolean batchReplaced;
    private long rollupFrom;
    private long rollupTo;
    private long placementNow;

    ContributionWriter(
        final Path path, final EpochClock epochClock, final SinkCounters counters, final RollupArrivals arrivals)
    {
        this.path = path;
        this.epochClock = epochClock;
        this.counters = counters;
        this.arrivals = arrivals;
        final List<FrameOutcome> counted = new ArrayList<>();
        for (int i = 0; i < FrameOutcome.count(); i++)
        {
            if (FrameOutcome.get(i) != FrameOutcome.DECODED)
            {
                counted.add(FrameOutcome.get(i));
            }
        }
        outcomes = counted.toArray(new FrameOutcome[0]);
    }

    /*
     * A batch of a valid bucket is about to be written into the store: it has no rows yet.
     */
    void reset(final OpenStore store, final StatsBatch batch)
    {
        this.store = store;
        batchStart = batch.startEpochSecond();
        batchWidth = batch.widthSeconds();
        batchPart = batch.part();
        batchRows = 0;
        store.clearRows();
    }

    /*
     * Where the batch goes and what it replaces, in the transaction just begun (the write lock first: where the batch
     * goes depends on what other writers committed). False when it stores nothing: older than every level kept
     * (dropped), or a repeat already summed into rollups (skipped).
     */
    boolean begin(final StatsBatch batch) throws SQLException
    {
        final History history = store.history();
        final ContributionLedger ledger = store.ledger();
        final long start = batchStart;
        final int width = batchWidth;
        placement = history.placement(start);
        placementNow = history.now();
        if (placement < 0)
        {
            counters.onDropped();
            LOGGER.log(Level.WARNING, "{0}: bucket {1} is older than every granularity kept: dropped", path,
                Instant.ofEpochSecond(start));
            return false;
        }
        batchAgentId = ledger.agentId(batch.agent());
        batchStreamId = ledger.streamId(batchAgentId, batch.stream());
        if (placement > History.RAW && ledger.isRecorded(batchStreamId, start, width, batchPart))
        {
            // its rows are summed into rollups, where they cannot be told apart to be replaced
            counters.onSkipped();
            return false;
        }

        store.addresses().begin();
        if (placement == History.RAW)
        {
            final int replaced = ledger.replace(batchStreamId, start, width, batchPart,
                history.keptFrom[History.RAW]);
            batchReplaced = replaced > 0;
            counters.onReplaced(replaced);
            rollupFrom = ledger.replacedFrom();
            rollupTo = ledger.replacedTo();
            history.startRawBatch(start, width, batchAgentId, replaced > 0);
            targetLevels[0] = History.RAW;
            targetStarts[0] = start;
            targetWidths[0] = width;
            targetCount = 1;
        }
        else
        {
            history.minutes().pause();
            targetCount = history.mergeTargets(start, placement, targetLevels, targetStarts, targetWidths);
        }

        return true;
    }

    /*
     * A row of the batch, held until its end; a row of a view the store has no table for is counted and ignored.
     */
    void addRow(final StatsRow row) throws SQLException
    {
        final String view = row.view();
        if (StatsRow.HOSTS.equals(view))
        {
            addHostRow(row);
        }
        else if (StatsRow.PORTS.equals(view))
        {
            addPortRow(row);
        }
        else if (StatsRow.PEERS.equals(view))
        {
            addPeerRow(row);
        }
        else
        {
            unknownView(view);
            return;
        }
        batchRows++;
    }

    /*
     * Records the contribution and writes its rows and quality, still in the caller's transaction; a raw one then
     * brings the rollups that covered its period in line.
     */
    void end(final BucketQuality quality) throws SQLException
    {
        final boolean raw = placement == History.RAW;
        final long contribution = store.ledger().record(batchStreamId, batchStart, batchWidth, batchPart, placement,
            batchRows, epochClock.time() / 1000);
        // rows merged into rollups belong to no one contribution
        final long rowsContribution = raw ? contribution : 0;
        executePending(rowsContribution, !raw);
        writeQuality(quality, rowsContribution);
        if (raw)
        {
            store.history().afterRawWrite(batchStart + batchWidth, rollupFrom, rollupTo, batchStart, contribution,
                batchReplaced);
        }
    }

    /*
     * The batch is stored (committed, or ended within its group): a late one is counted per level, the first of
     * each level logged.
     */
    void stored()
    {
        if (placement != History.RAW)
        {
            counters.onLateMerged();
            if (arrivals.add(placement, batchStart, placementNow))
            {
                LOGGER.log(Level.INFO, "{0}: bucket {1} is older than the raw retention ({2}) before the store''s " +
                    "newest bucket ({3}): stored straight into the {4} rollups; such buckets are counted, not logged",
                    path, Instant.ofEpochSecond(batchStart), RollupArrivals.describe(arrivals.rawRetention()),
                    Instant.ofEpochSecond(placementNow), History.LEVEL_NAMES[placement]);
            }
        }
    }

    boolean isOf(final StatsBatch batch)
    {
        return batch.startEpochSecond() == batchStart && batch.widthSeconds() == batchWidth &&
            batch.part() == batchPart;
    }

    long start()
    {
        return batchStart;
    }

    long rows()
    {
        return batchRows;
    }

    private void addHostRow(final StatsRow row) throws SQLException
    {
        final long hostId = store.addresses().id(row.hostHi(), row.hostLo());
        final MinuteRollup minutes = store.history().minutes();
        if (minutes.isFeeding())
        {
            minutes.addHost(hostId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(), row.outPackets());
        }
        store.hostRows().add(hostId, row.protocol(), 0, row.inBytes(), row.inPackets(), row.outBytes(),
            row.outPackets());
    }

    private void addPortRow(final StatsRow row) throws SQLException
    {
        final long hostId = store.addresses().id(row.hostHi(), row.hostLo());
        final int port = row.isFolded() ? 0 : row.port();
        final MinuteRollup minutes = store.history().minutes();
        if (minutes.isFeeding())
        {
            minutes.addPort(hostId, row.protocol(), port, row.role(), row.inBytes(), row.inPackets(),
                row.outBytes(), row.outPackets());
        }
        store.portRows().add(hostId, row.protocol(), StatsTable.portKey(port, row.role()), row.inBytes(),
            row.inPackets(), row.outBytes(), row.outPackets());
    }

    private void addPeerRow(final StatsRow row) throws SQLException
    {
        final AddressDictionary addresses = store.addresses();
        final long hostId = addresses.id(row.hostHi(), row.hostLo());
        final long peerId = row.isFolded() ? Schema.FOLDED_PEER_ID : addresses.id(row.peerHi(), row.peerLo());
        final MinuteRollup minutes = store.history().minutes();
        if (minutes.isFeeding())
        {
            minutes.addPeer(hostId, peerId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(),
                row.outPackets());
        }
        store.peerRows().add(hostId, peerId, row.protocol(), row.inBytes(), row.inPackets(), row.outBytes(),
            row.outPackets());
    }

    private void unknownView(final String view)
    {
        counters.onUnknownViewRow();
        if (unknownViews.add(view))
        {
            LOGGER.log(Level.WARNING, "{0}: no table for view \"{1}\": its rows are not stored", path, view);
        }
    }

    private void bindKey(final PreparedStatement statement, final int target, final long contribution)
        throws SQLException
    {
        statement.setInt(1, targetLevels[target]);
        statement.setLong(2, targetStarts[target]);
        statement.setLong(3, targetWidths[target]);
        statement.setLong(4, batchAgentId);
        statement.setLong(5, contribution);
    }

    private void executePending(final long contribution, final boolean add) throws SQLException
    {
        store.addresses().flush();
        store.hostRows().write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
        store.portRows().write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
        store.peerRows().write(targetLevels, targetStarts, targetWidths, targetCount, batchAgentId, contribution, add);
    }

    private void writeQuality(final BucketQuality quality, final long contribution) throws SQLException
    {
        final PreparedStatement qualityUpsert = store.qualityUpsert();
        final PreparedStatement outcomeUpsert = store.outcomeUpsert();
        for (int i = 0; i < targetCount; i++)
        {
            bindKey(qualityUpsert, i, contribution);
            qualityUpsert.setLong(6, quality.frames());
            qualityUpsert.setLong(7, quality.packets());
            qualityUpsert.setLong(8, quality.bytes());
            qualityUpsert.setLong(9, quality.transitPackets());
            qualityUpsert.setLong(10, quality.transitBytes());
            qualityUpsert.setLong(11, quality.latePackets());
            qualityUpsert.setLong(12, quality.ringDrops());
            qualityUpsert.setLong(13, quality.kernelDrops());
            qualityUpsert.setLong(14, quality.foldedKeys());
            qualityUpsert.setInt(15, quality.isComplete() ? 1 : 0);
            qualityUpsert.executeUpdate();

            for (final FrameOutcome outcome : outcomes)
            {
                final long frames = quality.frames(outcome);
                if (frames != 0)
                {
                    outcomeUpsert.setInt(1, targetLevels[i]);
                    outcomeUpsert.setLong(2, targetStarts[i]);
                    outcomeUpsert.setLong(3, batchAgentId);
                    outcomeUpsert.setLong(4, contribution);
                    outcomeUpsert.setString(5, outcome.label());
                    outcomeUpsert.setLong(6, frames);
                    outcomeUpsert.executeUpdate();
                }
            }
        }
    }
}
