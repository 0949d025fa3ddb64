package io.trafficanalyzer.examples.cli;

import io.trafficanalyzer.core.testing.PcapFileWriter;
import io.trafficanalyzer.examples.TrafficScript;
import io.trafficanalyzer.sqlite.TrafficStore;
import io.trafficanalyzer.sqlite.TrafficTotals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayCommandTest
{
    private static final Instant BEGIN = Instant.ofEpochSecond(0);
    private static final Instant END = Instant.ofEpochSecond(4_000_000_000L);

    @TempDir
    Path dir;

    @Test
    void shouldStoreEveryPacketAndSummariseTheCountersWhenReplayingAFile()
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final Path db = dir.resolve("t.db");

        final Cli.Result result = Cli.run("replay", "--db", db.toString(), capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertEquals("", result.err(), result::toString);
        assertTrue(result.out().startsWith("Replayed 1 file into " + db.toAbsolutePath()), result::toString);
        assertEquals(script.frameCount(), result.figure("frames"));
        assertEquals(script.ipPackets(), result.figure("IP packets"));
        assertEquals(script.ipBytes(), result.figure("bytes"));
        assertEquals(script.nonIp(), result.figure("non-IP"));
        assertEquals(script.truncated(), result.figure("malformed"));
        assertEquals(script.truncated(), result.figure("truncated_ip_header"));
        assertEquals(script.transitPackets(), result.figure("transit"));
        assertEquals(0, result.figure("late"));
        assertEquals(3, result.figure("buckets"));
        assertEquals(script.rowCount(10), result.figure("rows written"));
        assertTrue(result.out().contains("elapsed"), result::toString);
        assertTrue(result.out().contains("packets/s"), result::toString);

        try (TrafficStore store = TrafficStore.open(db))
        {
            final TrafficTotals totals = store.totals(BEGIN, END);
            assertEquals(3, totals.buckets());
            assertEquals(script.frameCount(), totals.frames());
            assertEquals(script.ipPackets(), totals.packets());
            assertEquals(script.ipBytes(), totals.bytes());
            assertEquals(script.transitPackets(), totals.transitPackets());
            assertEquals(script.nonIp(), totals.nonIp());
            assertEquals(script.truncated(), totals.malformed());
        }
    }

    @Test
    void shouldCountTheSameWhenReplayingSeveralFilesGzipAndShards()
    {
        final TrafficScript script = TrafficScript.standard();
        final int half = script.frames().size() / 2;
        final Path first = dir.resolve("first.pcap");
        final Path second = dir.resolve("second.pcap.gz");
        try (PcapFileWriter writer = PcapFileWriter.create(first))
        {
            for (final TrafficScript.Frame frame : script.frames().subList(0, half))
            {
                writer.record(frame.timestampNs(), frame.bytes(), frame.bytes().length, frame.wireLength());
            }
        }
        try (PcapFileWriter writer = PcapFileWriter.createGzip(second))
        {
            for (final TrafficScript.Frame frame : script.frames().subList(half, script.frames().size()))
            {
                writer.record(frame.timestampNs(), frame.bytes(), frame.bytes().length, frame.wireLength());
            }
        }
        final Path db = dir.resolve("t.db");

        final Cli.Result result = Cli.run(
            "replay", "--db", db.toString(), "--shards", "3", "--bucket", "5s", first.toString(), second.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("Replayed 2 files into "), result::toString);
        assertEquals(script.frameCount(), result.figure("frames"));
        assertEquals(script.ipBytes(), result.figure("bytes"));
        // each file is a stream of its own: the bucket where the capture was cut holds a contribution of each
        final int size = script.frames().size();
        assertEquals(script.slice(0, half).rowCount(5) + script.slice(half, size).rowCount(5),
            result.figure("rows written"));
        assertTrue(result.out().contains("\n  " + first + ": " + half + " frames, " +
            span(script.frames().subList(0, half)) + " ("), result::toString);
        assertTrue(result.out().contains("\n  " + second + ": " + (size - half) + " frames, " +
            span(script.frames().subList(half, size)) + " ("), result::toString);
    }

    @Test
    void shouldWriteOnlyTheSinksAsTheAgentWhenSinkIsGivenWithoutDb() throws Exception
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final Path jsonl = dir.resolve("out.jsonl");
        // the default store, relative to the working directory, is what --sink alone must leave alone
        final Path defaultStore = Path.of("traffic.db").toAbsolutePath();
        final long before = Files.exists(defaultStore) ? Files.getLastModifiedTime(defaultStore).toMillis() : -1;

        final Cli.Result result = Cli.run("replay", "--agent", "edge-1", "--sink", "jsonl:" + jsonl,
            capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("Replayed 1 file into jsonl:" + jsonl + " as agent edge-1\n"),
            result::toString);
        assertFalse(result.out().contains("rows written"), result::toString);
        assertEquals(script.rowCount(10) + 3, Files.readAllLines(jsonl).size());
        assertEquals(before, Files.exists(defaultStore) ? Files.getLastModifiedTime(defaultStore).toMillis() : -1);
    }

    @Test
    void shouldWriteTheStoreAndEverySinkWhenDbAndSinksAreGiven() throws Exception
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);
        final Path db = dir.resolve("t.db").toAbsolutePath();
        final Path copy = dir.resolve("copy.db").toAbsolutePath();
        final Path jsonl = dir.resolve("out.jsonl");

        final Cli.Result result = Cli.run("replay", "--db", db.toString(), "--sink", "sqlite:" + copy + "?raw=P7D",
            "--sink", "jsonl:" + jsonl, "--agent", "edge-1", capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("Replayed 1 file into " + db + ", " + copy + " and jsonl:" + jsonl +
            " as agent edge-1\n"), result::toString);
        assertTrue(result.out().contains("  rows written   " + script.rowCount(10) + "  (into " + db + ")\n"),
            result::toString);
        assertTrue(result.out().contains("  rows written   " + script.rowCount(10) + "  (into " + copy + ")\n"),
            result::toString);
        assertEquals(script.rowCount(10) + 3, Files.readAllLines(jsonl).size());
        for (final Path store : List.of(db, copy))
        {
            try (TrafficStore opened = TrafficStore.open(store))
            {
                assertEquals(List.of("edge-1"), opened.agents());
                final TrafficTotals totals = opened.totals(BEGIN, END);
                assertEquals(script.frameCount(), totals.frames());
                assertEquals(script.ipBytes(), totals.bytes());
            }
        }
    }

    // the seconds of the earliest and the latest frame, as the summary shows them
    private static String span(final List<TrafficScript.Frame> frames)
    {
        final long first = frames.stream().mapToLong(TrafficScript.Frame::timestampNs).min().orElseThrow();
        final long last = frames.stream().mapToLong(TrafficScript.Frame::timestampNs).max().orElseThrow();
        return Instant.ofEpochSecond(Math.floorDiv(first, 1_000_000_000L)) + " to " +
            Instant.ofEpochSecond(Math.floorDiv(last, 1_000_000_000L));
    }

    @Test
    void shouldCountRemoteHostsAsLocalWhenTheirNetworkIsGiven()
    {
        final TrafficScript script = TrafficScript.standard();
        final Path capture = dir.resolve("standard.pcap");
        script.writePcap(capture);

        final Cli.Result result = Cli.run("replay", "--db", dir.resolve("t.db").toString(),
            "--local-net", "198.51.100.0/24", "--local-net", "203.0.113.0/24", capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        // the remote addresses are now the local ones and 10/8 is not: transit is the traffic between 10/8 hosts
        final long between10 = script.frames().stream()
            .filter(f -> null != f.packet() && isLocalToLocal(f.packet()))
            .count();
        assertTrue(between10 > 0);
        assertEquals(between10, result.figure("transit"));
    }

    @Test
    void shouldDrawAProgressBarOnStandardErrorWhenOnATerminal()
    {
        final Path capture = dir.resolve("standard.pcap");
        TrafficScript.standard().writePcap(capture);

        final Cli.Result result = Cli.run(true, "replay", "--db", dir.resolve("t.db").toString(), capture.toString());

        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("\rreplay ["), result::toString);
        assertTrue(result.err().contains("[" + "#".repeat(30) + "] 100%"), result::toString);
        assertTrue(result.err().endsWith("frames/s" + System.lineSeparator()), result::toString);
        assertFalse(result.out().contains("\r"), result::toString);
    }

    @Test
    void shouldStoreWhatPrecedesTheDamageAndNameFileOffsetAndReasonWhenTheCaptureIsCorrupt()
    {
        final TrafficScript script = TrafficScript.standard();
        final int good = 1000;
        final Path capture = dir.resolve("damaged.pcap");
        final long damageOffset;
        long goodBytes = 0;
        try (PcapFileWriter writer = PcapFileWriter.create(capture))
        {
            for (final TrafficScript.Frame frame : script.frames().subList(0, good))
            {
                writer.record(frame.timestampNs(), frame.bytes(), frame.bytes().length, frame.wireLength());
                goodBytes += null == frame.packet() ? 0 : frame.packet().ipLength();
            }
            damageOffset = writer.position();
            writer.rawRecord((int)TrafficScript.T0_SECONDS + 9, 0, -1, 60, new byte[0], 0);
        }
        final Path db = dir.resolve("t.db");

        final Cli.Result result = Cli.run("replay", "--db", db.toString(), capture.toString());

        assertEquals(2, result.exitCode(), result::toString);
        final String err = result.err().strip();
        assertFalse(err.contains("\n"), result::toString);
        assertTrue(err.startsWith("error: " + capture + ": at byte offset " + damageOffset + ": "), result::toString);
        assertTrue(err.contains("captured length 4294967295"), result::toString);
        assertTrue(err.endsWith("(the frames before it are stored in " + db.toAbsolutePath() + ")"), result::toString);
        assertEquals(good, result.figure("frames"));
        try (TrafficStore store = TrafficStore.open(db))
        {
            assertEquals(good, store.totals(BEGIN, END).frames());
            assertEquals(goodBytes, store.totals(BEGIN, END).bytes());
        }
    }

    @Test
    void shouldSayTheReplayStoppedAtTheDamagedFileWhenTheFilesAfterItWereNotRead()
    {
        final TrafficScript script = TrafficScript.standard();
        final Path damaged = dir.resolve("damaged.pcap");
        try (PcapFileWriter writer = PcapFileWriter.create(damaged))
        {
            final TrafficScript.Frame frame = script.frames().get(0);
            writer.record(frame.timestampNs(), frame.bytes(), frame.bytes().length, frame.wireLength());
            writer.rawRecord((int)TrafficScript.T0_SECONDS + 9, 0, -1, 60, new byte[0], 0);
        }
        final Path second = dir.resolve("second.pcap");
        final Path third = dir.resolve("third.pcap");
        script.writePcap(second);
        script.writePcap(third);

        final Cli.Result result = Cli.run("replay", "--db", dir.resolve("t.db").toString(), damaged.toString(),
            second.toString(), third.toString());

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("Stopped at a damaged file: read 0 of 3 files whole"), result::toString);
        assertTrue(result.out().contains("\n  " + damaged + ": 1 frame, "), result::toString);
        assertFalse(result.out().contains(second.toString()), result::toString);
        assertEquals(1, result.figure("frames"));
    }

    private static boolean isLocalToLocal(final TrafficScript.Packet packet)
    {
        return TrafficScript.isLocal(packet.src()) && TrafficScript.isLocal(packet.dst());
    }
}
